// PGlite is single-process: two processes writing one data folder corrupt it. The first
// process to open the folder holds this lock file; any other gets a clear error naming it.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { formatDateTime } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

export const LOCK_FILE = 'pingyi.lock';

export interface LockHolder {
	pid: number;
	host: string;
	command: string;
	since: string;
}

export class DatabaseLockedError extends Error {
	constructor(
		readonly dir: string,
		readonly holder: LockHolder
	) {
		super(lockedMessage(dir, holder, 'en'));
		this.name = 'DatabaseLockedError';
	}

	/** The refusal in words for a person, in `locale`. */
	describe(locale: Locale): string {
		return lockedMessage(this.dir, this.holder, locale);
	}
}

// `since` is stored as an ISO instant (UTC) for machines; people read Beijing time.
function lockedMessage(dir: string, holder: LockHolder, locale: Locale): string {
	const at = new Date(holder.since);
	const since = Number.isNaN(at.getTime()) ? holder.since : formatDateTime(at);
	return m.db_locked(
		{ dir, pid: holder.pid, command: holder.command, host: holder.host, since },
		{ locale }
	);
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function readHolder(path: string): LockHolder | null {
	try {
		return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
	} catch {
		return null;
	}
}

/** Takes the folder's lock or throws DatabaseLockedError; returns the release function. */
export function acquireFolderLock(dir: string): () => void {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, LOCK_FILE);
	const me: LockHolder = {
		pid: process.pid,
		host: hostname(),
		command: process.argv.slice(1).join(' ').slice(0, 200) || 'node',
		since: new Date().toISOString()
	};
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, JSON.stringify(me));
			closeSync(fd);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				process.off('exit', release);
				if (readHolder(path)?.pid === process.pid) unlinkSync(path);
			};
			process.on('exit', release);
			return release;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const holder = readHolder(path);
			// A lock left by a process of this host that died (or a half-written file) is stale: take
			// it over. Another host's process cannot be checked, so its lock stands.
			const stale = !holder || (holder.host === me.host && !alive(holder.pid));
			if (!stale) throw new DatabaseLockedError(dir, holder);
			unlinkSync(path);
		}
	}
	throw new DatabaseLockedError(dir, readHolder(path) ?? { ...me, pid: -1, command: 'unknown' });
}
