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

describe.skipIf(!process.env.TEST_DATABASE_URL)(
	'migrating from several processes (postgres)',
	() => {
		let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
		const handles: DatabaseHandle[] = [];

		beforeAll(async () => {
			created = await createPostgresDatabase();
			for (let i = 0; i < INSTANCES; i++) handles.push(await openDatabase({ url: created.url }));
		});
		afterAll(async () => {
			await Promise.all(handles.map((h) => h.close()));
			await created?.drop();
		});

		it('applies each migration once when every instance migrates at the same moment', async () => {
			const outcomes = await Promise.allSettled(handles.map((h) => h.migrate()));
			expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
			const applied = await rows<{ hash: string; n: number }>(
				handles[0]!.db,
				sql`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`
			);
			expect(applied.length).toBeGreaterThan(10);
			expect(applied.filter((r) => r.n !== 1)).toEqual([]);
			// A later start finds nothing to do.
			await handles[0]!.migrate();
		});
	}
);

describe.skipIf(!process.env.TEST_DATABASE_URL)(
	'first start from several processes (postgres)',
	() => {
		let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
		const handles: DatabaseHandle[] = [];

		beforeAll(async () => {
			created = await createPostgresDatabase();
			for (let i = 0; i < INSTANCES; i++) handles.push(await openDatabase({ url: created.url }));
			await handles[0]!.migrate();
		});
		afterAll(async () => {
			await Promise.all(handles.map((h) => h.close()));
			await created?.drop();
		});

		it('makes one first admin and one set of examples when every instance starts at once', async () => {
			const lines: string[] = [];
			const env = { ADMIN_PASSWORD: 'a first password 1234', LANG: 'en_US.UTF-8' };
			const outcomes = await Promise.allSettled(
				handles.map((h) => bootstrap(h.db, env, (line) => lines.push(line)))
			);
			expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
			const db = handles[0]!.db;
			expect(await users.total(db)).toBe(1);
			expect(await departments.total(db)).toBe(EXAMPLE_DEPARTMENTS.length);
			// Said once: the admin, the examples, their complaints.
			expect(lines).toHaveLength(3);
		});
	}
);
