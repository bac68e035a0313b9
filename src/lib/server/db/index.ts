// The one place that picks the database driver: PostgreSQL (postgres.js) when DATABASE_URL is
// set, else PGlite in PGLITE_DIR. Everything else sees one Drizzle type and one code path.
import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { is, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite, PgliteSession } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres, PostgresJsSession } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { resolve } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { acquireFolderLock } from './lock';
import { limitPoolWait } from './pool-wait';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What domain verbs take: the database or a transaction already open on it. */
export type Executor = Database | Tx;

export interface DatabaseHandle {
	db: Database;
	driver: 'postgres' | 'pglite';
	/** Where the data lives, for messages: a redacted URL or a folder. */
	location: string;
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** PostgreSQL connection string; wins over pgliteDir. */
	url?: string;
	/** PGlite data folder, or `memory://` for a throwaway in-memory database (tests). */
	pgliteDir?: string;
	/** Pool size for PostgreSQL. */
	max?: number;
	/** How long work may wait for a pooled connection (default POOL_WAIT_MS). */
	poolWaitMs?: number;
}

/** The longest a pooled connection waits before reconnecting after failures, in seconds. */
export const RECONNECT_BACKOFF_MAX_S = 0.5;

/** The migrations' folder: `drizzle/` (PINGYI_MIGRATIONS_DIR elsewhere). */
export const migrationsFolder = () => resolve(process.env.PINGYI_MIGRATIONS_DIR ?? 'drizzle');

function redact(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'postgres';
	}
}

export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
	if (options.url) {
		const client = limitPoolWait(
			postgres(options.url, {
				max: options.max ?? 10,
				// docs/operations.md: requests do not wait for it (db/health.ts answers 503 within 2 s).
				connect_timeout: 5,
				// postgres.js waits before reconnecting a connection that failed, three times longer
				// after each failure in a row, up to 20 s: a server down for a few seconds left
				// requests waiting that long after it returned. While it is down the requests are
				// answered 503 without the pool (db/health.ts), so reconnecting soon costs nothing.
				backoff: (failures: number) => Math.min(0.1 * failures, RECONNECT_BACKOFF_MAX_S),
				idle_timeout: 60,
				max_lifetime: 60 * 30,
				onnotice: () => {},
				// Years and dates are local dates in Asia/Shanghai whatever the server's zone is;
				// no statement or idle transaction may hold a request forever.
				connection: {
					TimeZone: 'Asia/Shanghai',
					statement_timeout: 30_000,
					idle_in_transaction_session_timeout: 60_000,
					lock_timeout: 10_000,
					application_name: 'pingyi'
				}
			}),
			options.poolWaitMs
		);
		const db = drizzlePostgres(client, { schema }) as unknown as Database;
		return {
			db,
			driver: 'postgres',
			location: redact(options.url),
			migrate: () =>
				underMigrationLock(options.url!, () =>
					migratePostgres(db as never, { migrationsFolder: migrationsFolder() })
				),
			close: () => client.end({ timeout: 5 })
		};
	}
	const dir = options.pgliteDir ?? 'data/pglite';
	const inMemory = dir.startsWith('memory://');
	const release = inMemory ? () => {} : acquireFolderLock(resolve(dir));
	let client: PGlite;
	try {
		client = await PGlite.create(inMemory ? dir : resolve(dir));
		await client.exec(`SET TIME ZONE 'Asia/Shanghai'`);
	} catch (e) {
		release();
		throw e;
	}
	const db = drizzlePglite(client, { schema }) as unknown as Database;
	return {
		db,
		driver: 'pglite',
		location: inMemory ? dir : resolve(dir),
		migrate: () => migratePglite(db as never, { migrationsFolder: migrationsFolder() }),
		close: async () => {
			try {
				await client.close();
			} finally {
				release();
			}
		}
	};
}

// Any constant unique to this lock.
const MIGRATION_LOCK_KEY = 7_410_0001;

/**
 * Runs `work` (applying the migrations) while holding a session advisory lock, on a connection of
 * its own (the pool may have a single one): of several instances starting on one database at
 * once, one applies the migrations while the others wait, then find nothing left to do. Without
 * it, each would try to apply them and all but one would fail.
 */
async function underMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
	const lock = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
	try {
		await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
		return await work();
	} finally {
		// Ending the session releases the lock.
		await lock.end({ timeout: 5 });
	}
}

/** A positive whole number from the environment, or undefined when unset. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
	const raw = env[name]?.trim();
	if (!raw) return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number`);
	return n;
}

/** The options the app, the CLI and `npm start` use: from the environment (README). */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenOptions {
	return env.DATABASE_URL
		? {
				url: env.DATABASE_URL,
				max: positiveInteger(env, 'PINGYI_DB_POOL_SIZE'),
				poolWaitMs: positiveInteger(env, 'PINGYI_DB_POOL_WAIT_MS')
			}
		: { pgliteDir: env.PGLITE_DIR || 'data/pglite' };
}

/** Rows of a raw query, whichever driver ran it (postgres.js returns an array, PGlite `{rows}`). */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
	const result = (await executor.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * The driver under an executor, and its own client on the connection the executor uses: for a
 * transaction, postgres.js' reserved connection or PGlite's transaction. For what Drizzle does
 * not do itself: COPY (`$lib/server/imports/copy`) and the computation's parallel reads on a
 * second pooled connection (PostgreSQL only).
 */
export type Driver =
	{ kind: 'postgres'; sql: Sql } | { kind: 'pglite'; client: PGlite | PgliteTransaction };

export function driverOf(executor: Executor): Driver {
	const session: unknown = executor._.session;
	if (is(session, PostgresJsSession)) return { kind: 'postgres', sql: session.client as Sql };
	// PgliteSession keeps its client in a field TypeScript calls private; this is the one place
	// that reads it (tests/integration/db-driver.test.ts fails if a Drizzle upgrade moves it).
	if (is(session, PgliteSession)) {
		const client = (session as unknown as { client?: PGlite | PgliteTransaction }).client;
		if (client) return { kind: 'pglite', client };
	}
	throw new Error('an executor of an unknown driver');
}
