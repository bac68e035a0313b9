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

interface StartOptions {
	/** An empty embedded database (the first start) instead of a migrated copy. */
	empty?: boolean;
	/** Run under a terminal (`script` gives it one), typing this when it asks a question. */
	answer?: string;
	env?: NodeJS.ProcessEnv;
}

/**
 * Runs `command` (npm start, or node scripts/start.js) on a fresh PGlite copy (or an empty
 * folder) until it answers.
 */
async function start(command: string, args: string[], opts: StartOptions = {}): Promise<Started> {
	const work = mkdtempSync(join(tmpdir(), 'pingyi-start-'));
	const dir = join(work, 'pglite');
	if (!opts.empty) cpSync(await pgliteTemplate(), dir, { recursive: true });
	const port = await freePort();
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST') delete env[k];
	delete env.DATABASE_URL;
	delete env.PINGYI_DEMO;
	Object.assign(env, {
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		PGLITE_DIR: dir,
		ADMIN_PASSWORD: 'adminpass123',
		...opts.env
	});
	const terminal = opts.answer !== undefined;
	// Its own process group, so that clean-up can end whatever a failed test leaves running.
	const proc = terminal
		? spawn('script', ['-qfec', [command, ...args].join(' '), '/dev/null'], {
				cwd: ROOT,
				env,
				detached: true,
				stdio: ['pipe', 'pipe', 'pipe']
			})
		: spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	let answered = false;
	const read = (c: Buffer) => {
		output += c.toString();
		if (terminal && !answered && output.includes('[y/N]')) {
			answered = true;
			proc.stdin!.write(`${opts.answer}\r`);
		}
	};
	proc.stdout!.on('data', read);
	proc.stderr!.on('data', read);
	const s = { proc, dir, port, output: () => output };
	started.push(s);
	// The first start migrates, and may load the demo city (about half a minute).
	const deadline = Date.now() + (opts.empty ? 240_000 : 90_000);
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

// The first start of an empty embedded database offers the demo city on a terminal (docs/demo.md)
// and says how to load it otherwise; the examples are created unless asked for the demo.
describe('the first start of an empty embedded database', () => {
	/** Whether the demo city's 2003 results are published (the examples have no results). */
	async function demoLoaded(s: Started): Promise<boolean> {
		const page = await fetch(`http://127.0.0.1:${s.port}/results/2003`);
		return page.status === 200 && (await page.text()).includes('永安');
	}

	/** `node scripts/start.js` on an empty folder, in English; `answer` runs it under a terminal. */
	const firstStart = (answer?: string) =>
		start(process.execPath, ['scripts/start.js'], {
			empty: true,
			answer,
			env: { PINGYI_LANG: 'en' }
		});

	it('asks on a terminal and loads the demo city when told yes', async () => {
		const s = await firstStart('y');
		expect(s.output()).toContain('Load the demo city');
		expect(s.output()).toContain('The demo city will be loaded.');
		expect(await demoLoaded(s), s.output()).toBe(true);
	}, 300_000);

	it('creates the examples when told no on a terminal, and says how to load the demo otherwise', async () => {
		const asked = await firstStart('n');
		expect(asked.output()).toContain('Load the demo city');
		expect(asked.output()).not.toContain('The demo city will be loaded.');
		expect(await demoLoaded(asked)).toBe(false);
		const told = await firstStart();
		expect(told.output()).toContain('PINGYI_DEMO=1 npm start');
		expect(told.output()).not.toContain('[y/N]');
		expect(await demoLoaded(told)).toBe(false);
	}, 300_000);
});
