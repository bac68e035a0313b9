// `driverOf` names the driver under a handle or a transaction and gives its own client on the
// transaction's connection: the one place that knows where Drizzle keeps it, checked here on both
// drivers so that a Drizzle upgrade that moves it fails this test, not an import in production.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { driverOf } from '$lib/server/db';
import { describeEachDatabase } from '../helpers/db';

describeEachDatabase('driverOf', (t) => {
	it('names the driver of the database and of a transaction on it', async () => {
		expect(driverOf(t.db).kind).toBe(t.driver);
		await t.db.transaction(async (tx) => {
			expect(driverOf(tx).kind).toBe(t.driver);
			await tx.transaction(async (sp) => expect(driverOf(sp).kind).toBe(t.driver));
		});
	});

	it("gives the client on the transaction's own connection", async () => {
		await t.db.transaction(async (tx) => {
			await tx.execute(sql`create temp table driver_probe (n int) on commit drop`);
			await tx.execute(sql`insert into driver_probe values (7)`);
			const d = driverOf(tx);
			// A temporary table is visible on its own connection only: the client is that one.
			const seen =
				d.kind === 'postgres'
					? ((await d.sql.unsafe('select n from driver_probe')) as unknown as { n: number }[])
					: (await d.client.query<{ n: number }>('select n from driver_probe')).rows;
			expect(seen.map((r) => Number(r.n))).toEqual([7]);
		});
	});
});
