// `npm start` rebuilds exactly when build/ is missing or older than a source it is built from.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildState, scanInputs, writeStamp } from '../../scripts/build-state.js';

let root: string;
const past = new Date(Date.now() - 3_600_000);

function write(rel: string, when = past) {
	const path = join(root, rel);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, rel);
	utimesSync(path, when, when);
}

function stamp(startedAt = new Date(Date.now() - 60_000)) {
	writeStamp(root, scanInputs(root), startedAt);
}

describe('build state', () => {
	beforeEach(() => {
		root = mkdtempSync(join(tmpdir(), 'pingyi-build-state-'));
		write('src/routes/+page.svelte');
		write('messages/en.json');
		write('package.json');
		write('project.inlang/settings.json');
	});
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	it('is missing without a build, and without a stamp', () => {
		expect(buildState(root)).toEqual({ fresh: false, reason: 'missing' });
		write('build/index.js');
		expect(buildState(root)).toEqual({ fresh: false, reason: 'missing' });
	});

	it('is fresh after a stamped build, stale when a source changes after the build started', () => {
		write('build/index.js');
		const startedAt = new Date(Date.now() - 60_000);
		stamp(startedAt);
		expect(buildState(root)).toEqual({ fresh: true });
		// Saved while the build ran: the next start builds again.
		write('messages/en.json', new Date(startedAt.getTime() + 1_000));
		expect(buildState(root)).toEqual({ fresh: false, reason: 'changed', file: 'messages/en.json' });
	});

	it('notices added and deleted files even when their times are old', () => {
		write('build/index.js');
		stamp();
		write('src/lib/new-module.ts');
		expect(buildState(root)).toEqual({ fresh: false, reason: 'files' });
		stamp();
		unlinkSync(join(root, 'src/lib/new-module.ts'));
		expect(buildState(root)).toEqual({ fresh: false, reason: 'files' });
	});

	it('ignores generated files and the inlang cache', () => {
		write('build/index.js');
		stamp();
		write('src/lib/paraglide/messages.js', new Date());
		write('project.inlang/cache/plugin.js', new Date());
		expect(buildState(root)).toEqual({ fresh: true });
	});
});
