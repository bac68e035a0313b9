#!/usr/bin/env node
// `npm run test:e2e`: builds the app when build/ is missing or stale, then runs the tests against
// the built app: the `security` project (plain HTTP), then the `e2e` project (Chromium). Without
// a Chromium the browser part is skipped with a loud warning, or fails when REQUIRE_BROWSER=1.
// Extra arguments go to vitest, e.g. `npm run test:e2e -- tests/security/csrf.test.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../tests/e2e/chromium.js';
import { buildState, scanInputs, writeStamp } from './build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const windows = process.platform === 'win32';
const extra = process.argv.slice(2);

/**
 * Runs a command in the project folder, showing its output; returns its exit code.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function run(command, args, env = process.env) {
	const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: windows, env });
	return r.status ?? 1;
}

/** @param {string} line */
const say = (line) => console.log(`\n[test:e2e] ${line}`);

const state = buildState(root);
// The tests import the compiled messages and the generated SvelteKit types, which prepare makes.
if (!state.fresh || !existsSync(resolve(root, 'src/lib/paraglide/messages.js'))) {
	const code = run('npm', ['run', 'prepare']);
	if (code !== 0) process.exit(code);
}
if (!state.fresh) {
	say(
		state.reason === 'changed'
			? `Building the app (${state.file} changed since the last build)`
			: `Building the app (${state.reason === 'missing' ? 'no build yet' : 'files added or removed'})`
	);
	const before = scanInputs(root);
	const startedAt = new Date();
	const code = run('npx', ['vite', 'build']);
	if (code !== 0) {
		console.error(`[test:e2e] The build failed (exit code ${code}).`);
		process.exit(code);
	}
	writeStamp(root, before, startedAt);
}

/**
 * Runs one vitest project. With file filters a project may have nothing to run: not a failure.
 * @param {string} project
 * @param {string[]} [options]
 */
const vitest = (project, options = []) =>
	run('npx', [
		'vitest',
		'run',
		'--project',
		project,
		...options,
		...(extra.length ? ['--passWithNoTests'] : []),
		...extra
	]);

say('Security tests against the built app');
// Two files at a time even on two cores: the tests mostly wait for the app they started.
const security = vitest('security', ['--maxWorkers=2']);

let browser = 0;
const chromium = findChromium();
if (chromium) {
	say(`Browser tests with ${chromium}`);
	browser = vitest('e2e');
} else {
	const required = process.env.REQUIRE_BROWSER === '1';
	const bar = '!'.repeat(72);
	console.error(
		[
			'',
			bar,
			'!!  NO CHROMIUM FOUND: THE BROWSER TESTS (tests/e2e) DID NOT RUN.',
			"!!  Install Debian's Chromium (`sudo apt-get install chromium`) or set",
			'!!  CHROMIUM_PATH to a Chromium or Chrome executable, then run again.',
			required
				? '!!  REQUIRE_BROWSER=1 is set: this counts as a FAILURE.'
				: '!!  Set REQUIRE_BROWSER=1 to make this a failure (CI does).',
			bar,
			''
		].join('\n')
	);
	browser = required ? 1 : 0;
}

const failed = [security && 'security', browser && 'browser'].filter(Boolean);
if (failed.length) console.error(`[test:e2e] Failed: ${failed.join(', ')}.`);
process.exit(failed.length ? 1 : 0);
