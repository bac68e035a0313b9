// The command line as a child process, the way a person runs it: the bundle of scripts/cli.ts
// that the global set-up (cli-bundle.ts) makes, or `tsx scripts/cli.ts` itself (`npm run cli`).
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const CLI_BUNDLE = join(ROOT, 'node_modules/.cache/pingyi-cli/cli.mjs');
/** The binary `npm run cli` runs, without npx's package lookup. */
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs the CLI with `args` and `env`, writing `stdin`; `tsx` runs the source as `npm run cli` does. */
export function spawnCli(
	args: string[],
	env: NodeJS.ProcessEnv,
	opts: { stdin?: string; tsx?: boolean } = {}
): Promise<Run> {
	const [command, first] = opts.tsx ? [TSX, 'scripts/cli.ts'] : [process.execPath, CLI_BUNDLE];
	// The anchor file and its key default to beside the database folder (a shared temp folder or
	// the project's data/ here): tests that anchor name their own, the others write none.
	if (env.PINGYI_AUDIT_ANCHOR_FILE === undefined) env = { ...env, PINGYI_AUDIT_ANCHOR_FILE: 'off' };
	return new Promise((ok, ko) => {
		const child = spawn(command, [first, ...args], {
			cwd: ROOT,
			env,
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
		child.on('error', ko);
		child.on('close', (code) => ok({ code, stdout, stderr }));
		child.stdin.end(opts.stdin ?? '');
	});
}
