#!/usr/bin/env node
// `npm start`: builds the app when build/ is missing or older than its sources, then serves it
// with `node build` on PORT (default 3000). The server migrates the database and, when it is
// empty, creates the first admin and example departments — or the demo city, which the first
// start of an empty embedded database offers (PINGYI_DEMO=1 loads it without asking). Stopping
// this script, or the npm process that runs it, stops the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildState, scanInputs, writeStamp } from './build-state.js';
import { pickLocale } from '../src/lib/server/console-locale.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const messagesModule = resolve(root, 'src/lib/paraglide/messages.js');
const windows = process.platform === 'win32';

/**
 * Runs a command in the project folder, showing its output; returns its exit code.
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
	const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: windows });
	return r.status ?? 1;
}

const { locale } = pickLocale(undefined);
const state = buildState(root);

// svelte-kit sync and the Paraglide compile: the build needs both, and this script's own
// messages come from the compiled catalog.
if (!state.fresh || !existsSync(messagesModule)) {
	const code = run('npm', ['run', 'prepare']);
	if (code !== 0) process.exit(code);
}
/** @type {typeof import('../src/lib/paraglide/messages.js').m} */
const m = (await import(new URL('../src/lib/paraglide/messages.js', import.meta.url).href)).m;
const say = (/** @type {string} */ line) => console.log(line);

/**
 * The parent process of `pid`, where the system says (Linux's /proc), else 0.
 * @param {number} pid
 */
function parentOf(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// `pid (command) state ppid …`: the command may hold spaces and parentheses.
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || 0;
	} catch {
		return 0;
	}
}

/** @param {number} pid */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return /** @type {NodeJS.ErrnoException} */ (e).code !== 'ESRCH';
	}
}

if (!state.fresh) {
	const reason =
		state.reason === 'missing'
			? m.start_reason_missing({}, { locale })
			: state.reason === 'files'
				? m.start_reason_files({}, { locale })
				: m.start_reason_changed({ file: state.file }, { locale });
	say(m.start_building({ reason }, { locale }));
	const before = scanInputs(root);
	const startedAt = new Date();
	const code = run('npx', ['vite', 'build']);
	if (code !== 0) {
		console.error(m.start_build_failed({ code }, { locale }));
		process.exit(code);
	}
	writeStamp(root, before, startedAt);
}

const env = { ...process.env, PORT: process.env.PORT || '3000' };
// The app limits request bodies itself (src/lib/server/imports/body-limit.ts): 16 MB, and more
// for the import pages (a responses file is up to 2 GB, streamed); adapter-node's one limit for
// every request (512 kB by default) must not refuse those first.
env.BODY_SIZE_LIMIT ||= 'Infinity';
if (!env.ORIGIN) {
	// adapter-node needs to know its public origin to accept form posts.
	env.ORIGIN = `http://localhost:${env.PORT}`;
	say(m.start_origin_default({ origin: env.ORIGIN }, { locale }));
}
if (env.DATABASE_URL) {
	let location = 'postgres';
	try {
		const u = new URL(env.DATABASE_URL);
		if (u.password) u.password = '***';
		location = u.toString();
	} catch {
		// an unparsable URL is the server's to report
	}
	say(m.start_postgres({ location }, { locale }));
} else {
	const dir = resolve(root, env.PGLITE_DIR || 'data/pglite');
	say(m.start_pglite({ dir }, { locale }));
	// The first start of an empty embedded database: offer the demo city (docs/demo.md), which
	// the server then loads instead of the example departments (src/lib/server/bootstrap.ts).
	const empty = !existsSync(dir) || readdirSync(dir).length === 0;
	if (empty && env.PINGYI_DEMO !== '1') {
		if (process.stdin.isTTY) {
			const rl = createInterface({ input: process.stdin, output: process.stdout });
			const answer = await rl.question(m.start_demo_question({}, { locale }));
			rl.close();
			if (/^\s*(y|yes|是|好)\s*$/i.test(answer)) {
				env.PINGYI_DEMO = '1';
				say(m.start_demo_yes({}, { locale }));
			}
		} else say(m.start_demo_hint({}, { locale }));
	}
}
say(m.start_serving({ origin: env.ORIGIN }, { locale }));

const server = spawn(process.execPath, ['build'], { cwd: root, stdio: 'inherit', env });

/**
 * Asks the server to stop; it shuts down gracefully (closing the database, releasing the PGlite
 * lock), and this process waits for it and exits with its status.
 * @param {NodeJS.Signals} signal
 */
function stop(signal) {
	if (server.exitCode === null && server.signalCode === null) server.kill(signal);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// The server stops gracefully on SIGINT and SIGTERM only; a hang-up would kill it on the spot,
// before PGlite is flushed.
process.on('SIGHUP', () => stop('SIGTERM'));
// `npm start` runs this script under `sh -c`. npm passes SIGTERM on to that shell only, which dies
// of it without passing it on; a SIGHUP or SIGKILL ends npm alone. Either way the server, and the
// embedded database's lock, would outlive the npm process a service manager stopped: so the end
// of the parent, or under npm of npm itself, is a stop too. (npm passes SIGINT to the shell too,
// which then waits for this script: a Ctrl-C reaches every process of the terminal's group, but a
// SIGINT sent to npm alone stops nothing; SIGTERM is what service managers send.)
const watched = [process.ppid];
if (process.env.npm_lifecycle_event) watched.push(parentOf(process.ppid));
const watch = setInterval(() => {
	if (watched.some((pid) => pid > 1 && !alive(pid))) {
		clearInterval(watch);
		stop('SIGTERM');
	}
}, 500);
watch.unref();
server.on('exit', (code, signal) => {
	process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
