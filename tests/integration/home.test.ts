// The home pages' data on both databases: a supervisor's calls, visits, quotas, complaints and
// problems (their own assignments, active campaigns only, overdue first); a liaison's latest
// published result against its category's medians and what is due from its department — never
// another department's items, a campaign before it closes, a respondent or a complainant; an
// enterprise's own complaints and problems only.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { complaintFormSchema } from '$lib/schemas/complaint-workflow';
import type { Principal } from '$lib/server/auth/guard';
import { callAttempt, campaign, campaignQuota, sampleUnit, visit } from '$lib/server/db/schema';
import * as complaints from '$lib/server/complaints';
import * as findings from '$lib/server/findings';
import * as home from '$lib/server/home';
import * as visits from '$lib/server/visits';
import {
	makeDepartment,
	makeFinding,
	makeUser,
	principalOf,
	testActor,
	unique
} from '../factories';
import { makeCampaign, makeCase } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import {
	departmentResult,
	makeRectification,
	makeSnapshot,
	snapshotContent
} from '../factories/snapshots';
import { makeEnterprise, makeVisit, raiseOn } from '../factories/visits';
import { describeEachDatabase } from '../helpers/db';

/** A local instant in Shanghai. */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const NOW = at('2026-06-15');
const COMPLAINANT = '张三丰';

const scores = (work: number, convenience: number, complaints: number, appraisal: number) => ({
	work,
	convenience,
	complaints,
	appraisal,
	total: (30 * work + 20 * convenience + 20 * complaints + 30 * appraisal) / 100
});

