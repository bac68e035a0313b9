// The limit on waiting for a pooled connection (src/lib/server/db/pool-wait.ts), on PostgreSQL:
// with every connection held, a statement and a transaction are refused with PoolBusyError once
// the limit passes — and the refused transaction never runs later, when a connection frees up.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type DatabaseHandle } from '$lib/server/db';
import { isPoolBusyError, PoolBusyError } from '$lib/server/db/pool-wait';
import { createPostgresDatabase } from '../helpers/db';

const WAIT_MS = 300;

describe.skipIf(!process.env.TEST_DATABASE_URL)('pool wait limit (postgres)', () => {
	let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
	let handle: DatabaseHandle;

	beforeAll(async () => {
		created = await createPostgresDatabase();
		handle = await openDatabase({ url: created.url, max: 1, poolWaitMs: WAIT_MS });
		await handle.db.execute(sql`create table marker (note text)`);
	});
	afterAll(async () => {
		await handle?.close();
		await created?.drop();
	});

	/** Holds the pool's one connection in a transaction until `release` is called. */
	function holdConnection() {
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		let taken!: () => void;
		const isTaken = new Promise<void>((r) => (taken = r));
		const held = handle.db.transaction(async (tx) => {
			await tx.execute(sql`select 1`);
			taken();
			await released;
		});
		return { held, isTaken, release };
	}

	it('refuses a statement that found no free connection in time, and runs it when one is free', async () => {
		const { held, isTaken, release } = holdConnection();
		await isTaken;
		const started = Date.now();
		const error = await handle.db.execute(sql`select 1`).then(
			() => null,
			(e: unknown) => e
		);
		const waited = Date.now() - started;
		expect(isPoolBusyError(error)).toBe(true);
		expect(waited).toBeGreaterThanOrEqual(WAIT_MS - 20);
		expect(waited).toBeLessThan(WAIT_MS + 2_000);
		release();
		await held;
		const [r] = await rows<{ n: number }>(handle.db, sql`select 2 as n`);
		expect(r?.n).toBe(2);
	});

	it('refuses a transaction that found no free connection in time; it never runs afterwards', async () => {
		const { held, isTaken, release } = holdConnection();
		await isTaken;
		const error = await handle.db
			.transaction(async (tx) => {
				await tx.execute(sql`insert into marker values ('late')`);
			})
			.then(
				() => null,
				(e: unknown) => e
			);
		expect(error).toBeInstanceOf(PoolBusyError);
		release();
		await held;
		// The queued BEGIN got the connection once it was free, and rolled back without running.
		await new Promise((r) => setTimeout(r, 100));
		const marks = await rows<{ note: string }>(handle.db, sql`select note from marker`);
		expect(marks).toEqual([]);
		await handle.db.transaction(async (tx) => {
			await tx.execute(sql`insert into marker values ('now')`);
		});
		expect(await rows(handle.db, sql`select note from marker`)).toEqual([{ note: 'now' }]);
	});

	it('lets work through that gets a connection within the limit', async () => {
		const { held, isTaken, release } = holdConnection();
		await isTaken;
		setTimeout(release, WAIT_MS / 3);
		const [r] = await rows<{ n: number }>(handle.db, sql`select 3 as n`);
		expect(r?.n).toBe(3);
		await held;
	});
});
