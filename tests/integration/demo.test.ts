// The demo city (issue 10 §5, docs/demo.md) on both databases: loaded over a first start's
// examples, it reproduces the seed report's figures as the product's own statistics compute them
// from the records — complaints by the complaint statistics, the reform by the handbook's reform
// statistics, the service center's cases by SQL over the case table — and has the shape the
// pages need: departments per category, valid enterprises, published and draft years with their
// outcomes, one working account per role. A second run is refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUscc } from '$lib/domain/uscc';
import { verifyPassword } from '$lib/server/auth/password';
import * as audit from '$lib/server/audit';
import { bootstrap } from '$lib/server/bootstrap';
import { statistics } from '$lib/server/complaints/statistics';
import { rows } from '$lib/server/db';
import * as demo from '$lib/server/demo';
import * as handbook from '$lib/server/handbook';
import { currentRevision, latestDraft } from '$lib/server/results';
import * as users from '$lib/server/users';
import { describeEachDatabase, freshDatabase, type TestDatabase } from '../helpers/db';
import { cliRefusal, runCli } from '../helpers/cli';
import { useEnv } from '../helpers/env';
import { testActor } from '../factories';

const LEADER = { role: 'leader' } as const;

useEnv({ INVITATION_SECRET: 'demo-test-secret-of-at-least-32-characters' });

