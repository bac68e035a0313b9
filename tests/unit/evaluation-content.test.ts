// The snapshot content built from a year's aggregated inputs ($lib/domain/evaluation-content):
// missing dimensions, the basis of the convenience score, categories too small or empty, ties,
// the two-years rule, the warnings and the order problems are listed in.
import { describe, expect, it } from 'vitest';
import {
	buildContent,
	campaignLines,
	convenienceBasis,
	sortProblems,
	type CaseCounts,
	type ComplaintTotals,
	type EvaluationInputs,
	type FindingTotals,
	type Participant,
	type SurveyTotals
} from '$lib/domain/evaluation-content';
import { DEFAULT_SETTINGS, type Category, type EvaluationSettings } from '$lib/domain/scoring';
import type { DepartmentResult, Problem } from '$lib/domain/snapshot';

const Y = 2025;
const CUTOFF = '2025-12-31';
// Small quotas, so that a handful of departments fill a category.
const S: EvaluationSettings = {
	...DEFAULT_SETTINGS,
	commended: { municipal: 1, vertical: 1 },
	rectificationBottom: 1,
	minimumResponses: 10
};

let nextId = 1;
/** A department with every dimension: findings, cases, complaints and both survey means. */
function department(
	code: string,
	opts: {
		category?: Category;
		appraisal?: number | null;
		convenienceSurvey?: number | null;
		cases?: Partial<Omit<CaseCounts, 'departmentId'>> | null;
		findings?: Partial<Omit<FindingTotals, 'departmentId'>>;
		complaints?: Partial<Omit<ComplaintTotals, 'departmentId'>>;
		responses?: number;
	} = {}
) {
	const id = nextId++;
	const participant: Participant = {
		id,
		code,
		nameZh: `部门${code}`,
		nameEn: `Department ${code}`,
		superiorAuthority: opts.category === 'vertical' ? `上级${code}` : null,
		category: opts.category ?? 'municipal'
	};
	const responses = opts.responses ?? 40;
	const appraisal = opts.appraisal === undefined ? 80 : opts.appraisal;
	const convenienceSurvey = opts.convenienceSurvey === undefined ? 70 : opts.convenienceSurvey;
	const survey: SurveyTotals | null =
		appraisal === null && convenienceSurvey === null
			? null
			: {
					departmentId: id,
					responses: appraisal === null ? 0 : responses,
					answers: appraisal === null ? 0 : responses * 4,
					satisfied: appraisal === null ? 0 : responses * 3,
					campaigns: [
						{
							code: `C-${code}`,
							kind: 'public_evaluation',
							weight: 1,
							appraisal: { responses: appraisal === null ? 0 : responses, mean: appraisal },
							convenience: {
								responses: convenienceSurvey === null ? 0 : responses,
								mean: convenienceSurvey
							}
						}
					]
				};
	const cases: CaseCounts | null =
		opts.cases === null
			? null
			: { departmentId: id, on_time: 9, late: 1, open_overdue: 0, open_not_due: 0, ...opts.cases };
	return {
		participant,
		findings: opts.findings
			? [
					{
						departmentId: id,
						deductions: 0,
						bonus: 0,
						disputed: 0,
						recorded: 0,
						lines: [],
						...opts.findings
					}
				]
			: [],
		cases: cases ? [cases] : [],
		complaints: opts.complaints
			? [
					{
						departmentId: id,
						substantiated: 0,
						partial: 0,
						unfounded: 0,
						lateResponses: 0,
						open: 0,
						...opts.complaints
					}
				]
			: [],
		surveys: survey ? [survey] : []
	};
}

function inputs(
	departments: ReturnType<typeof department>[],
	extra: Partial<Pick<EvaluationInputs, 'criticisedLastYear' | 'previousUnpublished'>> = {}
): EvaluationInputs {
	return {
		participants: departments.map((d) => d.participant),
		findings: departments.flatMap((d) => d.findings),
		cases: departments.flatMap((d) => d.cases),
		complaints: departments.flatMap((d) => d.complaints),
		surveys: departments.flatMap((d) => d.surveys),
		criticisedLastYear: extra.criticisedLastYear ?? [],
		previousUnpublished: extra.previousUnpublished ?? false
	};
}

