// A campaign's aggregates per department, as each role reads them (roles.md, anonymity): a
// liaison only its own department of a closed campaign that targeted it, groups under 5
// responses and comment groups under 10 withheld (4 vs 5, 9 vs 10), a channel that could be had
// by subtraction withheld too; leaders the same thresholds over every department; admins and
// supervisors every figure; the satisfaction rate and mean those of the year computation.
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { MIN_GROUP_FOR_LIAISON, MIN_TEXT_GROUP_FOR_LIAISON } from '$lib/domain/explain';
import type { Database } from '$lib/server/db';
import { campaign, question, questionnaire, surveyTextAnswer } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment } from '../factories';
import {
	makeCampaign,
	makeResponse,
	retireAllDepartments,
	type Levels
} from '../factories/records';
import { setCampaignState } from '../factories/samples';

const YEAR = 2026;
const MIXED: Levels = [5, 4, 3, 2, 1, 0];
const TOP: Levels = [5, 5, 5, 5, 5, null];
const GOOD: Levels = [4, 4, 4, 4, 4, 4];

describeEachDatabase('survey aggregates', (t) => {
	const dept: Record<string, number> = {};
	let closed = '';
	let active = '';
	const admin = { role: 'admin', departmentId: null } as const;
	const leader = { role: 'leader', departmentId: null } as const;
	const liaison = (code: string) => ({ role: 'liaison' as const, departmentId: dept[code]! });

	async function respond(
		db: Database,
		campaignId: number,
		code: string,
		levels: Levels,
		n: number,
		opts: { channel?: 'paper' | 'phone'; text?: string; voided?: boolean } = {}
	) {
		const [difficulty] = await db
			.select({ id: question.id })
			.from(question)
			.innerJoin(questionnaire, eq(questionnaire.id, question.questionnaireId))
			.where(and(eq(questionnaire.code, 'standard-appraisal'), eq(question.code, 'difficulty')));
		for (let i = 0; i < n; i++) {
			const r = await makeResponse(db, {
				campaignId,
				answers: { [code]: levels },
				voided: opts.voided,
				channel: opts.channel
			});
			if (opts.text)
				await db.insert(surveyTextAnswer).values({
					responseId: r.id,
					departmentId: dept[code]!,
					questionId: difficulty!.id,
					body: `${opts.text} ${i}`
				});
		}
	}

	beforeAll(async () => {
		await retireAllDepartments(t.db);
		for (const [code, category] of [
			['AG1', 'municipal'],
			['AG2', 'municipal'],
			['AG3', 'municipal'],
			['AG4', 'municipal'],
			['AGV', 'vertical']
		] as const)
			dept[code] = (await makeDepartment(t.db, { code, category })).id;
		const c = await makeCampaign(t.db, { year: YEAR, code: 'agg-closed' });
		await t.db.update(campaign).set({ targets: 'municipal' }).where(eq(campaign.id, c.id));
		closed = c.code;
		// AG1: 10 responses (5 paper, 5 phone), 10 comments.
		await respond(t.db, c.id, 'AG1', MIXED, 5, { channel: 'paper', text: '排队太久' });
		// A phone number typed into a comment: whole to those who see respondents, masked to others.
		await respond(t.db, c.id, 'AG1', TOP, 5, { channel: 'phone', text: '很好，回电13812345678' });
		// AG2: 9 responses (8 paper, 1 phone), 9 comments.
		await respond(t.db, c.id, 'AG2', GOOD, 8, { text: '窗口少' });
		await respond(t.db, c.id, 'AG2', GOOD, 1, { channel: 'phone', text: '电话难打' });
		// AG3: 4 counted responses and a voided one; AG4: exactly 5.
		await respond(t.db, c.id, 'AG3', GOOD, 4);
		await respond(t.db, c.id, 'AG3', GOOD, 1, { voided: true });
		await respond(t.db, c.id, 'AG4', MIXED, 5);
		await setCampaignState(t.db, c.id, 'closed');

		const a = await makeCampaign(t.db, { year: YEAR, code: 'agg-active' });
		active = a.code;
		await respond(t.db, a.id, 'AG1', TOP, 6);
		await setCampaignState(t.db, a.id, 'active');
	});

	it('keeps the thresholds at 5 responses and 10 comments', () => {
		expect(MIN_GROUP_FOR_LIAISON).toBe(5);
		expect(MIN_TEXT_GROUP_FOR_LIAISON).toBe(10);
	});

	it('gives a liaison its own department of a closed campaign, with the computation’s figures', async () => {
		const r = await surveys.campaignAggregates(t.db, liaison('AG1'), closed);
		expect(r?.withheld).toBe(true);
		expect(r?.departments.map((d) => d.code)).toEqual(['AG1']);
		const d = r!.departments[0]!;
		expect(d.responses).toBe(10);
		// 50 appraisal answers, 15 + 25 at levels 3–5; means 50 and 100 over 5 responses each.
		expect(d.satisfactionRate).toBeCloseTo(80, 10);
		expect(d.mean).toBeCloseTo(75, 10);
		const attitude = d.questions.find((q) => q.code === 'attitude')!;
		expect(attitude.levels).toEqual({ 5: 5, 4: 0, 3: 0, 2: 5, 1: 0, 0: 0 });
		const efficiency = d.questions.find((q) => q.code === 'efficiency')!;
		// Unanswered by the 5 "top" responses; "don't know" by the other 5.
		expect(efficiency.answered).toBe(5);
		expect(efficiency.levels?.[0]).toBe(5);
		expect(d.channels).toEqual([
			{ channel: 'field', responses: null },
			{ channel: 'phone', responses: 5 },
			{ channel: 'online', responses: null },
			{ channel: 'paper', responses: 5 }
		]);
		// 10 comments: shown, as texts alone, in alphabetical order.
		const texts = d.comments?.find((g) => g.code === 'difficulty')?.texts;
		expect(texts).toHaveLength(10);
		expect(texts).toEqual([...texts!].sort());
		expect(JSON.stringify(r)).not.toMatch(/response_?id|enterprise|phone":"1/i);
		expect(texts).toContain('很好，回电138****5678 0');
		expect(JSON.stringify(r)).not.toContain('13812345678');
		const whole = await surveys.campaignAggregates(t.db, admin, closed, 'AG1');
		const adminTexts = whole!.departments.find((x) => x.code === 'AG1')!.comments;
		expect(JSON.stringify(adminTexts)).toContain('很好，回电13812345678 0');
	});

	it('withholds 4 responses but shows 5', async () => {
		const few = (await surveys.campaignAggregates(t.db, liaison('AG3'), closed))!.departments[0]!;
		expect(few.responses).toBeNull();
		expect(few.satisfactionRate).toBeNull();
		expect(few.mean).toBeNull();
		expect(few.questions.every((q) => q.levels === null && q.answered === null)).toBe(true);
		expect(few.channels.every((c) => c.responses === null)).toBe(true);
		const five = (await surveys.campaignAggregates(t.db, liaison('AG4'), closed))!.departments[0]!;
		expect(five.responses).toBe(5);
		expect(five.questions[0]!.levels?.[5]).toBe(5);
	});

	it('withholds 9 comments but not the 9 responses; a channel of 1 and its complement', async () => {
		const d = (await surveys.campaignAggregates(t.db, liaison('AG2'), closed))!.departments[0]!;
		expect(d.responses).toBe(9);
		expect(d.satisfactionRate).toBe(100);
		expect(d.comments?.find((g) => g.code === 'difficulty')?.texts).toBeNull();
		// Phone 1 is under 5; paper 8 would give it away (9 − 8), so it is withheld too.
		expect(d.channels.every((c) => c.responses === null)).toBe(true);
	});

	it('filters by channel; a filter that would show a small group says too few', async () => {
		const phone = (await surveys.campaignAggregates(t.db, liaison('AG1'), closed, null, 'phone'))!;
		expect(phone.channel).toBe('phone');
		const d = phone.departments[0]!;
		// The 5 "top" responses came by phone: all 25 appraisal answers at level 5.
		expect(d.responses).toBe(5);
		expect(d.satisfactionRate).toBe(100);
		expect(d.mean).toBeCloseTo(100, 10);
		expect(d.questions[0]!.levels?.[5]).toBe(5);
		// The channel table is the whole department's, not the filter's.
		expect(d.channels.find((c) => c.channel === 'paper')?.responses).toBe(5);
		// Comments under a filter: none for a liaison (the whole set is the unfiltered page's).
		expect(d.comments?.[0]?.texts).toBeNull();
		for (const channel of ['phone', 'paper', 'field'] as const) {
			const g = (await surveys.campaignAggregates(t.db, liaison('AG2'), closed, null, channel))!
				.departments[0]!;
			// Phone 1, field 0; paper 8 would give the phone's 1 away (9 − 8).
			expect(g.responses, channel).toBeNull();
			expect(g.satisfactionRate, channel).toBeNull();
			expect(
				g.questions.every((q) => q.levels === null),
				channel
			).toBe(true);
		}
		const full = (await surveys.campaignAggregates(t.db, admin, closed, 'AG2', 'phone'))!
			.departments[0]!;
		expect(full.responses).toBe(1);
		expect(full.comments?.[0]?.texts).toEqual(['电话难打 0']);
	});

	it('refuses a liaison other departments, untargeted ones, and campaigns not closed', async () => {
		expect(await surveys.campaignAggregates(t.db, liaison('AG1'), closed, 'AG2')).toBeNull();
		expect(await surveys.campaignAggregates(t.db, liaison('AGV'), closed)).toBeNull();
		expect(await surveys.campaignAggregates(t.db, liaison('AG1'), active)).toBeNull();
		expect(await surveys.campaignAggregates(t.db, liaison('AG1'), 'no-such')).toBeNull();
		for (const role of ['enterprise', 'public'] as const)
			expect(
				await surveys.campaignAggregates(t.db, { role, departmentId: null }, closed)
			).toBeNull();
	});

	it('lists for a liaison only the closed campaigns that targeted its department', async () => {
		expect((await surveys.surveysAboutDepartment(t.db, liaison('AG1'))).map((c) => c.code)).toEqual(
			[closed]
		);
		expect(await surveys.surveysAboutDepartment(t.db, liaison('AGV'))).toEqual([]);
		expect(await surveys.surveysAboutDepartment(t.db, admin)).toEqual([]);
	});

	it('gives a leader every department with the same thresholds, and any state', async () => {
		const r = (await surveys.campaignAggregates(t.db, leader, closed))!;
		expect(r.departments.map((d) => [d.code, d.responses])).toEqual([
			['AG1', 10],
			['AG2', 9],
			['AG3', null],
			['AG4', 5]
		]);
		expect(r.departments.every((d) => d.comments === null)).toBe(true);
		const one = (await surveys.campaignAggregates(t.db, leader, closed, 'AG2'))!;
		expect(one.departments[0]!.comments?.[0]?.texts).toBeNull();
		const running = (await surveys.campaignAggregates(t.db, leader, active))!;
		expect(running.departments.find((d) => d.code === 'AG1')?.responses).toBe(6);
	});

	it('gives admins every figure, small groups included', async () => {
		const r = (await surveys.campaignAggregates(t.db, admin, closed, 'AG2'))!;
		const d = r.departments[0]!;
		expect(r.withheld).toBe(false);
		expect(d.channels.find((c) => c.channel === 'phone')?.responses).toBe(1);
		expect(d.comments?.[0]?.texts).toHaveLength(9);
		const few = (await surveys.campaignAggregates(t.db, admin, closed, 'AG3'))!.departments[0]!;
		expect(few.responses).toBe(4);
		expect(await surveys.campaignAggregates(t.db, admin, closed, 'AGV')).toBeNull();
	});
});