describeEachDatabase('demo city', (t) => {
	let result: demo.DemoResult;

	beforeAll(async () => {
		// A first start: the admin, example departments and complaints, which the demo replaces.
		await bootstrap(t.db, { ADMIN_PASSWORD: 'admin-password-1' }, () => {}, new Date());
		result = await demo.load(t.db, testActor);
		console.log(`demo city loaded on ${t.driver} in ${result.milliseconds} ms`);
	}, 300_000);

	it('replaces the first start examples and keeps the admin', async () => {
		expect(result.examplesRemoved).toBeGreaterThan(0);
		const [r] = await rows<{ examples: number; admins: number }>(
			t.db,
			sql`select (select count(*) from department where example)::int
					+ (select count(*) from complaint where example)::int as examples,
				(select count(*) from "user" where role = 'admin')::int as admins`
		);
		expect(r).toEqual({ examples: 0, admins: 1 });
	});

	it('complaints: 237 (2002) → 147 (2003), −37.97%; January–June 75 → 63, −16.0%', async () => {
		const years = await statistics(t.db, LEADER, { from: '2003-01-01', to: '2003-12-31' });
		if (typeof years === 'string') throw new Error(years);
		expect(years.total).toEqual({ current: 147, previous: 237, change: -90, changePct: -37.97 });
		const halves = await statistics(t.db, LEADER, { from: '2004-01-01', to: '2004-06-30' });
		if (typeof halves === 'string') throw new Error(halves);
		expect(halves.total).toEqual({ current: 63, previous: 75, change: -12, changePct: -16 });
	});

	it('service center: 107,124 accepted and 106,978 completed from the opening to 30 June 2004, 99.86%', async () => {
		const [r] = await rows<{ first: string; accepted: number; completed: number; rate: string }>(
			t.db,
			sql`with c as (
					select * from service_case
					where accepted_at < (date '2004-07-01')::timestamp at time zone 'Asia/Shanghai'
				)
				select min(accepted_at at time zone 'Asia/Shanghai')::date::text as first,
					count(*)::int as accepted,
					(count(*) filter (where completed_at
						< (date '2004-07-01')::timestamp at time zone 'Asia/Shanghai'))::int as completed,
					round(100.0 * count(*) filter (where completed_at
						< (date '2004-07-01')::timestamp at time zone 'Asia/Shanghai') / count(*), 2)::text as rate
				from c`
		);
		expect(r).toEqual({
			first: demo.CASES.opened,
			accepted: 107_124,
			completed: 106_978,
			rate: '99.86'
		});
	});

	it('handbook: items 640 → 510, prerequisites 2,631 → 2,368, days 7,219 → 4,944, instant 23 → 135', async () => {
		// The reform page's default: the latest edition against the one before it.
		const editions = (await handbook.editions(t.db)).map((e) => e.year);
		expect(editions).toEqual([2004, 2003, 2002]);
		const { total, departments } = await handbook.reform(t.db, 2003, 2004);
		expect(total.items).toMatchObject({ from: 640, to: 510, percent: -20.3 });
		expect(total.prerequisites).toMatchObject({ from: 2631, to: 2368, percent: -10 });
		expect(total.promisedDays).toMatchObject({ from: 7219, to: 4944, percent: -31.5 });
		expect(total.instant).toMatchObject({ from: 23, to: 135 });
		expect(departments).toHaveLength(37);
		// The old catalogue did not change between 2002 and 2003.
		expect((await handbook.reform(t.db, 2002, 2003)).total.items).toMatchObject({
			from: 640,
			to: 640
		});
	});

	it('has 40 municipal and 15 vertical departments and 1,000 enterprises with valid codes', async () => {
		const byCategory = await rows<{ category: string; n: number }>(
			t.db,
			sql`select h.category::text as category, count(*)::int as n
				from department d join department_category_history h on h.department_id = d.id
				where d.active and h.from_year = 2002 group by 1 order by 1`
		);
		expect(byCategory).toEqual([
			{ category: 'municipal', n: 40 },
			{ category: 'vertical', n: 15 }
		]);
		const codes = await rows<{ uscc: string }>(t.db, sql`select uscc from enterprise`);
		expect(codes).toHaveLength(1000);
		expect(codes.filter((c) => !isValidUscc(c.uscc))).toEqual([]);
	});

	it('publishes 2002 and 2003 with commended and rectification outcomes, and drafts 2004', async () => {
		for (const year of [2002, 2003]) {
			const published = await currentRevision(t.db, year);
			expect(published?.revision).toBe(1);
			const draft = await latestDraft(t.db, year);
			const outcomes = (category: string, outcome: string) =>
				draft!.content.departments.filter(
					(d) => d.category === category && d.outcomes.includes(outcome as never)
				).length;
			expect(draft!.content.errors).toEqual([]);
			expect([outcomes('municipal', 'commended'), outcomes('vertical', 'commended')]).toEqual([
				6, 4
			]);
			expect([
				outcomes('municipal', 'rectification'),
				outcomes('vertical', 'rectification')
			]).toEqual([3, 3]);
			const [r] = await rows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from rectification where year = ${year}::int`
			);
			expect(r!.n).toBe(6);
		}
		expect(await currentRevision(t.db, 2004)).toBeNull();
		const draft2004 = await latestDraft(t.db, 2004);
		expect(draft2004?.content.errors).toEqual([]);
		expect(draft2004?.content.departments).toHaveLength(55);
	});

	it('gives one account per role whose printed password signs in', async () => {
		expect(result.accounts.map((a) => a.role).sort()).toEqual([
			'enterprise',
			'leader',
			'liaison',
			'supervisor'
		]);
		for (const a of result.accounts) {
			const found = await users.credentials(t.db, a.username);
			expect(await verifyPassword(found!.passwordHash, a.password)).toBe(true);
		}
		// The liaison's department is in rectification after the latest publication.
		const [liaison] = await rows<{ code: string }>(
			t.db,
			sql`select d.code from "user" u join department d on d.id = u.department_id
				where u.username = 'demo-liaison'`
		);
		expect(result.years.find((y) => y.year === 2003)!.rectification).toContain(liaison!.code);
	});

	it('keeps the audit chain whole, and refuses a second run', async () => {
		expect((await audit.verify(t.db)).ok).toBe(true);
		await expect(demo.load(t.db, testActor)).rejects.toBeInstanceOf(demo.DemoRefused);
		// The command says so in the user's language and exits 1.
		const en = await cliRefusal(runCli(t.handle, ['demo'], {}, 'en'));
		expect([en.code, en.exitCode]).toEqual(['demo_not_empty', 1]);
		expect(en.message).toContain(
			'The database already holds records (departments: 55, enterprises: 1000'
		);
		const zh = await cliRefusal(runCli(t.handle, ['demo'], {}, 'zh-CN'));
		expect(zh.message).toContain('数据库中已有记录（部门 55、企业 1000');
	});
});

// The first start with PINGYI_DEMO=1 (what `npm start` sets when asked): the admin, then the
// demo city instead of the examples, its summary printed; a later start adds nothing. PGlite only:
// the loading itself is the suite above's, on both databases.
describe('first start with PINGYI_DEMO=1 [pglite]', () => {
	let handle: TestDatabase;
	beforeAll(async () => {
		handle = await freshDatabase('pglite');
	});
	afterAll(async () => {
		await handle.dispose();
	});

	it('loads the demo city instead of the examples, once', { timeout: 300_000 }, async () => {
		const env = { ADMIN_PASSWORD: 'admin-password-1', PINGYI_DEMO: '1', PINGYI_LANG: 'en' };
		const lines: string[] = [];
		await bootstrap(handle.db, env, (l) => lines.push(l));
		const printed = lines.join('\n');
		expect(printed).toContain('Demo city loaded');
		expect(printed).toMatch(/username demo-leader, password [a-z2-7]{16}/);
		const count = async () =>
			(
				await rows<{ n: number; examples: number }>(
					handle.db,
					sql`select count(*)::int as n, (count(*) filter (where example))::int as examples
						from department`
				)
			)[0];
		expect(await count()).toEqual({ n: 55, examples: 0 });
		const later: string[] = [];
		await bootstrap(handle.db, env, (l) => later.push(l));
		expect(later).toEqual([]);
		expect(await count()).toEqual({ n: 55, examples: 0 });
	});
});
