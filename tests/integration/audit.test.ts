import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import { rows } from '$lib/server/db';
import { describeEachDatabase } from '../helpers/db';
import { testActor } from '../factories';

describeEachDatabase('audit chain', (t) => {
	it('chains entries and verifies them', async () => {
		for (let i = 0; i < 5; i++) {
			await t.db.transaction((tx) =>
				audit.record(tx, testActor, {
					action: 'thing.create',
					entity: 'thing',
					entityId: i,
					changes: { name: { before: null, after: `n${i}` } }
				})
			);
		}
		const result = await audit.verify(t.db);
		expect(result).toEqual({ ok: true, checked: 5, firstBroken: null });
	});

	it('searches for % and _ literally', async () => {
		for (const id of ['50%_off', '50xyoff']) {
			await t.db.transaction((tx) =>
				audit.record(tx, testActor, {
					action: 'thing.create',
					entity: 'thing',
					entityId: id,
					changes: {}
				})
			);
		}
		const found = await audit.list(t.db, { q: '0%_o' }, 1, 10);
		expect(found.entries.map((e) => e.entityId)).toEqual(['50%_off']);
		expect(found.total).toBe(1);
	});

	it('refuses updates and deletes in the database', async () => {
		await expect(
			t.db.execute(sql`update audit_entry set action = 'x' where seq = 1`)
		).rejects.toThrow();
		await expect(t.db.execute(sql`delete from audit_entry where seq = 2`)).rejects.toThrow();
	});

	it('concurrent appends never fork the chain', async () => {
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				t.db.transaction((tx) =>
					audit.record(tx, testActor, { action: 'thing.touch', entity: 'thing', entityId: i })
				)
			)
		);
		const [dup] = await rows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from (select prev_hash from audit_entry group by prev_hash having count(*) > 1) d`
		);
		expect(dup!.n).toBe(0);
		expect((await audit.verify(t.db)).ok).toBe(true);
	});

	it('names the first tampered entry', async () => {
		await t.db.execute(sql`alter table audit_entry disable trigger audit_entry_append_only`);
		await t.db.execute(sql`update audit_entry set actor_label = 'someone-else' where seq = 3`);
		await t.db.execute(sql`alter table audit_entry enable trigger audit_entry_append_only`);
		const result = await audit.verify(t.db);
		expect(result.ok).toBe(false);
		expect(result.firstBroken).toEqual({ seq: 3, reason: 'hash' });
	});
});
