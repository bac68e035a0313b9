// Stopping `npm start` from any parent: a service manager stops the npm process, which passes
// SIGTERM to its shell only; the server must still stop and release the embedded database, or
// the next start (and the CLI) find the folder locked. Run against the built app, which
// `npm start` serves as it is when build/ is fresh.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import { LOCK_FILE } from '$lib/server/db/lock';
import { freePort, pgliteTemplate } from '../helpers/app';

const ROOT = resolve(import.meta.dirname, '../..');

interface Started {
	proc: ChildProcess;
	dir: string;
	port: number;
	output: () => string;
}

const started: Started[] = [];

/** Runs `command` (npm start, or node scripts/start.js) on a fresh PGlite copy until it answers. */
async function start(command: string, args: string[]): Promise<Started> {
	const work = mkdtempSync(join(tmpdir(), 'pingyi-start-'));
	const dir = join(work, 'pglite');
	cpSync(await pgliteTemplate(), dir, { recursive: true });
	const port = await freePort();
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST') delete env[k];
	delete env.DATABASE_URL;
	Object.assign(env, {
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		PGLITE_DIR: dir,
		ADMIN_PASSWORD: 'adminpass123'
	});
	// Its own process group, so that clean-up can end whatever a failed test leaves running.
	const proc = spawn(command, args, {
		cwd: ROOT,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
	proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
	const s = { proc, dir, port, output: () => output };
	started.push(s);
	const deadline = Date.now() + 90_000;
	for (;;) {
		const answer = await fetch(`http://127.0.0.1:${port}/sign-in`).catch(() => null);
		if (answer?.status === 200) break;
		if (proc.exitCode !== null || Date.now() > deadline)
			throw new Error(`${command} did not start:\n${output}`);
		await new Promise((ok) => setTimeout(ok, 250));
	}
	expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
	return s;
}

/** Waits up to `ms` for `done`. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (!done()) {
		if (Date.now() > deadline) return false;
		await new Promise((ok) => setTimeout(ok, 100));
	}
	return true;
}

/** The folder is free: no lock file, and another process opens it. */
async function released(s: Started) {
	expect(await until(() => !existsSync(join(s.dir, LOCK_FILE)), 30_000), s.output()).toBe(true);
	const handle = await openDatabase({ pgliteDir: s.dir });
	await handle.close();
	// Nothing answers any more.
	expect(await fetch(`http://127.0.0.1:${s.port}/sign-in`).catch(() => null)).toBeNull();
}

afterEach(() => {
	for (const s of started.splice(0)) {
		try {
			process.kill(-s.proc.pid!, 'SIGKILL');
		} catch {
			// the group has ended
		}
		rmSync(resolve(s.dir, '..'), { recursive: true, force: true });
	}
});

describe('stopping npm start', () => {
	// SIGTERM reaches npm's shell, which dies of it; SIGHUP and SIGKILL end npm alone.
	it.each(['SIGTERM', 'SIGHUP', 'SIGKILL'] as const)(
		'%s to the npm process stops the server and frees the database',
		async (signal) => {
			const s = await start('npm', ['start']);
			s.proc.kill(signal);
			await until(() => s.proc.exitCode !== null || s.proc.signalCode !== null, 30_000);
			await released(s);
		}
	);

	it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
		'%s to node scripts/start.js stops the server, and it exits when the server has',
		async (signal) => {
			const s = await start(process.execPath, ['scripts/start.js']);
			s.proc.kill(signal);
			expect(await until(() => s.proc.exitCode !== null, 30_000)).toBe(true);
			// Exited with the server's status: a graceful stop is 0.
			expect(s.proc.exitCode).toBe(0);
			await released(s);
		}
	);
});
