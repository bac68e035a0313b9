// A limit on how long work waits for one of the pool's connections (docs/operations.md). When
// every connection is held (long imports, the year computation, a burst of submissions), a
// request would otherwise wait in postgres.js' queue for as long as they take; past the limit
// it is refused with PoolBusyError, which the request hook answers with 503 and Retry-After.
//
// postgres.js has no such option, so the client Drizzle uses is wrapped where work enters the
// pool: `begin` (a transaction takes a connection of its own) and `unsafe` (every statement
// Drizzle sends outside a transaction). A statement already on a connection — running, or sent
// behind another one on the same connection — is bounded by statement_timeout instead.
import type { Sql } from 'postgres';

/** How long work may wait for a pooled connection. */
export const POOL_WAIT_MS = 5_000;

export class PoolBusyError extends Error {
	readonly code = 'POOL_WAIT_TIMEOUT';
	constructor(ms: number) {
		super(`no database connection free within ${ms} ms`);
		this.name = 'PoolBusyError';
	}
}

/** Whether an error (or one it wraps, as Drizzle does) is a refused wait for a connection. */
export function isPoolBusyError(e: unknown): boolean {
	for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 5; depth++) {
		if (x instanceof PoolBusyError) return true;
		x = (x as { cause?: unknown }).cause;
	}
	return false;
}

// The parts of postgres.js' Query this relies on (node_modules/postgres/src/query.js): `state`
// is set when a connection takes the query, `reject` settles it, and `cancel()` takes a query
// that no connection has yet out of the pool's queue. tests/integration/pool-wait.test.ts fails
// if an upgrade changes them.
interface PendingQuery {
	state: unknown;
	reject: (e: unknown) => void;
	cancel(): unknown;
	then: PromiseLike<unknown>['then'];
}

function limitStatement(query: PendingQuery, ms: number): void {
	const timer = setTimeout(() => {
		if (query.state) return;
		const reject = query.reject;
		query.reject = () => reject(new PoolBusyError(ms));
		query.cancel();
	}, ms);
	timer.unref?.();
	const done = () => clearTimeout(timer);
	// The query runs when first awaited; these handlers only stop the timer.
	query.then(done, done);
}

type Begin = (...args: unknown[]) => Promise<unknown>;

function limitTransaction(begin: Begin, args: unknown[], ms: number): Promise<unknown> {
	const fn = args.at(-1) as (tx: unknown) => unknown;
	let started = false;
	let abandoned = false;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			if (started) return;
			abandoned = true;
			reject(new PoolBusyError(ms));
		}, ms);
		timer.unref?.();
		begin(...args.slice(0, -1), (tx: unknown) => {
			started = true;
			clearTimeout(timer);
			// A transaction whose caller has been refused rolls back without doing anything.
			if (abandoned) throw new PoolBusyError(ms);
			return fn(tx);
		}).then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(e: unknown) => {
				clearTimeout(timer);
				if (!abandoned) reject(e);
			}
		);
	});
}

/** The client with waits for a pooled connection limited to `ms`. */
export function limitPoolWait(client: Sql, ms = POOL_WAIT_MS): Sql {
	return new Proxy(client, {
		get(target, key, receiver) {
			if (key === 'begin')
				return (...args: unknown[]) => limitTransaction(target.begin as Begin, args, ms);
			if (key === 'unsafe')
				return (...args: unknown[]) => {
					const query = (target.unsafe as unknown as (...a: unknown[]) => PendingQuery)(...args);
					limitStatement(query, ms);
					return query;
				};
			return Reflect.get(target, key, receiver) as unknown;
		}
	});
}
