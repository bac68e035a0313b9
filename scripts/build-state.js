// Whether `build/` is up to date with the sources it is built from, for `npm start`. A stamp
// written after each build records when the build started and which input files existed.
import { createHash } from 'node:crypto';
import {
	existsSync,
	readdirSync,
	readFileSync,
	statSync,
	utimesSync,
	writeFileSync
} from 'node:fs';
import { join, relative, sep } from 'node:path';

/** What the build reads. project.inlang/ holds caches that change on every compile: only its
 * settings matter. */
export const BUILD_INPUTS = [
	'src',
	'messages',
	'drizzle',
	'static',
	'project.inlang/settings.json',
	'package.json',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];

/** Generated from messages/ by `npm run prepare` (which every build runs), so not an input. */
const GENERATED = ['src/lib/paraglide'];
const SKIPPED_NAMES = new Set(['node_modules', '.DS_Store']);

export const STAMP_FILE = '.pingyi-build-stamp';

/**
 * @typedef {{ file: string, mtimeMs: number }} NewestInput
 * @typedef {{ newest: NewestInput | null, files: string, count: number }} InputScan
 */

/**
 * Walks the inputs: the newest file and a fingerprint of the set of file names (so that a
 * deleted or renamed file also counts as a change).
 * @param {string} root the project folder
 * @returns {InputScan}
 */
export function scanInputs(root) {
	/** @type {NewestInput | null} */
	let newest = null;
	/** @type {string[]} */
	const names = [];
	/** @param {string} path */
	const visit = (path) => {
		const rel = relative(root, path).split(sep).join('/');
		if (GENERATED.includes(rel)) return;
		let st;
		try {
			st = statSync(path);
		} catch {
			return; // an optional input that does not exist
		}
		if (st.isDirectory()) {
			for (const name of readdirSync(path).sort()) {
				if (!SKIPPED_NAMES.has(name)) visit(join(path, name));
			}
			return;
		}
		names.push(rel);
		if (!newest || st.mtimeMs > newest.mtimeMs) newest = { file: rel, mtimeMs: st.mtimeMs };
	};
	for (const input of BUILD_INPUTS) visit(join(root, input));
	const files = createHash('sha256').update(names.join('\n')).digest('hex');
	return { newest, files, count: names.length };
}

/**
 * @typedef {{ fresh: true }
 *   | { fresh: false, reason: 'missing' }
 *   | { fresh: false, reason: 'files' }
 *   | { fresh: false, reason: 'changed', file: string }} BuildState
 */

/**
 * @param {string} root the project folder
 * @param {string} [outDir] the build folder, `build/` by default
 * @returns {BuildState}
 */
export function buildState(root, outDir = join(root, 'build')) {
	const stampPath = join(outDir, STAMP_FILE);
	if (!existsSync(join(outDir, 'index.js')) || !existsSync(stampPath))
		return { fresh: false, reason: 'missing' };
	/** @type {{ files?: string }} */
	let stamp;
	try {
		stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
	} catch {
		return { fresh: false, reason: 'missing' };
	}
	const scan = scanInputs(root);
	if (stamp.files !== scan.files) return { fresh: false, reason: 'files' };
	if (scan.newest && scan.newest.mtimeMs > statSync(stampPath).mtimeMs)
		return { fresh: false, reason: 'changed', file: scan.newest.file };
	return { fresh: true };
}

/**
 * Records a finished build. The stamp's time is when the build *started*, so that a file saved
 * while it ran makes the next start build again.
 * @param {string} root
 * @param {InputScan} scanBefore what scanInputs returned before the build
 * @param {Date} startedAt
 * @param {string} [outDir]
 */
export function writeStamp(root, scanBefore, startedAt, outDir = join(root, 'build')) {
	const stampPath = join(outDir, STAMP_FILE);
	writeFileSync(
		stampPath,
		JSON.stringify({ startedAt: startedAt.toISOString(), files: scanBefore.files }) + '\n'
	);
	utimesSync(stampPath, startedAt, startedAt);
}
