// Sign-in throttling per username and per client address, checked before any password hashing
// so that a flood of guesses costs the server nothing. After FREE_FAILURES failures in a row a
// key must wait, twice as long after each further failure, up to MAX_DELAY_MS.
import { inArray, sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '$lib/server/db';
import { signInThrottle } from '$lib/server/db/schema';

export const FREE_FAILURES = 5;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 15 * 60_000;
/** A key whose last failure is older than this starts afresh. */
const FORGET_AFTER_MS = 60 * 60_000;

export function throttleKeys(username: string, address: string): string[] {
	return [`u:${username.trim().toLowerCase()}`, `a:${address}`];
}

/** Delay imposed after `failures` failures in a row. */
export function delayAfter(failures: number): number {
	if (failures < FREE_FAILURES) return 0;
	return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}

/**
 * The instant until which the keys are blocked, as epoch milliseconds (null when never): an SQL
 * expression, so that a lookup can read it in its own statement (the invitation throttle).
 */
export const blockedUntilMs = (keys: string[]): SQL =>
	sql`(select (extract(epoch from max(${signInThrottle.blockedUntil})) * 1000)::float8
		from ${signInThrottle} where ${inArray(signInThrottle.key, keys)})`;

/** Seconds to wait from `now` until an instant read by `blockedUntilMs`, or 0. */
export function secondsUntil(until: number | string | null, now: Date): number {
	const at = until === null ? 0 : Number(until);
	return at > now.getTime() ? Math.ceil((at - now.getTime()) / 1000) : 0;
}

/** Seconds to wait before another attempt is allowed, or 0. */
export async function retryAfterSeconds(db: Executor, keys: string[], now = new Date()) {
	const [r] = await rows<{ until: number | string | null }>(
		db,
		sql`select ${blockedUntilMs(keys)} as until`
	);
	return secondsUntil(r?.until ?? null, now);
}

export async function recordFailure(db: Executor, keys: string[], now = new Date()) {
	// Raw SQL parameters skip Drizzle's column mapping, and postgres.js refuses a Date there:
	// pass instants as ISO strings, cast in SQL.
	const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
	const nowIso = now.toISOString();
	for (const key of keys) {
		// One statement per key: the count and the block are computed in SQL from the stored row,
		// so concurrent failures cannot overwrite each other's counts.
		const failures = sql`case when ${signInThrottle.lastFailureAt} < ${forgetBefore}::timestamptz then 1 else ${signInThrottle.failures} + 1 end`;
		await db
			.insert(signInThrottle)
			.values({
				key,
				failures: 1,
				lastFailureAt: now,
				blockedUntil: delayAfter(1) ? new Date(now.getTime() + delayAfter(1)) : null
			})
			.onConflictDoUpdate({
				target: signInThrottle.key,
				set: {
					failures,
					lastFailureAt: now,
					blockedUntil: sql`case when (${failures}) >= ${FREE_FAILURES}
						then ${nowIso}::timestamptz + make_interval(secs => least(${MAX_DELAY_MS / 1000}, ${BASE_DELAY_MS / 1000} * power(2, (${failures}) - ${FREE_FAILURES})))
						else null end`
				}
			});
	}
}

export async function clearFailures(db: Executor, keys: string[]) {
	await db.delete(signInThrottle).where(inArray(signInThrottle.key, keys));
}
