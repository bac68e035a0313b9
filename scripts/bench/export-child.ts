// Runs the app's streamed responses export of one campaign in a process of its own, so that the
// process's peak memory (maxRSS) is the export's. Prints one JSON line on stdout:
//   node --import tsx scripts/bench/export-child.ts <database url> <campaign> <csv|xlsx> <file>
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Actor } from '$lib/server/audit';
import { openDatabase } from '$lib/server/db';
import { isExportFormat } from '$lib/schemas/review';
import * as surveys from '$lib/server/surveys';

const actor: Actor = { kind: 'cli', id: null, label: 'bench', address: null };

async function main() {
	const [url, code, format, file] = process.argv.slice(2);
	if (!url || !code || !isExportFormat(format) || !file)
		throw new Error('usage: export-child.ts <database url> <campaign> <csv|xlsx> <file>');
	// The app's own driver, pool and session settings (DATABASE_URL in production).
	const handle = await openDatabase({ url });
	const out = createWriteStream(file);
	let ms: number;
	let rows: number;
	try {
		await once(out, 'open');
		const start = process.hrtime.bigint();
		const result = await surveys.exportResponses(
			handle.db,
			surveys.REVIEW_OPERATOR,
			code,
			{ format, withIdentity: false },
			actor,
			async (chunk) => {
				if (!out.write(chunk)) await once(out, 'drain');
			}
		);
		out.end();
		await once(out, 'finish');
		ms = Number(process.hrtime.bigint() - start) / 1e6;
		rows = result.rows;
	} finally {
		await handle.close();
	}
	// Kilobytes on Linux: the peak resident set of this whole process.
	process.stdout.write(
		JSON.stringify({ ms, rows, maxRssKb: process.resourceUsage().maxRSS }) + '\n'
	);
}

main().catch((e: unknown) => {
	process.stdout.write(JSON.stringify({ error: (e as Error).message }) + '\n');
	process.exitCode = 1;
});
