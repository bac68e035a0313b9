// One computation per year at a time. On PostgreSQL a transaction-scoped advisory lock keyed by
// the year; PGlite has a single connection in a single process, so an in-process set suffices.
import { DomainError } from '$lib/errors';

// Namespaces the advisory lock keys of year computations (two-key form: class, year), so they
// never collide with the single-key locks other modules take.
export const COMPUTE_LOCK_CLASS = 74_103;

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
