// Several app instances starting at once on one empty PostgreSQL database (README, Deployment)
// each apply the migrations and the first start's records at start-up: one does it, the others
// wait and find it done; none fails, every migration is recorded once, there is one first admin.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '$lib/server/bootstrap';
import { openDatabase, rows, type DatabaseHandle } from '$lib/server/db';
import * as departments from '$lib/server/departments';
import { EXAMPLE_DEPARTMENTS } from '$lib/server/departments/examples';
import * as users from '$lib/server/users';
import { createPostgresDatabase } from '../helpers/db';

const INSTANCES = 4;

/** INSTANCES handles on one fresh database, as many instances would hold (`migrated`: first). */
function onOneDatabase(opts: { migrated: boolean }): DatabaseHandle[] {
	let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
	const handles: DatabaseHandle[] = [];
	beforeAll(async () => {
		created = await createPostgresDatabase();
		for (let i = 0; i < INSTANCES; i++) handles.push(await openDatabase({ url: created.url }));
		if (opts.migrated) await handles[0]!.migrate();
	});
	afterAll(async () => {
		await Promise.all(handles.map((h) => h.close()));
		await created?.drop();
	});
	return handles;
}

const rejected = (outcomes: PromiseSettledResult<unknown>[]) =>
	outcomes.filter((o) => o.status === 'rejected');

describe.skipIf(!process.env.TEST_DATABASE_URL)(
	'starting several instances at once (postgres)',
	() => {
		describe('on a database without tables', () => {
			const handles = onOneDatabase({ migrated: false });

			it('applies each migration once when every instance migrates at the same moment', async () => {
				expect(rejected(await Promise.allSettled(handles.map((h) => h.migrate())))).toEqual([]);
				const applied = await rows<{ hash: string; n: number }>(
					handles[0]!.db,
					sql`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`
				);
				expect(applied.length).toBeGreaterThan(10);
				expect(applied.filter((r) => r.n !== 1)).toEqual([]);
				// A later start finds nothing to do.
				await handles[0]!.migrate();
			});
		});

		describe('on an empty database', () => {
			const handles = onOneDatabase({ migrated: true });

			it('makes one first admin and one set of examples', async () => {
				const lines: string[] = [];
				const env = { ADMIN_PASSWORD: 'a first password 1234', LANG: 'en_US.UTF-8' };
				const outcomes = await Promise.allSettled(
					handles.map((h) => bootstrap(h.db, env, (line) => lines.push(line)))
				);
				expect(rejected(outcomes)).toEqual([]);
				const db = handles[0]!.db;
				expect(await users.total(db)).toBe(1);
				expect(await departments.total(db)).toBe(EXAMPLE_DEPARTMENTS.length);
				// Said once: the admin, the examples, their complaints.
				expect(lines).toHaveLength(3);
			});
		});
	}
);
