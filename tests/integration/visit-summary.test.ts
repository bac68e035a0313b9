// The campaign summary of the thousand-enterprise visits (issue 9 §8) on both databases: visits,
// problems, return visits and breaches written straight into their tables, every figure of
// visitSummary against values counted by hand; the overdue rule against a TypeScript recount;
// who may read it and which campaigns have one; the XLSX download read back.
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { PROBLEM_CATEGORIES, problemOverdue } from '$lib/domain/visit-problems';
import { isDomainError } from '$lib/errors';
import { enterprise } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { visitSummary, type VisitSummary } from '$lib/server/visits';
import { summaryTables, summaryXlsx } from '$lib/server/visits/summary-tables';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment } from '../factories';
import { local, makeCampaign, makeResponses } from '../factories/records';
import { makeSample, makeUscc } from '../factories/samples';
import { insertProblem, insertVisit, type ProblemRow } from '../factories/visit-summary';

const SUPERVISOR = { role: 'supervisor' } as const;
const LEADER = { role: 'leader' } as const;
// Today, for the overdue count: 2026-04-15 in Beijing.
const NOW = local('2026-04-15 10:00');

const zero = { total: 0, open: 0, overdue: 0, closed: 0, highImpact: 0 };
const counts = (
	total: number,
	open: number,
	overdue: number,
	closed: number,
	highImpact: number
) => ({
	total,
	open,
	overdue,
	closed,
	highImpact
});

async function refusal(p: Promise<unknown>): Promise<string | null> {
	try {
		await p;
		return null;
	} catch (e) {
		if (isDomainError(e)) return e.code;
		throw e;
	}
}

