// Rectifications: the verbs the rectification pages call, against a real database. Every step
// is audited; progress reports are append-only; a closed rectification takes no more changes;
// overdue means past the deadline (local date) and not closed.
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { Tx } from '$lib/server/db';
import { auditEntry, rectificationReport } from '$lib/server/db/schema';
import * as rectifications from '$lib/server/rectification';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, makeUser, testActor } from '../factories';
import {
	departmentResult,
	makeRectification,
	makeSnapshot,
	snapshotContent
} from '../factories/snapshots';
import { refusalCode } from '../helpers/refusal';

const JUNE = new Date('2026-06-01T10:00:00+08:00');
// 00:30 on 1 April in Shanghai is still 31 March in UTC: the local date must decide.
const AFTER_DEADLINE = new Date('2026-04-01T00:30:00+08:00');
const ON_DEADLINE = new Date('2026-03-31T23:30:00+08:00');

describeEachDatabase('rectification', (t) => {
	const tx = <T>(fn: (x: Tx) => Promise<T>) => t.db.transaction(fn);
	let ids: { a: number; b: number; other: number };
	let deptA: number;
	let deptB: number;
	let leaderId: number;
	let liaisonId: number;

	beforeAll(async () => {
		const a = await makeDepartment(t.db, { code: 'rca' });
		const b = await makeDepartment(t.db, { code: 'rcb' });
		deptA = a.id;
		deptB = b.id;
		const snap = await makeSnapshot(
			t.db,
			snapshotContent(2025, [departmentResult('rca'), departmentResult('rcb')]),
			{ revision: 1 }
		);
		const earlier = await makeSnapshot(t.db, snapshotContent(2024, [departmentResult('rca')]), {
			revision: 1
		});
		ids = {
			a: (
				await makeRectification(t.db, {
					year: 2025,
					departmentId: a.id,
					snapshotId: snap.id,
					deadline: '2026-03-31'
				})
			).id,
			b: (
				await makeRectification(t.db, {
					year: 2025,
					departmentId: b.id,
					snapshotId: snap.id,
					deadline: '2026-09-30'
				})
			).id,
			other: (
				await makeRectification(t.db, {
					year: 2024,
					departmentId: a.id,
					snapshotId: earlier.id,
					deadline: '2025-03-31'
				})
			).id
		};
		leaderId = (await makeUser(t.db, { role: 'leader', username: 'rc-leader' })).id;
		liaisonId = (await makeUser(t.db, { role: 'liaison', departmentCode: 'rca' })).id;
	});

	it('lists per year and per department, overdue first, by the local date', async () => {
		const all = await rectifications.list(t.db, { page: 1, pageSize: 10, now: ON_DEADLINE });
		expect(all.total).toBe(3);
		// 2024's is overdue (deadline 2025-03-31); 2025's for rca is due that very day: open.
		expect(all.rows.map((r) => [r.id, r.state])).toEqual([
			[ids.other, 'overdue'],
			[ids.a, 'open'],
			[ids.b, 'open']
		]);
		const later = await rectifications.list(t.db, {
			year: 2025,
			page: 1,
			pageSize: 10,
			now: AFTER_DEADLINE
		});
		expect(later.rows.map((r) => [r.departmentCode, r.state])).toEqual([
			['rca', 'overdue'],
			['rcb', 'open']
		]);
		const own = await rectifications.list(t.db, {
			departmentId: deptB,
			page: 1,
			pageSize: 10
		});
		expect(own.rows.map((r) => r.id)).toEqual([ids.b]);
		const ownA = await rectifications.list(t.db, {
			departmentId: deptA,
			page: 1,
			pageSize: 10,
			now: ON_DEADLINE
		});
		expect(ownA.rows.map((r) => r.id)).toEqual([ids.other, ids.a]);
		const overdue = await rectifications.list(t.db, {
			overdue: true,
			page: 1,
			pageSize: 10,
			now: AFTER_DEADLINE
		});
		expect(overdue.rows.map((r) => r.id).sort()).toEqual([ids.a, ids.other].sort());
		expect(await rectifications.years(t.db)).toEqual([2025, 2024]);
		expect(await rectifications.years(t.db, deptB)).toEqual([2025]);
		const paged = await rectifications.list(t.db, { page: 2, pageSize: 2, now: ON_DEADLINE });
		expect(paged).toMatchObject({ total: 3, rows: [{ id: ids.b }] });
	});

	it('assigns a city leader, refusing other accounts, and audits the change', async () => {
		const supervisor = await makeUser(t.db, { role: 'supervisor' });
		expect(
			await refusalCode(tx((x) => rectifications.assignLeader(x, ids.a, supervisor.id, testActor)))
		).toBe('rectification_not_a_leader');
		expect(
			await refusalCode(tx((x) => rectifications.assignLeader(x, 999_999, leaderId, testActor)))
		).toBe('rectification_not_found');
		await tx((x) => rectifications.assignLeader(x, ids.a, leaderId, testActor));
		expect(
			await refusalCode(tx((x) => rectifications.assignLeader(x, ids.a, leaderId, testActor)))
		).toBe('rectification_leader_unchanged');
		const detail = await rectifications.get(t.db, ids.a, JUNE);
		expect(detail).toMatchObject({
			assignedLeaderId: leaderId,
			leaderName: 'Test User',
			departmentCode: 'rca',
			revision: 1,
			state: 'overdue'
		});
		const entries = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.entity, 'rectification'), eq(auditEntry.entityId, String(ids.a))))
			.orderBy(asc(auditEntry.seq));
		expect(entries.map((e) => e.action)).toEqual(['rectification.assign_leader']);
		expect(entries[0]!.changes).toMatchObject({
			year: 2025,
			department: 'rca',
			assignedLeader: { before: null, after: 'rc-leader' }
		});
		expect(await rectifications.leaders(t.db)).toEqual([
			{ id: leaderId, username: 'rc-leader', displayName: 'Test User' }
		]);
	});

	it('takes the plan and progress reports, which are append-only', async () => {
		const liaison = { kind: 'user' as const, id: liaisonId, label: 'liaison' };
		expect(await refusalCode(tx((x) => rectifications.submitPlan(x, ids.a, '   ', liaison)))).toBe(
			'required'
		);
		await tx((x) => rectifications.submitPlan(x, ids.a, ' 整改方案：窗口延时服务 ', liaison, JUNE));
		await tx((x) => rectifications.addReport(x, ids.a, '第一次进展', liaison, JUNE));
		await tx((x) =>
			rectifications.addReport(x, ids.a, '第二次进展', liaison, new Date(JUNE.getTime() + 1000))
		);
		const detail = await rectifications.get(t.db, ids.a, JUNE);
		expect(detail?.plan).toBe('整改方案：窗口延时服务');
		expect(detail?.planSubmittedAt?.getTime()).toBe(JUNE.getTime());
		expect(detail?.reportList.map((r) => [r.body, r.submittedBy])).toEqual([
			['第一次进展', 'Test User'],
			['第二次进展', 'Test User']
		]);
		const line = (await rectifications.list(t.db, { year: 2025, page: 1, pageSize: 10 })).rows.find(
			(r) => r.id === ids.a
		);
		expect(line).toMatchObject({ planSubmitted: true, reports: 2 });
		// The database itself refuses to change or remove a report.
		await expect(
			t.db.execute(sql`update rectification_report set body = 'rewritten'`)
		).rejects.toThrow();
		await expect(t.db.delete(rectificationReport)).rejects.toThrow();
		const actions = (
			await t.db
				.select({ action: auditEntry.action, changes: auditEntry.changes })
				.from(auditEntry)
				.where(and(eq(auditEntry.entity, 'rectification'), eq(auditEntry.entityId, String(ids.a))))
				.orderBy(asc(auditEntry.seq))
		).map((e) => e.action);
		expect(actions).toEqual([
			'rectification.assign_leader',
			'rectification.plan',
			'rectification.report',
			'rectification.report'
		]);
	});

	it('closes with a note once a plan is filed; then refuses every change', async () => {
		expect(await refusalCode(tx((x) => rectifications.close(x, ids.b, 'done', testActor)))).toBe(
			'rectification_plan_missing'
		);
		expect(await refusalCode(tx((x) => rectifications.close(x, ids.a, '  ', testActor)))).toBe(
			'required'
		);
		const supervisor = await makeUser(t.db, { role: 'supervisor' });
		const actor = { kind: 'user' as const, id: supervisor.id, label: supervisor.username };
		await tx((x) => rectifications.close(x, ids.a, '整改到位，同意销号', actor, AFTER_DEADLINE));
		const detail = await rectifications.get(t.db, ids.a, JUNE);
		expect(detail).toMatchObject({
			state: 'closed',
			closureNote: '整改到位，同意销号',
			closedBy: 'Test User'
		});
		for (const attempt of [
			() => tx((x) => rectifications.close(x, ids.a, 'again', actor)),
			() => tx((x) => rectifications.addReport(x, ids.a, 'late report', actor)),
			() => tx((x) => rectifications.submitPlan(x, ids.a, 'new plan', actor)),
			() => tx((x) => rectifications.assignLeader(x, ids.a, leaderId, actor))
		]) {
			expect(await refusalCode(attempt())).toBe('rectification_closed');
		}
		// A closed one is no longer overdue, whatever its deadline.
		const overdue = await rectifications.list(t.db, {
			overdue: true,
			page: 1,
			pageSize: 10,
			now: JUNE
		});
		expect(overdue.rows.map((r) => r.id)).toEqual([ids.other]);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(
				and(eq(auditEntry.action, 'rectification.close'), eq(auditEntry.entityId, String(ids.a)))
			);
		expect(entry?.changes).toMatchObject({
			closureNote: { before: null, after: '整改到位，同意销号' },
			overdue: true
		});
	});
});
