#!/usr/bin/env node
// `npm start`: builds the app when build/ is missing or older than its sources, then serves it
// with `node build` on PORT (default 3000). The server migrates the database and, when it is
// empty, creates the first admin and example departments; this script forwards Ctrl-C to it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildState, scanInputs, writeStamp } from './build-state.js';
import { pickLocale } from './cli/locale.js';

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
	say(m.start_pglite({ dir: resolve(root, env.PGLITE_DIR || 'data/pglite') }, { locale }));
}
say(m.start_serving({ origin: env.ORIGIN }, { locale }));

const server = spawn(process.execPath, ['build'], { cwd: root, stdio: 'inherit', env });
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
	// The server shuts down gracefully (closing the database, releasing the PGlite lock); this
	// process waits for it and exits with its status.
	process.on(signal, () => {
		if (server.exitCode === null && server.signalCode === null) server.kill(signal);
	});
}
server.on('exit', (code, signal) => {
	process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