const build = (i: EvaluationInputs, settings = S) => buildContent(Y, settings, CUTOFF, i);
const byCode = (departments: DepartmentResult[]) =>
	Object.fromEntries(departments.map((d) => [d.code, d]));

describe('missing dimensions', () => {
	it.each<[string, Parameters<typeof department>[1], string[]]>([
		['every dimension', {}, []],
		['no appraisal answers', { appraisal: null }, ['appraisal']],
		[
			'no cases and no convenience answers',
			{ cases: null, convenienceSurvey: null },
			['convenience']
		],
		[
			'no survey and no cases',
			{ cases: null, appraisal: null, convenienceSurvey: null },
			['convenience', 'appraisal']
		],
		// Open cases not yet due are left out: nothing counted is no indicator.
		[
			'only cases not yet due, no convenience answers',
			{ cases: { on_time: 0, late: 0, open_not_due: 4 }, convenienceSurvey: null },
			['convenience']
		]
	])('%s: errors %j, unranked when any', (_label, opts, missing) => {
		const content = build(inputs([department('A', opts)]));
		expect(content.errors.filter((e) => e.code === 'missing_dimension')).toEqual(
			missing.map((dimension) => ({
				code: 'missing_dimension',
				departmentCode: 'A',
				category: 'municipal',
				dimension
			}))
		);
		const [a] = content.departments;
		expect(a!.rank === null).toBe(missing.length > 0);
		expect(a!.scores.total === null).toBe(missing.length > 0);
		for (const dimension of missing) expect(a!.scores[dimension as 'appraisal']).toBeNull();
	});
});

describe('the basis of the convenience score', () => {
	it.each<[string, Parameters<typeof department>[1], string, number | null]>([
		// Case indicator 9 of 10 on time = 90; survey indicator 70; share 0.5.
		['both indicators', {}, 'both', 0.5 * 90 + 0.5 * 70],
		['cases only', { convenienceSurvey: null }, 'case', 90],
		['survey only', { cases: null }, 'survey', 70],
		['neither', { cases: null, convenienceSurvey: null }, 'missing', null],
		// An open overdue case counts against the indicator: 9 of 11.
		[
			'an open overdue case counts',
			{ cases: { open_overdue: 1 } },
			'both',
			0.5 * ((100 * 9) / 11) + 35
		]
	])('%s: basis %s, convenience %s', (_label, opts, basis, score) => {
		const [a] = build(inputs([department('A', opts)])).departments;
		expect(a!.inputs.convenience.basis).toBe(basis);
		if (score === null) expect(a!.scores.convenience).toBeNull();
		else expect(a!.scores.convenience).toBeCloseTo(score, 10);
	});

	it.each<[number | null, number | null, string]>([
		[90, 70, 'both'],
		[90, null, 'case'],
		[null, 70, 'survey'],
		[null, null, 'missing'],
		[0, 0, 'both']
	])('convenienceBasis(%s, %s) = %s', (caseValue, surveyValue, basis) => {
		expect(convenienceBasis(caseValue, surveyValue)).toBe(basis);
	});

	it('counts the cases of every status, the accepted being their sum', () => {
		const [a] = build(
			inputs([
				department('A', { cases: { on_time: 5, late: 2, open_overdue: 1, open_not_due: 3 } })
			])
		).departments;
		expect(a!.inputs.convenience.cases).toEqual({
			accepted: 11,
			onTime: 5,
			late: 2,
			openOverdue: 1,
			openNotDue: 3,
			indicator: (100 * 5) / 8
		});
	});
});

