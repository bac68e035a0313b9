// Runs the app's streamed responses importer on one file in a process of its own, so that the
// process's peak memory (maxRSS / VmHWM) is the importer's. Prints one JSON line on stdout:
//   node --import tsx scripts/bench/import-child.ts <database url> <responses.csv> [explain ms]
// With a third argument the run is not a measurement: statements slower than that many
// milliseconds report their executed plans (see explain.ts).
import { readFileSync } from 'node:fs';
import type { Actor } from '$lib/server/audit';
import { openDatabase } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { explainedDatabase, type ExplainedPlan } from './explain';

const actor: Actor = { kind: 'cli', id: null, label: 'bench', address: null };

function vmHwmKb(): number | null {
	try {
		const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
		return m ? Number(m[1]) : null;
	} catch {
		return null;
	}
}

async function main() {
	const [url, file, explainMs] = process.argv.slice(2);
	if (!url || !file)
		throw new Error('usage: import-child.ts <database url> <responses.csv> [explain ms]');
	// The app's own driver, pool and session settings (DATABASE_URL in production).
	const explained = explainMs === undefined ? null : explainedDatabase(url, Number(explainMs));
	const handle = explained ?? (await openDatabase({ url }));
	let plans: ExplainedPlan[] = [];
	const rssBefore = process.resourceUsage().maxRSS;
	let result: unknown;
	let ms: number;
	try {
		const start = process.hrtime.bigint();
		result = await surveys.importResponses(handle.db, file, { locale: 'en' }, actor);
		ms = Number(process.hrtime.bigint() - start) / 1e6;
	} finally {
		plans = explained?.plans() ?? [];
		await handle.close();
	}
	process.stdout.write(
		JSON.stringify({
			ms,
			// Kilobytes on Linux: the peak resident set of this whole process.
			maxRssKb: process.resourceUsage().maxRSS,
			vmHwmKb: vmHwmKb(),
			rssBeforeImportKb: rssBefore,
			result,
			...(explained ? { plans } : {})
		}) + '\n'
	);
}

main().catch((e: unknown) => {
	const err = e as Error & { cause?: unknown };
	process.stdout.write(
		JSON.stringify({
			error: err.message,
			cause: err.cause instanceof Error ? err.cause.message : (err.cause ?? null),
			maxRssKb: process.resourceUsage().maxRSS
		}) + '\n'
	);
	process.exitCode = 1;
});