describeEachDatabase('home pages', (t) => {
	let A: { id: number; code: string };
	let B: { id: number; code: string };
	let sup1: Principal;
	let sup2: Principal;
	let liaisonA: Principal;
	let liaisonB: Principal;
	let owner: Principal;
	const made = {
		phoneCampaign: '',
		draftCampaign: '',
		visitCampaign: '',
		findingA: '',
		findingADisputed: '',
		findingB: '',
		complaintA: '',
		complaintB: '',
		problemA: '',
		problemB: '',
		escalated: '',
		brigade: '',
		caseA: '',
		caseB: ''
	};

	beforeAll(async () => {
		A = await makeDepartment(t.db, { code: unique('ha') });
		B = await makeDepartment(t.db, { code: unique('hb') });
		const liaisonOf = async (d: { id: number; code: string }) => ({
			...principalOf(
				(await makeUser(t.db, { role: 'liaison', departmentCode: d.code })).id,
				'liaison'
			),
			departmentId: d.id,
			departmentCode: d.code
		});
		sup1 = principalOf((await makeUser(t.db, { role: 'supervisor' })).id, 'supervisor');
		sup2 = principalOf((await makeUser(t.db, { role: 'supervisor' })).id, 'supervisor');
		const leader = principalOf((await makeUser(t.db, { role: 'leader' })).id, 'leader');
		liaisonA = await liaisonOf(A);
		liaisonB = await liaisonOf(B);

		// Published 2025: A second of three municipal departments; a 2026 draft ranks A first.
		const published = await makeSnapshot(
			t.db,
			snapshotContent(2025, [
				departmentResult(B.code, {
					scores: scores(100, 90, 90, 90),
					rank: 1,
					outcomes: ['commended']
				}),
				departmentResult(A.code, { scores: scores(80, 70, 60, 50), rank: 2, outcomes: [] }),
				departmentResult('hz', {
					scores: scores(60, 80, 100, 40),
					rank: 3,
					outcomes: ['rectification']
				}),
				departmentResult('hv', { category: 'vertical', scores: scores(10, 10, 10, 10), rank: 1 })
			]),
			{ revision: 1, at: at('2026-02-01') }
		);
		await makeSnapshot(
			t.db,
			snapshotContent(2026, [
				departmentResult(A.code, {
					scores: scores(99, 99, 99, 99),
					rank: 1,
					outcomes: ['commended']
				})
			])
		);
		await makeRectification(t.db, {
			year: 2025,
			departmentId: A.id,
			snapshotId: published.id,
			deadline: '2026-05-31'
		});

		// Findings: A's recorded one may be disputed; its disputed one and B's are not A's to do.
		made.findingA = (await makeFinding(t.db, A.code, { date: '2026-05-02' })).findingNo;
		made.findingADisputed = (await makeFinding(t.db, A.code, { date: '2026-05-03' })).findingNo;
		await findings.dispute(
			t.db,
			made.findingADisputed,
			{ reason: '事实有误', departmentId: A.id },
			testActor
		);
		made.findingB = (await makeFinding(t.db, B.code, { date: '2026-05-04' })).findingNo;

		// Complaints about A and B, each waiting for its department's response.
		for (const d of [A, B]) {
			const { complaintNo } = await complaints.enterComplaint(
				t.db,
				sup1,
				{
					form: complaintFormSchema.parse({
						department_code: d.code,
						category: 'arbitrary_fees',
						summary: '办理营业执照时被多次收取资料费',
						name: COMPLAINANT,
						contact: '13812345678'
					}),
					channel: 'hotline',
					received_at: at('2026-05-04')
				},
				testActor
			);
			const steps = [
				['accept', {}],
				['assign', { assignee: sup1.id }],
				['request_response', {}]
			] as const;
			for (const [i, [action, input]] of steps.entries())
				await complaints.actOnComplaint(
					t.db,
					sup1,
					complaintNo,
					action,
					input as never,
					testActor,
					at(`2026-05-0${5 + i}`)
				);
			if (d === A) made.complaintA = complaintNo;
			else made.complaintB = complaintNo;
		}

		// Problems on a visit to the owner's enterprise: one instructed to A (overdue), one to B,
		// one escalated and waiting, one the Brigade settles (sup1's).
		const ent = await makeEnterprise(t.db, { name: '甲公司' });
		const ownerUser = await makeUser(t.db, { role: 'enterprise' });
		await t.db.execute(
			sql`update "user" set enterprise_id = ${ent.id}::int where id = ${ownerUser.id}::int`
		);
		owner = principalOf(ownerUser.id, 'enterprise');
		const v = await makeVisit(t.db, ent.id, '2026-05-04');
		const [pa, pb, pe, pbr] = await raiseOn(t.db, v, [A.id, B.id], [{}, {}, {}, {}]);
		const act = visits.actOnProblem;
		for (const [no, dept] of [
			[pa!, A],
			[pb!, B]
		] as const) {
			await act(t.db, sup1, no, 'escalate', { leader: leader.id! }, testActor, at('2026-05-05'));
			await act(
				t.db,
				leader,
				no,
				'instruct',
				{ instruction: '请办理', departments: [dept.id], due_on: '2026-06-01' },
				testActor,
				at('2026-05-06')
			);
		}
		await act(t.db, sup1, pe!, 'escalate', { leader: leader.id! }, testActor, at('2026-05-05'));
		await act(
			t.db,
			sup1,
			pbr!,
			'settle_by_brigade',
			{ assignee: sup1.id! },
			testActor,
			at('2026-05-05')
		);
		Object.assign(made, { problemA: pa, problemB: pb, escalated: pe, brigade: pbr });
		// Another enterprise's problem, about A too: the owner must not see it.
		const otherVisit = await makeVisit(t.db, (await makeEnterprise(t.db)).id, '2026-05-04');
		await raiseOn(t.db, otherVisit, [A.id]);

		// An active phone campaign: two units for sup1 (one with a call-back due), one for sup2.
		const phone = await makeCampaign(t.db, { year: 2026 });
		made.phoneCampaign = phone.code;
		const units = await makeSample(t.db, phone.id, { units: 3, prefix: '电话企业' });
		await setCampaignState(t.db, phone.id, 'active');
		for (const [i, who] of [sup1, sup1, sup2].entries())
			await t.db
				.update(sampleUnit)
				.set({ assignedTo: who.id })
				.where(sql`${sampleUnit.id} = ${units[i]!.id}`);
		await t.db.insert(callAttempt).values({
			campaignId: phone.id,
			sampleUnitId: units[1]!.id,
			callerId: sup1.id!,
			outcome: 'callback',
			callbackAt: at('2026-06-15', '09:00')
		});
		await t.db
			.insert(campaignQuota)
			.values({ campaignId: phone.id, category: 'municipal', quota: 2 });
		// A draft with units assigned to sup1: not shown (only active campaigns).
		const draft = await makeCampaign(t.db, { year: 2026 });
		made.draftCampaign = draft.code;
		const draftUnits = await makeSample(t.db, draft.id, { units: 1 });
		await t.db
			.update(sampleUnit)
			.set({ assignedTo: sup1.id })
			.where(sql`${sampleUnit.id} = ${draftUnits[0]!.id}`);

		// An active visit campaign: three enterprises for sup1, one already visited.
		const visitCampaign = await makeCampaign(t.db, { year: 2026, kind: 'enterprise_visit' });
		made.visitCampaign = visitCampaign.code;
		// Visits only: its enterprises are not on anyone's call list.
		await t.db
			.update(campaign)
			.set({ channels: ['field'] })
			.where(sql`${campaign.id} = ${visitCampaign.id}`);
		const visitUnits = await makeSample(t.db, visitCampaign.id, { units: 3, prefix: '走访企业' });
		await setCampaignState(t.db, visitCampaign.id, 'active');
		await t.db
			.update(sampleUnit)
			.set({ assignedTo: sup1.id })
			.where(sql`${sampleUnit.campaignId} = ${visitCampaign.id}`);
		await t.db.insert(visit).values({
			visitNo: unique('V'),
			clientKey: unique('k'),
			campaignId: visitCampaign.id,
			enterpriseId: visitUnits[0]!.enterpriseId!,
			visitedOn: '2026-06-01'
		});

		// Service cases open past their promise, A's and B's; and one of A's still within it.
		made.caseA = (
			await makeCase(t.db, { department: A.code, accepted: '2026-05-04 09:00', promised: 3 })
		).caseNo;
		made.caseB = (
			await makeCase(t.db, { department: B.code, accepted: '2026-05-04 09:00', promised: 3 })
		).caseNo;
		await makeCase(t.db, { department: A.code, accepted: '2026-06-15 09:00', promised: 10 });
	});

	describe('a supervisor', () => {
		it('sees its calls in active campaigns, call-backs due first', async () => {
			const h = await home.supervisorHome(t.db, sup1, NOW);
			expect(h.calls.map((c) => c.code)).toEqual([made.phoneCampaign]);
			const [c] = h.calls;
			expect(c).toMatchObject({ total: 2, due: 1 });
			expect(c!.queue[0]).toMatchObject({ state: 'due', name: '电话企业 2' });
			// The other supervisor sees only its own unit.
			const other = await home.supervisorHome(t.db, sup2, NOW);
			expect(other.calls).toHaveLength(1);
			expect(other.calls[0]).toMatchObject({ total: 1, due: 0 });
			expect(other.calls[0]!.queue.map((u) => u.name)).toEqual(['电话企业 3']);
			expect(other.visits).toEqual([]);
		});

		it('sees the visits still to make and progress against quotas by category', async () => {
			const h = await home.supervisorHome(t.db, sup1, NOW);
			expect(h.visits).toHaveLength(1);
			expect(h.visits[0]).toMatchObject({ code: made.visitCampaign, assigned: 3, visited: 1 });
			expect(h.visits[0]!.next.map((e) => e.name)).toEqual(['走访企业 2', '走访企业 3']);
			const codes = h.quotas.map((q) => q.code);
			expect(codes).toContain(made.phoneCampaign);
			expect(codes).not.toContain(made.draftCampaign);
			const phone = h.quotas.find((q) => q.code === made.phoneCampaign)!;
			const municipal = phone.categories.find((c) => c.category === 'municipal')!;
			expect(municipal.withQuota).toBe(municipal.departments);
			expect(municipal.departments).toBeGreaterThanOrEqual(2);
			expect(municipal).toMatchObject({ reached: 0, counted: 0, quota: 2 * municipal.departments });
		});

		it('sees complaints and problems by deadline, and escalated problems awaiting a leader', async () => {
			const h = await home.supervisorHome(t.db, sup1, NOW);
			const complaintNos = h.complaints.rows.map((r) => r.complaintNo);
			expect(complaintNos).toEqual(expect.arrayContaining([made.complaintA, made.complaintB]));
			for (let i = 1; i < h.complaints.rows.length; i++)
				expect(h.complaints.rows[i]!.daysLeft).toBeGreaterThanOrEqual(
					h.complaints.rows[i - 1]!.daysLeft
				);
			expect(h.problems.rows.map((r) => r.problemNo)).toEqual([made.brigade]);
			expect(h.escalated.rows.map((r) => r.problemNo)).toEqual([made.escalated]);
			expect(h.escalated.total).toBe(1);
			// Another supervisor has no Brigade problem of its own.
			expect((await home.supervisorHome(t.db, sup2, NOW)).problems.total).toBe(0);
		});
	});

	describe('a liaison', () => {
		it('sees its latest published result against its category’s medians', async () => {
			const h = (await home.liaisonHome(t.db, liaisonA, NOW))!;
			const s = h.standing!;
			expect(s).toMatchObject({ year: 2025, revision: 1, categorySize: 3 });
			expect(s.department).toMatchObject({ code: A.code, rank: 2, outcomes: [] });
			expect(s.department).not.toHaveProperty('inputs');
			// Medians of the three municipal departments (the vertical one left out).
			expect(s.medians.work).toBe(80);
			expect(s.medians.convenience).toBe(80);
			expect(s.medians.complaints).toBe(90);
			expect(s.medians.appraisal).toBe(50);
		});

		it('sees what is due from its own department only', async () => {
			const h = (await home.liaisonHome(t.db, liaisonA, NOW))!;
			expect(h.findings.rows.map((f) => f.findingNo)).toEqual([made.findingA]);
			expect(h.complaints.rows.map((r) => r.complaintNo)).toEqual([made.complaintA]);
			expect(h.complaints.rows[0]!.step).toBe('response');
			expect(h.problems.rows.map((r) => r.problemNo)).toEqual([made.problemA]);
			expect(h.problems.rows[0]!.overdue).toBe(true);
			expect(h.cases.rows.map((c) => c.caseNo)).toEqual([made.caseA]);
			expect(h.cases.total).toBe(1);
			expect(h.rectification).toMatchObject({
				year: 2025,
				deadline: '2026-05-31',
				state: 'overdue',
				planSubmittedAt: null,
				reports: []
			});
			const text = JSON.stringify(h);
			for (const secret of [
				made.findingB,
				made.complaintB,
				made.problemB,
				made.caseB,
				COMPLAINANT,
				'13812345678',
				made.phoneCampaign,
				made.visitCampaign,
				'电话企业'
			])
				expect(text).not.toContain(secret);
		});

		it('says nothing is published for a department not in the results, and no rectification', async () => {
			const C = await makeDepartment(t.db, { code: unique('hc') });
			const liaisonC = {
				...principalOf(
					(await makeUser(t.db, { role: 'liaison', departmentCode: C.code })).id,
					'liaison'
				),
				departmentId: C.id,
				departmentCode: C.code
			};
			const h = (await home.liaisonHome(t.db, liaisonC, NOW))!;
			expect(h.standing).toBeNull();
			expect(h.rectification).toBeNull();
			expect(h.findings.total + h.complaints.total + h.problems.total + h.cases.total).toBe(0);
			// B's own: its complaint and problem, no rectification.
			const hb = (await home.liaisonHome(t.db, liaisonB, NOW))!;
			expect(hb.standing!.department.rank).toBe(1);
			expect(hb.rectification).toBeNull();
			expect(hb.problems.rows.map((r) => r.problemNo)).toEqual([made.problemB]);
		});
	});

	describe('an enterprise', () => {
		it('sees its own problems and complaints, nobody else’s', async () => {
			const h = await home.enterpriseHome(t.db, owner, { origin: 'http://localhost', now: NOW });
			expect(h.problems.map((p) => p.problemNo).sort()).toEqual(
				[made.problemA, made.problemB, made.escalated, made.brigade].sort()
			);
			expect(h.complaints).toEqual([]);
			expect(h.surveys.invitations).toEqual([]);
		});

		it('has no home as another role', async () => {
			expect(await home.homeOf(t.db, principalOf(null, 'leader'), { origin: '' })).toBeNull();
			expect(await home.homeOf(t.db, principalOf(null, 'admin'), { origin: '' })).toBeNull();
		});
	});
});