describeEachDatabase('visit campaign summary', (t) => {
	const ids = { a: 0, b: 0, c: 0, d: 0 };
	let code = '';
	let emptyCode = '';
	let otherKindCode = '';
	const problems: ProblemRow[] = [];

	beforeAll(async () => {
		for (const k of ['a', 'b', 'c'] as const)
			ids[k] = (
				await makeDepartment(t.db, { code: `vs${k}`, nameZh: `${k}局`, nameEn: `${k} bureau` })
			).id;
		// A name a spreadsheet would run as a formula.
		ids.d = (
			await makeDepartment(t.db, { code: 'vsd', nameZh: '=HYPERLINK("http://x")', nameEn: '=1+1' })
		).id;

		const c = await makeCampaign(t.db, { year: 2026, kind: 'enterprise_visit' });
		code = c.code;
		emptyCode = (await makeCampaign(t.db, { year: 2026, kind: 'enterprise_visit' })).code;
		otherKindCode = (await makeCampaign(t.db, { year: 2026, kind: 'public_evaluation' })).code;
		const other = await makeCampaign(t.db, { year: 2026, kind: 'enterprise_visit' });

		// The sample: E1–E4 (the target, 4); E5 is visited without being in it.
		const units = await makeSample(t.db, c.id, { units: 4, prefix: '走访企业' });
		const [e1, e2, e3, e4] = units.map((u) => u.enterpriseId!);
		const [e5] = await t.db
			.insert(enterprise)
			.values({ uscc: makeUscc(), name: '样本外企业' })
			.returning();

		const visit = (v: Omit<Parameters<typeof insertVisit>[1], 'campaignId'>) =>
			insertVisit(t.db, { campaignId: c.id, ...v });
		// E1 holds a card on its first visit, not on its latest: a non-holder.
		const v1 = await visit({
			enterpriseId: e1!,
			visitedOn: '2026-03-01',
			contactCardNo: 'C001',
			gaveInstructions: true,
			gaveHandbook: true,
			investorCard: true,
			breaches: [ids.a, ids.b]
		});
		const v2 = await visit({
			enterpriseId: e1!,
			visitedOn: '2026-03-10',
			gaveHandbook: true,
			investorCard: false,
			breaches: [ids.a]
		});
		// E2 holds one; its later visit did not ask.
		const v3 = await visit({
			enterpriseId: e2!,
			visitedOn: '2026-03-02',
			contactCardNo: 'C002',
			gaveInstructions: true,
			investorCard: true,
			breaches: [ids.a]
		});
		await visit({ enterpriseId: e2!, visitedOn: '2026-03-20' });
		// E3 was never asked; a blank card number is no card handed out.
		await visit({ enterpriseId: e3!, visitedOn: '2026-03-03', contactCardNo: '  ' });
		const v5 = await visit({
			enterpriseId: e5!.id,
			visitedOn: '2026-03-04',
			contactCardNo: 'C005',
			gaveInstructions: true,
			gaveHandbook: true,
			investorCard: true,
			breaches: [ids.c]
		});

		problems.push(
			// Overdue with the Brigade.
			{
				visitId: v1.id,
				category: 'approval',
				scope: 'single',
				state: 'brigade',
				dueOn: '2026-04-10',
				involved: [ids.a]
			},
			// Due today: not overdue. B assigned by the leader, not named when raised.
			{
				visitId: v1.id,
				category: 'fees',
				scope: 'several',
				state: 'instructed',
				highImpact: true,
				dueOn: '2026-04-15',
				involved: [ids.a],
				assigned: [ids.b]
			},
			// Closed after a second return visit; its past due date does not make it overdue.
			{
				visitId: v3.id,
				category: 'approval',
				scope: 'widespread',
				state: 'closed',
				highImpact: true,
				dueOn: '2026-03-01',
				involved: [ids.b],
				returns: [false, true]
			},
			// Just raised: no department, no due date.
			{ visitId: v5.id, category: 'other', scope: 'single', state: 'raised' },
			{
				visitId: v5.id,
				category: 'approval',
				scope: 'single',
				state: 'reported',
				dueOn: '2026-04-14',
				involved: [ids.a, ids.c],
				returns: [false]
			},
			// A category written outside the list (an older record) is counted as written.
			{
				visitId: v2.id,
				category: '历史类别',
				scope: 'several',
				state: 'settled',
				dueOn: '2026-05-01',
				involved: [ids.c],
				returns: [true]
			}
		);
		for (const p of problems) await insertProblem(t.db, p);

		// Appraisal responses: A twice at 5 4 3 2 1 0 (3 of 5 counted answers satisfied each), D once
		// at 5 throughout.
		await makeResponses(t.db, c.id, 'vsa', [5, 4, 3, 2, 1, 0], 2);
		await makeResponses(t.db, c.id, 'vsd', [5, 5, 5, 5, 5, 5], 1);

		// Another visit campaign's visit of a sampled enterprise, and a visit of no campaign: in
		// neither figure.
		const ov = await insertVisit(t.db, {
			campaignId: other.id,
			enterpriseId: e4!,
			visitedOn: '2026-03-05',
			contactCardNo: 'X1',
			gaveInstructions: true,
			gaveHandbook: true,
			investorCard: true,
			breaches: [ids.a]
		});
		await insertProblem(t.db, {
			visitId: ov.id,
			category: 'approval',
			scope: 'single',
			state: 'brigade',
			dueOn: '2026-01-01',
			involved: [ids.a],
			returns: [true]
		});
		await insertVisit(t.db, { campaignId: null, enterpriseId: e4!, visitedOn: '2026-03-06' });
	});

	let summary: VisitSummary;
	beforeAll(async () => {
		summary = await visitSummary(t.db, code, SUPERVISOR, NOW);
	});

	it('counts visits against the sample', () => {
		expect(summary.today).toBe('2026-04-15');
		expect(summary.progress).toEqual({ target: 4, visits: 6, enterprises: 4, sampledVisited: 3 });
	});

	it('counts the materials handed out per visit', () => {
		expect(summary.materials).toEqual({ contactCards: 3, instructions: 3, handbooks: 3, all: 2 });
	});

	it('counts investor cards by each enterprise’s latest answer, and breaches by department', () => {
		expect(summary.investorCards).toEqual({
			holders: 2,
			nonHolders: 1,
			notAsked: 1,
			breachVisits: 4,
			breaches: [
				{ code: 'vsa', nameZh: 'a局', nameEn: 'a bureau', visits: 3, enterprises: 2 },
				{ code: 'vsb', nameZh: 'b局', nameEn: 'b bureau', visits: 1, enterprises: 1 },
				{ code: 'vsc', nameZh: 'c局', nameEn: 'c bureau', visits: 1, enterprises: 1 }
			]
		});
	});

	it('counts the problems by department, category, scope and state', () => {
		const p = summary.problems;
		expect({ ...p, departments: [], categories: [], scopes: [], states: [] }).toEqual({
			...counts(6, 5, 2, 1, 2),
			departments: [],
			categories: [],
			scopes: [],
			states: []
		});
		expect(p.departments).toEqual([
			{ code: 'vsa', nameZh: 'a局', nameEn: 'a bureau', ...counts(3, 3, 2, 0, 1) },
			{ code: 'vsb', nameZh: 'b局', nameEn: 'b bureau', ...counts(2, 1, 0, 1, 2) },
			{ code: 'vsc', nameZh: 'c局', nameEn: 'c bureau', ...counts(2, 2, 1, 0, 0) }
		]);
		const byCategory: Record<string, ReturnType<typeof counts>> = {
			approval: counts(3, 2, 2, 1, 1),
			fees: counts(1, 1, 0, 0, 1),
			other: counts(1, 1, 0, 0, 0)
		};
		expect(p.categories).toEqual([
			...PROBLEM_CATEGORIES.map((key) => ({ key, ...(byCategory[key] ?? zero) })),
			{ key: '历史类别', ...counts(1, 1, 0, 0, 0) }
		]);
		expect(p.scopes).toEqual([
			{ key: 'single', ...counts(3, 3, 2, 0, 0) },
			{ key: 'several', ...counts(2, 2, 0, 0, 1) },
			{ key: 'widespread', ...counts(1, 0, 0, 1, 1) }
		]);
		expect(p.states).toEqual([
			{ key: 'raised', ...counts(1, 1, 0, 0, 0) },
			{ key: 'brigade', ...counts(1, 1, 1, 0, 0) },
			{ key: 'escalated', ...zero },
			{ key: 'instructed', ...counts(1, 1, 0, 0, 1) },
			{ key: 'reported', ...counts(1, 1, 1, 0, 0) },
			{ key: 'settled', ...counts(1, 1, 0, 0, 0) },
			{ key: 'closed', ...counts(1, 0, 0, 1, 1) }
		]);
	});

	it('counts overdue as the TypeScript rule says: open, due before today', () => {
		const overdue = (list: ProblemRow[]) =>
			list.filter((p) => problemOverdue({ state: p.state, dueOn: p.dueOn ?? null }, summary.today))
				.length;
		expect(summary.problems.overdue).toBe(overdue(problems));
		for (const d of summary.problems.departments) {
			const id = ids[d.code.slice(2) as keyof typeof ids];
			const mine = problems.filter((p) =>
				[...(p.involved ?? []), ...(p.assigned ?? [])].includes(id)
			);
			expect(d.overdue, d.code).toBe(overdue(mine));
		}
	});

	it('gives appraisal and return-visit satisfaction by department', async () => {
		expect(summary.returnVisits).toEqual({ total: 4, satisfied: 2 });
		const line = (code: string, nameZh: string, nameEn: string, rest: object) => ({
			code,
			nameZh,
			nameEn,
			...rest
		});
		expect(summary.satisfaction).toEqual([
			line('vsa', 'a局', 'a bureau', {
				responses: 2,
				satisfactionRate: 0.6,
				withheld: false,
				returnVisits: 1,
				returnSatisfied: 0
			}),
			line('vsb', 'b局', 'b bureau', {
				responses: 0,
				satisfactionRate: null,
				withheld: false,
				returnVisits: 2,
				returnSatisfied: 1
			}),
			line('vsc', 'c局', 'c bureau', {
				responses: 0,
				satisfactionRate: null,
				withheld: false,
				returnVisits: 2,
				returnSatisfied: 1
			}),
			line('vsd', '=HYPERLINK("http://x")', '=1+1', {
				responses: 1,
				satisfactionRate: 1,
				withheld: false,
				returnVisits: 0,
				returnSatisfied: 0
			})
		]);
		// The appraisal rate is the campaign page's, from the evaluation's aggregation.
		const c = await surveys.getCampaignByCode(t.db, code);
		const rates = await surveys.campaignSatisfaction(t.db, SUPERVISOR, c!);
		expect(rates.get(ids.a)?.satisfactionRate).toBe(0.6);
	});

	it('withholds small groups’ appraisal rates from a leader, not the return visits', async () => {
		const forLeader = await visitSummary(t.db, code, LEADER, NOW);
		expect(forLeader.satisfaction.map((d) => [d.code, d.satisfactionRate, d.withheld])).toEqual([
			['vsa', null, true],
			['vsb', null, false],
			['vsc', null, false],
			['vsd', null, true]
		]);
		expect(forLeader.satisfaction.map((d) => d.returnVisits)).toEqual([1, 2, 2, 0]);
		expect({ ...forLeader, satisfaction: [] }).toEqual({ ...summary, satisfaction: [] });
	});

	it('gives a campaign without visits or sample nothing but zeros', async () => {
		const empty = await visitSummary(t.db, emptyCode, SUPERVISOR, NOW);
		expect(empty.progress).toEqual({ target: null, visits: 0, enterprises: 0, sampledVisited: 0 });
		expect(empty.materials).toEqual({ contactCards: 0, instructions: 0, handbooks: 0, all: 0 });
		expect(empty.investorCards).toEqual({
			holders: 0,
			nonHolders: 0,
			notAsked: 0,
			breachVisits: 0,
			breaches: []
		});
		expect(empty.problems).toMatchObject({ ...zero, departments: [] });
		expect(empty.problems.categories.map((r) => r.key)).toEqual([...PROBLEM_CATEGORIES]);
		expect(empty.problems.states.every((r) => r.total === 0)).toBe(true);
		expect(empty.returnVisits).toEqual({ total: 0, satisfied: 0 });
		expect(empty.satisfaction).toEqual([]);
	});

	it('refuses other campaigns and other readers', async () => {
		expect(await refusal(visitSummary(t.db, otherKindCode, SUPERVISOR))).toBe(
			'visit_campaign_not_found'
		);
		expect(await refusal(visitSummary(t.db, 'no-such-campaign', SUPERVISOR))).toBe(
			'campaign_not_found'
		);
		for (const role of ['liaison', 'enterprise'] as const)
			expect(await refusal(visitSummary(t.db, code, { role }))).toBe('visit_summary_forbidden');
		expect(await refusal(visitSummary(t.db, code, { role: 'admin' }))).toBeNull();
	});

	it('writes one sheet per block, numbers as numbers, no cell a formula', async () => {
		const tables = summaryTables(summary, 'zh-CN');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(Buffer.from(await summaryXlsx(tables)) as never);
		expect(book.worksheets.map((s) => s.name)).toEqual(tables.map((x) => x.sheet.slice(0, 31)));
		const progress = book.getWorksheet('走访完成情况')!;
		expect(progress.getRow(2).values).toEqual([undefined, '目标企业数（抽样）', 4]);
		const done = progress.getRow(5).getCell(2);
		expect([done.value, done.numFmt]).toEqual([1, '0.0%']);
		const satisfaction = book.getWorksheet('各部门满意度')!;
		const d = satisfaction.getRow(5);
		expect(d.getCell(1).value).toBe(`'=HYPERLINK("http://x")`);
		expect(d.getCell(3).value).toBe(1);
		// A department without appraisal answers has a blank rate.
		expect(satisfaction.getRow(3).getCell(3).value).toBeNull();
		let formulas = 0;
		book.eachSheet((s) =>
			s.eachRow((r) =>
				r.eachCell((cell) => {
					if (cell.type === ExcelJS.ValueType.Formula) formulas++;
					if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@]/);
				})
			)
		);
		expect(formulas).toBe(0);
		const en = summaryTables(summary, 'en').find((x) => x.id === 'satisfaction')!;
		expect(en.rows[3]![0]).toBe('=1+1');
	});
});
