// The year-end dashboard (issue 10 §2): which year and snapshot it opens on, the trend over the
// published years, complaints against the year before and the same period, what awaits a
// decision, and who may read it.
import { beforeAll, expect, it } from 'vitest';
import * as dashboard from '$lib/server/dashboard';
import * as visits from '$lib/server/visits';
import { makeDepartment, makeUser, principalOf, testActor } from '../factories';
import { makeComplaint, local } from '../factories/records';
import {
	departmentResult,
	makeRectification,
	makeSnapshot,
	snapshotContent
} from '../factories/snapshots';
import { makeEnterprise, makeVisit, raiseOn } from '../factories/visits';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';

const NOW = local('2004-07-15 10:00');

describeEachDatabase('dashboard', (t) => {
	const admin = principalOf(null, 'admin');
	let leader: ReturnType<typeof principalOf>;
	let problemNo = '';

	beforeAll(async () => {
		const a = await makeDepartment(t.db, { code: 'dsa' });
		await makeDepartment(t.db, { code: 'dsb' });
		await makeDepartment(t.db, { code: 'dsv', category: 'vertical' });
		// 2002 and 2003 published (2003 corrected once), 2004 a draft.
		await makeSnapshot(
			t.db,
			snapshotContent(2002, [
				departmentResult('dsa', { scores: { ...departmentResult('dsa').scores, total: 80 } }),
				departmentResult('dsb', { rank: 2, outcomes: ['rectification', 'criticism'] })
			]),
			{ revision: 1 }
		);
		await makeSnapshot(t.db, snapshotContent(2003, [departmentResult('dsa')]), { revision: 1 });
		const r2 = await makeSnapshot(
			t.db,
			snapshotContent(2003, [
				departmentResult('dsa', { scores: { ...departmentResult('dsa').scores, total: 90 } }),
				departmentResult('dsb', { rank: 2, outcomes: ['rectification'], satisfactionRate: 60 }),
				departmentResult('dsv', { category: 'vertical' })
			]),
			{ revision: 2 }
		);
		await makeSnapshot(t.db, snapshotContent(2004, [departmentResult('dsa', { rank: 7 })]));
		await makeRectification(t.db, {
			year: 2003,
			departmentId: a.id,
			snapshotId: r2.id,
			deadline: '2004-03-31'
		});
		// Complaints: 3 in 2002 (2 in January–June, one of them before 15 July), 2 in 2003
		// (1 before 15 July), 1 in 2004 before 15 July.
		for (const received of ['2002-02-01 09:00', '2002-06-30 09:00', '2002-11-01 09:00'])
			await makeComplaint(t.db, { department: 'dsa', received });
		for (const received of ['2003-07-10 09:00', '2003-09-01 09:00'])
			await makeComplaint(t.db, { department: 'dsb', received });
		await makeComplaint(t.db, { department: 'dsb', received: '2004-03-01 09:00' });
		// An escalated problem awaiting the leader.
		const u = await makeUser(t.db, { role: 'leader' });
		leader = principalOf(u.id, 'leader');
		const e = await makeEnterprise(t.db);
		const v = await makeVisit(t.db, e.id, '2004-05-10');
		problemNo = (await raiseOn(t.db, v, [a.id], [{ scope: 'widespread' }]))[0]!;
		await visits.actOnProblem(
			t.db,
			{ ...principalOf(null, 'supervisor') },
			problemNo,
			'escalate',
			{ leader: u.id! },
			testActor,
			local('2004-05-11 09:00')
		);
	});

	it('opens on the newest published year, its current revision', async () => {
		const d = await dashboard.dashboard(t.db, admin, { year: null, draft: false }, NOW);
		expect(d.years).toEqual([
			{ year: 2004, published: false },
			{ year: 2003, published: true },
			{ year: 2002, published: true }
		]);
		expect(d.year).toBe(2003);
		expect(d.draft).toBe(false);
		expect(d.results?.snapshot.revision).toBe(2);
		expect(d.results?.departments.map((x) => x.code)).toEqual(['dsa', 'dsb', 'dsv']);
	});

	it('shows a year with drafts only as its draft, and a draft on request', async () => {
		const only = await dashboard.dashboard(t.db, admin, { year: 2004, draft: false }, NOW);
		expect(only.draft).toBe(true);
		expect(only.results?.snapshot.kind).toBe('draft');
		const asked = await dashboard.dashboard(t.db, leader, { year: 2003, draft: true }, NOW);
		// 2003 has no draft of its own in this database: nothing to show, and said so.
		expect(asked.draft).toBe(true);
		expect(asked.results).toBeNull();
		const none = await dashboard.dashboard(t.db, admin, { year: 1999, draft: false }, NOW);
		expect(none.results).toBeNull();
		expect(none.trend.years).toEqual([]);
	});

	it('follows each department over the published years up to the chosen one', async () => {
		const d = await dashboard.dashboard(t.db, admin, { year: 2003, draft: false }, NOW);
		expect(d.trend.years).toEqual([2002, 2003]);
		const a = d.trend.departments.find((x) => x.code === 'dsa')!;
		expect(a.points.map((p) => p?.total)).toEqual([80, 90]);
		const v = d.trend.departments.find((x) => x.code === 'dsv')!;
		expect(v.points[0]).toBeNull();
		expect(v.category).toBe('vertical');
		const b = d.trend.departments.find((x) => x.code === 'dsb')!;
		expect(b.points[0]?.outcomes).toEqual(['rectification', 'criticism']);
		const earlier = await dashboard.dashboard(t.db, admin, { year: 2002, draft: false }, NOW);
		expect(earlier.trend.years).toEqual([2002]);
	});

	it('counts complaints per year, in the year so far and January–June against a year earlier', async () => {
		const d = await dashboard.dashboard(t.db, admin, { year: 2004, draft: false }, NOW);
		expect(d.complaints.yearly).toEqual([
			{ year: 2000, count: 0 },
			{ year: 2001, count: 0 },
			{ year: 2002, count: 3 },
			{ year: 2003, count: 2 },
			{ year: 2004, count: 1 }
		]);
		// The current year so far: 1 January to 15 July 2004 against the same days of 2003.
		expect(d.complaints.period).toEqual({ from: '2004-01-01', to: '2004-07-15' });
		expect(d.complaints.total).toMatchObject({ current: 1, previous: 1, change: 0 });
		expect(d.complaints.firstHalf).toMatchObject({ current: 1, previous: 0 });
		const past = await dashboard.dashboard(t.db, admin, { year: 2003, draft: false }, NOW);
		expect(past.complaints.period).toEqual({ from: '2003-01-01', to: '2003-12-31' });
		expect(past.complaints.total).toMatchObject({ current: 2, previous: 3, changePct: -33.33 });
		expect(past.complaints.firstHalf).toMatchObject({ current: 0, previous: 2 });
		expect(past.complaints.departments.map((x) => [x.code, x.change.current])).toEqual([
			['dsb', 2],
			['dsa', 0]
		]);
	});

	it('lists rectifications under way and problems awaiting a city leader', async () => {
		const d = await dashboard.dashboard(t.db, leader, { year: null, draft: false }, NOW);
		expect(d.rectifications.open).toBe(1);
		expect(d.rectifications.rows[0]).toMatchObject({ departmentCode: 'dsa', state: 'overdue' });
		expect(d.escalated.total).toBe(1);
		expect(d.escalated.rows[0]).toMatchObject({
			problemNo,
			state: 'escalated',
			awaitsReader: true
		});
	});

	it('is refused to a liaison, an enterprise and the public', async () => {
		for (const role of ['liaison', 'enterprise'] as const) {
			expect(
				await refusalCode(
					dashboard.dashboard(t.db, principalOf(null, role), { year: null, draft: false }, NOW)
				)
			).toBe('results_forbidden');
		}
		expect(dashboard.mayReadDashboard(null)).toBe(false);
	});
});
