// Every database test runs on PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL too;
// each test file gets its own fresh database built from the real migrations in drizzle/.
import { afterAll, beforeAll, describe } from 'vitest';
import postgres from 'postgres';
import { openDatabase, type Database, type DatabaseHandle } from '$lib/server/db';

export type Driver = 'pglite' | 'postgres';

export const DRIVERS: Driver[] = process.env.TEST_DATABASE_URL
	? ['pglite', 'postgres']
	: ['pglite'];

export interface TestDatabase extends DatabaseHandle {
	/** The connection string of the fresh PostgreSQL database (postgres driver only). */
	url?: string;
	dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/**
 * A fresh, empty PostgreSQL database on the TEST_DATABASE_URL server (or on `server`, a
 * connection string to a database of another server, e.g. a throw-away cluster's); returns its
 * URL.
 */
export async function createPostgresDatabase(
	server = process.env.TEST_DATABASE_URL
): Promise<{ url: string; drop(): Promise<void> }> {
	const base = server;
	if (!base) throw new Error('TEST_DATABASE_URL is not set');
	const name = `pingyi_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	await admin.end();
	return {
		url: withDatabase(base, name),
		drop: async () => {
			const a = postgres(base, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists "${name}" with (force)`);
			await a.end();
		}
	};
}

export async function freshDatabase(driver: Driver): Promise<TestDatabase> {
	if (driver === 'pglite') {
		const handle = await openDatabase({ pgliteDir: 'memory://' });
		await handle.migrate();
		return { ...handle, dispose: () => handle.close() };
	}
	const created = await createPostgresDatabase();
	const handle = await openDatabase({ url: created.url, max: 5 });
	await handle.migrate();
	return {
		...handle,
		url: created.url,
		dispose: async () => {
			await handle.close();
			await created.drop();
		}
	};
}

/**
 * Runs the suite once per driver, each on its own fresh database:
 *   describeEachDatabase('departments', (t) => { it('…', async () => { t.db … }) })
 */
export function describeEachDatabase(
	name: string,
	suite: (t: {
		readonly db: Database;
		readonly handle: TestDatabase;
		readonly driver: Driver;
	}) => void
) {
	for (const driver of DRIVERS) {
		describe(`${name} [${driver}]`, () => {
			let handle: TestDatabase | undefined;
			beforeAll(async () => {
				handle = await freshDatabase(driver);
			});
			afterAll(async () => {
				await handle?.dispose();
			});
			suite({
				get db() {
					return handle!.db;
				},
				get handle() {
					return handle!;
				},
				driver
			});
		});
	}
}