describe('categories', () => {
	// commended 1 + bottom 1: a category needs 2 departments.
	it.each<[string, number, number, Problem[]]>([
		[
			'one municipal department',
			1,
			2,
			[{ code: 'category_too_small', category: 'municipal', count: 1 }]
		],
		['two of each', 2, 2, []],
		['an empty vertical category', 2, 0, []],
		[
			'one of each',
			1,
			1,
			[
				{ code: 'category_too_small', category: 'municipal', count: 1 },
				{ code: 'category_too_small', category: 'vertical', count: 1 }
			]
		]
	])('%s', (_label, municipal, vertical, errors) => {
		const list = [
			...Array.from({ length: municipal }, (_, i) => department(`M${i}`, { appraisal: 80 + i })),
			...Array.from({ length: vertical }, (_, i) =>
				department(`V${i}`, { category: 'vertical', appraisal: 80 + i })
			)
		];
		expect(build(inputs(list)).errors).toEqual(errors);
	});

	it('ranks each category on its own, municipal first, then by rank and code', () => {
		const content = build(
			inputs([
				department('V1', { category: 'vertical', appraisal: 60 }),
				department('M2', { appraisal: 70 }),
				department('V2', { category: 'vertical', appraisal: 90 }),
				department('M1', { appraisal: 95 }),
				department('MX', { appraisal: null })
			])
		);
		expect(content.departments.map((d) => [d.code, d.rank])).toEqual([
			['M1', 1],
			['M2', 2],
			['MX', null],
			['V2', 1],
			['V1', 2]
		]);
	});
});

describe('ties', () => {
	it('gives equal departments one rank, listed by code, and the next rank skips', () => {
		const content = build(
			inputs([
				department('M3', { appraisal: 70 }),
				department('M2', { appraisal: 80 }),
				department('M1', { appraisal: 80 }),
				department('M4', { appraisal: 60 })
			])
		);
		expect(content.departments.map((d) => [d.code, d.rank, d.rankFromBottom])).toEqual([
			['M1', 1, 3],
			['M2', 1, 3],
			['M3', 3, 2],
			['M4', 4, 1]
		]);
		// Both share the commended place.
		expect(byCode(content.departments).M1!.outcomes).toEqual(['commended']);
		expect(byCode(content.departments).M2!.outcomes).toEqual(['commended']);
	});

	it('breaks a tie of the total by the appraisal score', () => {
		// Same total: appraisal 30 % × 10 more offset by work 30 % × 10 less.
		const content = build(
			inputs([
				department('M1', { appraisal: 80, findings: { deductions: 0 } }),
				department('M2', { appraisal: 90, findings: { deductions: 10 } })
			])
		);
		const d = byCode(content.departments);
		expect(d.M1!.scores.total).toBeCloseTo(d.M2!.scores.total!, 10);
		expect([d.M2!.rank, d.M1!.rank]).toEqual([1, 2]);
	});
});

describe('criticised two years running', () => {
	it.each<[Category, boolean, string[]]>([
		['municipal', false, ['rectification', 'criticism']],
		['municipal', true, ['rectification', 'criticism', 'reassignment']],
		['vertical', false, ['rectification', 'criticism']],
		['vertical', true, ['rectification', 'criticism', 'superior_report']]
	])('the last %s department, criticised last year: %s → %j', (category, criticised, outcomes) => {
		const content = build(
			inputs(
				[
					department('TOP', { category, appraisal: 90 }),
					department('MID', { category, appraisal: 80 }),
					department('LOW', { category, appraisal: 50 })
				],
				{ criticisedLastYear: criticised ? ['LOW', 'TOP'] : [] }
			)
		);
		const d = byCode(content.departments);
		expect(d.LOW!.criticisedLastYear).toBe(criticised);
		expect(d.LOW!.outcomes).toEqual(outcomes);
		// Commended this year: last year's criticism changes nothing.
		expect(d.TOP!.outcomes).toEqual(['commended']);
		expect(d.MID!.outcomes).toEqual([]);
	});
});

