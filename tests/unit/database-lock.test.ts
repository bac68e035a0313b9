// The refusal of a locked embedded database names the holder and when it started, in Beijing
// time (the lock file keeps the instant as UTC, for machines), in the reader's language.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireFolderLock, DatabaseLockedError, LOCK_FILE } from '$lib/server/db/lock';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A folder locked by this (live) process since 1 March 2026, 16:30 UTC. */
function lockedFolder() {
	const dir = mkdtempSync(join(tmpdir(), 'pingyi-lock-'));
	dirs.push(dir);
	writeFileSync(
		join(dir, LOCK_FILE),
		JSON.stringify({
			pid: process.pid,
			host: hostname(),
			command: 'build',
			since: '2026-03-01T16:30:00.000Z'
		})
	);
	try {
		acquireFolderLock(dir);
	} catch (e) {
		if (e instanceof DatabaseLockedError) return { dir, error: e };
		throw e;
	}
	throw new Error('the folder was not refused');
}

describe('a locked embedded database', () => {
	it('is refused naming the holder since when, in Beijing time, in either language', () => {
		const { dir, error } = lockedFolder();
		const zh = error.describe('zh-CN');
		expect(zh).toContain(`进程 ${process.pid}`);
		expect(zh).toContain('自北京时间 2026-03-02 00:30:00 起');
		const en = error.describe('en');
		expect(en).toContain(`in use by process ${process.pid} (build)`);
		expect(en).toContain('since 2026-03-02 00:30:00 Beijing time');
		expect(en).not.toContain('T16:30');
		// The error's own message (logs, stack traces) is the English one.
		expect(error.message).toBe(en);
		// The lock file still says when in UTC.
		expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).since).toBe(
			'2026-03-01T16:30:00.000Z'
		);
	});
});
