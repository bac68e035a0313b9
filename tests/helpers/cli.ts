// Runs `npm run cli -- …` the way a maintainer would (a child process), against a database.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export function cli(args: string[], db: { DATABASE_URL?: string; PGLITE_DIR?: string }) {
	const env: NodeJS.ProcessEnv = { ...process.env, ...db };
	if (!db.DATABASE_URL) delete env.DATABASE_URL;
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((ok, ko) => {
		const p = spawn(TSX, ['scripts/cli.ts', ...args], { cwd: ROOT, env });
		let stdout = '';
		let stderr = '';
		p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		p.on('error', ko);
		p.on('close', (code) => ok({ code, stdout, stderr }));
	});
}
