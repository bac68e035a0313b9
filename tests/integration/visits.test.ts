// The visit record on both databases (issue 9 §5): a visit stored with its team, materials,
// investor-card breaches and problems, numbered ZF<year>-nnnnnn, audited; the same form sent
// again (a tablet after a lost connection) stores it once; contact cards are checked against
// the cards printed for the enterprise; campaigns must be visit campaigns under way; the field
// console's appraisals are counted on the visit; a leader sees the enterprise's contact masked.
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { visitSchema, type VisitInput } from '$lib/schemas/visits';
import type { Principal } from '$lib/server/auth/guard';
import {
	auditEntry,
	enterprise,
	visit,
	visitInvestorBreach,
	visitProblem,
	visitProblemDepartment
} from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import * as visits from '$lib/server/visits';
import { makeDepartment, makeUser, principalOf, testActor } from '../factories';
import { makeCampaign, retireAllDepartments, standardAnswers } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { refusal } from '../helpers/refusal';

const today = new Date();
const year = Number(today.toISOString().slice(0, 4));
const day = `${year}-01-02`;

describeEachDatabase('visits', (t) => {
	let code = '';
	let closedCode = '';
	let publicCode = '';
	let units: { id: number; enterpriseId: number | null }[] = [];
	let usccs: string[] = [];
	let cards: string[] = [];
	let sup: Principal;
	let leader: Principal;
	const ids: Record<string, number> = {};

	beforeAll(async () => {
		await retireAllDepartments(t.db);
		for (const d of ['VA', 'VB', 'VC']) ids[d] = (await makeDepartment(t.db, { code: d })).id;
		const c = await makeCampaign(t.db, { year, kind: 'enterprise_visit' });
		code = c.code;
		units = await makeSample(t.db, c.id, { units: 3, prefix: '走访企业' });
		await setCampaignState(t.db, c.id, 'active');
		cards = (await surveys.createInvitations(t.db, code, testActor)).created
			.sort((a, b) => a.position - b.position)
			.map((i) => i.cardNo);
		usccs = [];
		for (const u of units) {
			const [e] = await t.db
				.select({ uscc: enterprise.uscc })
				.from(enterprise)
				.where(eq(enterprise.id, u.enterpriseId!));
			usccs.push(e!.uscc);
		}
		const closed = await makeCampaign(t.db, { year, kind: 'enterprise_visit' });
		await setCampaignState(t.db, closed.id, 'closed');
		closedCode = closed.code;
		const pub = await makeCampaign(t.db, { year, kind: 'public_evaluation' });
		await setCampaignState(t.db, pub.id, 'active');
		publicCode = pub.code;
		sup = principalOf((await makeUser(t.db, { role: 'supervisor' })).id, 'supervisor');
		leader = principalOf((await makeUser(t.db, { role: 'leader' })).id, 'leader');
		await t.db
			.update(enterprise)
			.set({ contactName: '王小明', contactPhone: '13812345678' })
			.where(eq(enterprise.uscc, usccs[0]!));
	});

	/** A filled-in form, as the tablet posts it. */
	const form = (over: Record<string, unknown> = {}): VisitInput => {
		const parsed = visitSchema.safeParse({
			response_key: crypto.randomUUID(),
			campaign: code,
			uscc: usccs[0],
			visited_on: day,
			member_name_0: '张监察',
			member_role_0: 'supervisor',
			member_name_1: '李监督员',
			member_role_1: 'volunteer',
			contact_card_no: cards[0],
			gave_instructions: 'on',
			gave_handbook: 'on',
			investor_card: 'yes',
			breach: ['VB'],
			problem_description_0: '消防验收排队两个月',
			problem_category_0: 'approval',
			problem_scope_0: 'single',
			problem_d_0: [String(ids.VA)],
			problem_description_1: '全市企业用电报装普遍要跑五个部门',
			problem_category_1: 'utilities',
			problem_scope_1: 'widespread',
			problem_impact_1: 'on',
			problem_d_1: [String(ids.VA), String(ids.VC)],
			...over
		});
		if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
		return parsed.data;
	};

	it('records a visit with its team, materials, breaches and problems, audited', async () => {
		const input = form();
		const r = await visits.recordVisit(t.db, input, testActor);
		expect(r.created).toBe(true);
		expect(r.visitNo).toMatch(new RegExp(`^ZF${year}-\\d{6}$`));
		expect(r.problemNos).toHaveLength(2);
		const [v] = await t.db.select().from(visit).where(eq(visit.visitNo, r.visitNo));
		expect(v).toMatchObject({
			visitedOn: day,
			contactCardNo: cards[0],
			gaveInstructions: true,
			gaveHandbook: true,
			investorCard: true
		});
		const breaches = await t.db
			.select()
			.from(visitInvestorBreach)
			.where(eq(visitInvestorBreach.visitId, v!.id));
		expect(breaches).toHaveLength(1);
		const problems = await t.db.select().from(visitProblem).where(eq(visitProblem.visitId, v!.id));
		expect(problems.map((p) => [p.category, p.scope, p.highImpact, p.state]).sort()).toEqual([
			['approval', 'single', false, 'raised'],
			['utilities', 'widespread', true, 'raised']
		]);
		const wide = problems.find((p) => p.highImpact)!;
		expect(
			await t.db
				.select()
				.from(visitProblemDepartment)
				.where(eq(visitProblemDepartment.problemId, wide.id))
		).toHaveLength(2);
		const entries = await t.db.select().from(auditEntry).where(eq(auditEntry.entityId, r.visitNo));
		expect(entries.map((e) => e.action)).toEqual(['visit.record']);

		const view = await visits.getVisit(t.db, sup, r.visitNo);
		expect(view.members).toEqual([
			{ name: '张监察', role: 'supervisor' },
			{ name: '李监督员', role: 'volunteer' }
		]);
		expect(view.breaches.map((b) => b.code)).toEqual(['VB']);
		expect(view.problems.map((p) => p.departments.map((d) => d.code))).toEqual([
			['VA'],
			['VA', 'VC']
		]);
		expect(view.enterprise.contactPhone).toBe('13812345678');
		expect(view.campaign?.code).toBe(code);
	});

	it('stores a visit sent twice under one key once', async () => {
		const input = form({ uscc: usccs[1], contact_card_no: cards[1] });
		const first = await visits.recordVisit(t.db, input, testActor);
		const again = await visits.recordVisit(t.db, input, testActor);
		expect(again).toEqual({ visitNo: first.visitNo, created: false, problemNos: [] });
		const [both] = await Promise.all([
			visits.recordVisit(t.db, { ...input, responseKey: 'parallel-key-1' }, testActor),
			visits.recordVisit(t.db, { ...input, responseKey: 'parallel-key-1' }, testActor)
		]);
		const stored = await t.db.select().from(visit).where(eq(visit.clientKey, 'parallel-key-1'));
		expect(stored).toHaveLength(1);
		expect(stored[0]!.visitNo).toBe(both.visitNo);
	});

	it.each([
		[
			'an unknown contact card',
			{ contact_card_no: 'NO-SUCH-CARD' },
			'visit_card_unknown',
			'contact_card_no'
		],
		[
			'a card printed for another enterprise',
			{ contact_card_no: 'x' },
			'visit_card_other_enterprise',
			'contact_card_no'
		],
		['a closed campaign', { campaign: 'closed' }, 'visit_campaign_not_active', 'campaign'],
		[
			'a campaign that is not a visit campaign',
			{ campaign: 'public' },
			'visit_campaign_kind',
			'campaign'
		],
		['an unknown campaign', { campaign: 'NOPE' }, 'campaign_not_found', 'campaign'],
		[
			'an enterprise outside the register',
			{ uscc: '91330100MA0000000X' },
			'console_enterprise_unknown',
			'uscc'
		],
		['an unknown department', { problem_d_0: ['999999'] }, 'problem_department', 'problem_d_0'],
		['a date in the future', { visited_on: `${year + 1}-12-31` }, 'visit_date_future', 'visited_on']
	] as const)('refuses %s with nothing stored', async (_, over, code_, field) => {
		const o: Record<string, unknown> = { ...over };
		if (o.contact_card_no === 'x') o.contact_card_no = cards[1];
		if (o.campaign === 'closed') o.campaign = closedCode;
		if (o.campaign === 'public') o.campaign = publicCode;
		let input: VisitInput;
		try {
			input = form(o);
		} catch {
			// A USCC that fails its checksum is the schema's to refuse; use a valid unknown one.
			input = { ...form(), uscc: '91330100MA00000001' };
		}
		const before = await t.db.select().from(visit);
		expect(await refusal(visits.recordVisit(t.db, input, testActor))).toEqual({
			code: code_,
			field
		});
		expect(await t.db.select().from(visit)).toHaveLength(before.length);
	});

	it('counts the on-site appraisals taken with the visit number, and masks contacts for a leader', async () => {
		const r = await visits.recordVisit(
			t.db,
			form({
				problem_description_0: '',
				problem_d_0: [],
				problem_description_1: '',
				problem_d_1: []
			}),
			testActor
		);
		expect(r.problemNos).toEqual([]);
		await surveys.submitFieldResponse(t.db, sup, {
			campaignCode: code,
			uscc: usccs[0]!,
			visitId: r.visitNo,
			response_key: crypto.randomUUID(),
			answers: standardAnswers('VA')
		} as never);
		const v = await visits.getVisit(t.db, leader, r.visitNo);
		expect(v.appraisals).toBe(1);
		expect(v.enterprise.contactPhone).not.toContain('12345678');
		expect(v.enterprise.contactName).not.toBe('王小明');
	});

	it('adds problems to a recorded visit and lists visits with their problem counts', async () => {
		const r = await visits.recordVisit(
			t.db,
			form({ uscc: usccs[2], contact_card_no: cards[2] }),
			testActor
		);
		const more = await visits.addProblems(
			t.db,
			r.visitNo,
			[
				{
					description: '回访时又提出的问题',
					category: 'fees',
					scope: 'single',
					highImpact: false,
					departmentIds: [ids.VB!]
				}
			],
			testActor
		);
		expect(more).toHaveLength(1);
		const list = await visits.listVisits(t.db, leader, { q: r.visitNo }, 1, 20);
		expect(list.total).toBe(1);
		expect(list.rows[0]).toMatchObject({
			visitNo: r.visitNo,
			team: 2,
			problems: 3,
			openProblems: 3
		});
		const byCampaign = await visits.listVisits(t.db, sup, { campaign: code }, 1, 2);
		expect(byCampaign.rows).toHaveLength(2);
		expect(byCampaign.total).toBeGreaterThanOrEqual(4);
	});

	it('refuses readers outside the visits row of roles.md', async () => {
		const liaison = principalOf(null, 'liaison');
		expect((await refusal(visits.listVisits(t.db, liaison, {}, 1, 20))).code).toBe(
			'visit_forbidden'
		);
		expect(
			(await refusal(visits.getVisit(t.db, principalOf(null, 'enterprise'), 'ZF2000-000001'))).code
		).toBe('visit_forbidden');
		expect((await refusal(visits.getVisit(t.db, sup, 'ZF2000-000001'))).code).toBe(
			'visit_not_found'
		);
	});
});
