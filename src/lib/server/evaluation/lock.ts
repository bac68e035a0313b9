// One computation per year at a time. On PostgreSQL a transaction-scoped advisory lock keyed by
// the year; PGlite has a single connection in a single process, so an in-process set suffices.
import { sql } from 'drizzle-orm';
import { DomainError } from '$lib/errors';
import { rows, type Tx } from '$lib/server/db';

// Namespaces the advisory lock keys of year computations (two-key form: class, year), so they
// never collide with the single-key locks other modules take.
export const COMPUTE_LOCK_CLASS = 74_103;

/** Takes the year's computation lock for the current transaction, or says one is running. */
export async function tryLockYear(tx: Tx, year: number): Promise<void> {
	const [r] = await rows<{ ok: boolean }>(
		tx,
		sql`select pg_try_advisory_xact_lock(${COMPUTE_LOCK_CLASS}::int, ${year}::int) as ok`
	);
	if (!r?.ok) throw new DomainError('computation_running', { params: { year } });
}

const running = new Set<number>();

/** The PGlite guard: runs `fn` unless a computation of the year runs in this process. */
export async function inProcess<T>(year: number, fn: () => Promise<T>): Promise<T> {
	if (running.has(year)) throw new DomainError('computation_running', { params: { year } });
	running.add(year);
	try {
		return await fn();
	} finally {
		running.delete(year);
	}
}