describe('warnings', () => {
	it.each<[string, Parameters<typeof department>[1], Problem[]]>([
		['none', {}, []],
		[
			'open complaints',
			{ complaints: { open: 3, substantiated: 1 } },
			[{ code: 'open_complaints', departmentCode: 'A', count: 3 }]
		],
		[
			'an insufficient sample',
			{ responses: 9 },
			[{ code: 'insufficient_sample', departmentCode: 'A', count: 9 }]
		],
		// Without any appraisal the score is missing (an error), not a small sample.
		['no appraisal at all', { appraisal: null }, []],
		['exactly the minimum', { responses: 10 }, []],
		[
			'disputed and recorded findings',
			{ findings: { disputed: 2, recorded: 1 } },
			[
				{ code: 'disputed_findings', departmentCode: 'A', count: 2 },
				{ code: 'recorded_findings', departmentCode: 'A', count: 1 }
			]
		]
	])('%s', (_label, opts, warnings) => {
		expect(build(inputs([department('A', opts), department('B')])).warnings).toEqual(warnings);
	});

	it('says when the year before was never published', () => {
		const list = [department('A'), department('B')];
		expect(build(inputs(list, { previousUnpublished: true })).warnings).toEqual([
			{ code: 'no_previous_publication' }
		]);
		expect(build(inputs(list)).warnings).toEqual([]);
	});

	it('flags the department of a small sample on its result too', () => {
		const d = byCode(
			build(inputs([department('A', { responses: 5 }), department('B')])).departments
		);
		expect([d.A!.insufficientSample, d.B!.insufficientSample]).toEqual([true, false]);
	});
});

describe('the order of problems', () => {
	it('lists blocking problems first, then the year, then per department and dimension', () => {
		const shuffled: Problem[] = [
			{ code: 'insufficient_sample', departmentCode: 'A', count: 3 },
			{ code: 'missing_dimension', departmentCode: 'B', category: 'vertical', dimension: 'work' },
			{ code: 'recorded_findings', departmentCode: 'A', count: 1 },
			{
				code: 'missing_dimension',
				departmentCode: 'A',
				category: 'municipal',
				dimension: 'appraisal'
			},
			{ code: 'open_complaints', departmentCode: 'B', count: 1 },
			{ code: 'no_previous_publication' },
			{
				code: 'missing_dimension',
				departmentCode: 'A',
				category: 'municipal',
				dimension: 'convenience'
			},
			{ code: 'disputed_findings', departmentCode: 'A', count: 2 },
			{ code: 'category_too_small', category: 'vertical', count: 1 },
			{ code: 'open_complaints', departmentCode: 'A', count: 2 },
			{ code: 'category_too_small', category: 'municipal', count: 1 }
		];
		expect(
			sortProblems(shuffled).map((p) => [
				p.code,
				p.category ?? p.departmentCode ?? '',
				p.dimension ?? ''
			])
		).toEqual([
			['category_too_small', 'municipal', ''],
			['category_too_small', 'vertical', ''],
			['missing_dimension', 'municipal', 'convenience'],
			['missing_dimension', 'municipal', 'appraisal'],
			['missing_dimension', 'vertical', 'work'],
			['no_previous_publication', '', ''],
			['open_complaints', 'A', ''],
			['open_complaints', 'B', ''],
			['disputed_findings', 'A', ''],
			['recorded_findings', 'A', ''],
			['insufficient_sample', 'A', '']
		]);
	});

	it('sorts the problems of a built content', () => {
		const content = build(
			inputs([department('B', { appraisal: null, complaints: { open: 1 } })], {
				previousUnpublished: true
			})
		);
		expect(content.errors.map((e) => e.code)).toEqual(['category_too_small', 'missing_dimension']);
		expect(content.warnings.map((w) => w.code)).toEqual([
			'no_previous_publication',
			'open_complaints'
		]);
	});
});

describe('campaign lines', () => {
	it.each<['appraisal' | 'convenience', string[]]>([
		['appraisal', ['A1', 'A2']],
		['convenience', ['A2']]
	])('keep the campaigns with a counted %s response', (dimension, codes) => {
		const campaigns: SurveyTotals['campaigns'] = [
			{
				code: 'A1',
				kind: 'online',
				weight: 2,
				appraisal: { responses: 3, mean: 75 },
				convenience: { responses: 0, mean: null }
			},
			{
				code: 'A2',
				kind: 'enterprise_visit',
				weight: 1,
				appraisal: { responses: 1, mean: 50 },
				convenience: { responses: 4, mean: 62.5 }
			}
		];
		const lines = campaignLines(campaigns, dimension);
		expect(lines.map((l) => l.code)).toEqual(codes);
		expect(lines.every((l) => l.responses > 0 && l.mean !== null)).toBe(true);
	});
});
