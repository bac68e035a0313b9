// Every rule of spec/scoring.md as table-driven cases: the four dimensions, the total, rounding,
// ranking with its ties, and the outcomes at their boundaries.
import { describe, expect, it } from 'vitest';
import {
	caseIndicator,
	complaintScore,
	contributions,
	convenienceScore,
	DEFAULT_SETTINGS,
	insufficientSample,
	outcomes,
	rankCategory,
	ratingPoints,
	rectificationDeadline,
	responseScore,
	roundHalfAwayFromZero,
	satisfactionRate,
	settingsProblems,
	totalScore,
	weightedCampaignMean,
	workScore,
	type Category,
	type Dimension,
	type EvaluationSettings,
	type Outcome,
	type RankingInput
} from '$lib/domain/scoring';

const S = DEFAULT_SETTINGS;
const withSettings = (patch: Partial<EvaluationSettings>): EvaluationSettings => ({
	...S,
	...patch
});

describe('settings', () => {
	it('defaults to the table of §1', () => {
		expect(DEFAULT_SETTINGS).toEqual({
			weights: { work: 30, convenience: 20, complaints: 20, appraisal: 30 },
			commended: { municipal: 6, vertical: 4 },
			rectificationBottom: 3,
			workBonusCap: 10,
			complaintDeductions: { substantiated: 5, partial: 2, unfounded: 0, lateResponse: 1 },
			complaintResponseWorkingDays: 5,
			convenienceCaseShare: 0.5,
			minimumResponses: 30,
			rectificationDays: 90
		});
		expect(settingsProblems(DEFAULT_SETTINGS)).toEqual([]);
	});

	it.each<[string, Partial<EvaluationSettings>, string, string]>([
		[
			'weights summing to 101',
			{ weights: { work: 31, convenience: 20, complaints: 20, appraisal: 30 } },
			'weights',
			'weights_sum'
		],
		[
			'weights summing to 99',
			{ weights: { work: 30, convenience: 20, complaints: 20, appraisal: 29 } },
			'weights',
			'weights_sum'
		],
		[
			'a negative weight',
			{ weights: { work: 60, convenience: -10, complaints: 20, appraisal: 30 } },
			'weights.convenience',
			'negative'
		],
		[
			'a fractional commended count',
			{ commended: { municipal: 6, vertical: 2.5 } },
			'commended.vertical',
			'not_integer'
		],
		['a negative bottom N', { rectificationBottom: -1 }, 'rectificationBottom', 'negative'],
		['a share above 1', { convenienceCaseShare: 1.5 }, 'convenienceCaseShare', 'not_share'],
		['a negative bonus cap', { workBonusCap: -1 }, 'workBonusCap', 'negative'],
		[
			'a negative deduction',
			{ complaintDeductions: { substantiated: -5, partial: 2, unfounded: 0, lateResponse: 1 } },
			'complaintDeductions.substantiated',
			'negative'
		]
	])('refuses %s', (_label, patch, field, problem) => {
		expect(settingsProblems(withSettings(patch))).toContainEqual({ field, problem });
	});

	it('accepts decimal weights that sum to 100', () => {
		const weights = { work: 33.3, convenience: 33.3, complaints: 33.4, appraisal: 0 };
		expect(settingsProblems(withSettings({ weights }))).toEqual([]);
	});
});

describe('work delivery: clamp(100 − D + min(B, cap), 0, 100)', () => {
	it.each([
		[0, 0, 10, 100],
		[10, 0, 10, 90],
		[10, 5, 10, 95],
		[10, 10, 10, 100],
		[10, 15, 10, 100], // the bonus is capped at 10
		[20, 15, 10, 90], // capped bonus, not 100 − 20 + 15 = 95
		[20, 15, 5, 85], // a smaller cap from the year's settings
		[20, 15, 0, 80], // cap 0: bonuses do not count
		[0, 5, 10, 100], // clamped at 100
		[150, 0, 10, 0], // clamped at 0
		[120, 10, 10, 0], // 100 − 120 + 10 = −10, clamped
		[2.5, 0.5, 10, 98]
	])('D=%d, B=%d, cap %d → %d', (deductions, bonus, cap, expected) => {
		expect(workScore({ deductions, bonus }, { workBonusCap: cap })).toBe(expected);
	});
});

describe('complaint handling: max(0, 100 − 5s − 2p − 0u − 1 late)', () => {
	const none = { substantiated: 0, partial: 0, unfounded: 0, lateResponses: 0 };
	it.each([
		[{}, 100],
		[{ substantiated: 1 }, 95],
		[{ partial: 1 }, 98],
		[{ unfounded: 3 }, 100], // unfounded complaints cost nothing by default
		[{ lateResponses: 2 }, 98],
		[{ substantiated: 2, partial: 1, unfounded: 3, lateResponses: 2 }, 86],
		[{ substantiated: 20 }, 0],
		[{ substantiated: 25 }, 0], // floor at 0, not −25
		[{ substantiated: 19, partial: 2, lateResponses: 1 }, 0] // 100 − 95 − 4 − 1
	])('%j → %d', (counts, expected) => {
		expect(complaintScore({ ...none, ...counts }, S)).toBe(expected);
	});

	it('uses the deductions of the year', () => {
		const s = {
			complaintDeductions: { substantiated: 4, partial: 1, unfounded: 1, lateResponse: 3 }
		};
		expect(
			complaintScore({ substantiated: 1, partial: 1, unfounded: 1, lateResponses: 1 }, s)
		).toBe(91);
	});
});

describe('democratic appraisal', () => {
	it.each([
		[5, 100],
		[4, 75],
		[3, 50],
		[2, 25],
		[1, 0],
		[0, null]
	])('level %i is worth %s points', (level, points) => {
		expect(ratingPoints(level)).toBe(points);
	});

	it.each([6, -1, 2.5, Number.NaN])('refuses level %s', (level) => {
		expect(() => ratingPoints(level)).toThrow(RangeError);
	});

	it.each<[number[], number | null]>([
		[[5, 4], 87.5],
		[[5, 4, 0], 87.5], // don't know is left out, not counted as 0
		[[0, 0, 3], 50],
		[[1], 0], // very dissatisfied counts, as 0 points
		[[1, 0], 0],
		[[0, 0], null], // only "don't know": the response does not count for the department
		[[], null]
	])('a response answering %j scores %s', (levels, expected) => {
		expect(responseScore(levels)).toBe(expected);
	});

	it.each<[{ weight: number; mean: number | null }[], number | null]>([
		[[{ weight: 1, mean: 80 }], 80],
		[
			[
				{ weight: 1, mean: 80 },
				{ weight: 1, mean: 60 }
			],
			70
		],
		[
			[
				{ weight: 2, mean: 80 },
				{ weight: 1, mean: 50 }
			],
			70
		],
		[
			[
				{ weight: 0.5, mean: 90 },
				{ weight: 1.5, mean: 70 }
			],
			75
		],
		// A campaign without counted responses for the department is left out, not a 0.
		[
			[
				{ weight: 3, mean: null },
				{ weight: 1, mean: 80 }
			],
			80
		],
		[[{ weight: 1, mean: null }], null],
		[[], null],
		[
			[
				{ weight: 0, mean: 40 },
				{ weight: 1, mean: 80 }
			],
			80
		]
	])('campaign means %j give %s', (campaigns, expected) => {
		expect(weightedCampaignMean(campaigns)).toBe(expected);
	});

	it('refuses a negative campaign weight', () => {
		expect(() => weightedCampaignMean([{ weight: -1, mean: 50 }])).toThrow(RangeError);
	});

	it.each<[number, number, number | null]>([
		[45, 60, 75],
		[0, 10, 0],
		[10, 10, 100],
		[2, 3, 200 / 3],
		[0, 0, null]
	])('satisfaction rate of %i at levels 3–5 out of %i counted: %s', (satisfied, counted, rate) => {
		expect(satisfactionRate(satisfied, counted)).toBe(rate);
	});

	it('refuses more satisfied answers than answers', () => {
		expect(() => satisfactionRate(3, 2)).toThrow(RangeError);
	});

	it.each([
		[0, true],
		[29, true],
		[30, false],
		[31, false]
	])('%i counted responses: insufficient sample %s', (n, expected) => {
		expect(insufficientSample(n, S)).toBe(expected);
	});
});

describe('convenience and efficiency', () => {
	it.each<[{ onTime: number; completed: number; openOverdue: number }, number | null]>([
		[{ onTime: 8, completed: 10, openOverdue: 0 }, 80],
		[{ onTime: 8, completed: 8, openOverdue: 2 }, 80], // open overdue cases count against
		[{ onTime: 10, completed: 10, openOverdue: 0 }, 100],
		[{ onTime: 0, completed: 0, openOverdue: 3 }, 0],
		[{ onTime: 1, completed: 3, openOverdue: 0 }, 100 / 3],
		[{ onTime: 0, completed: 0, openOverdue: 0 }, null] // only cases not yet due: no indicator
	])('case indicator of %j is %s', (counts, expected) => {
		expect(caseIndicator(counts)).toBe(expected);
	});

	it('refuses more cases on time than completed', () => {
		expect(() => caseIndicator({ onTime: 3, completed: 2, openOverdue: 0 })).toThrow(RangeError);
	});

	it.each<[string, number | null, number | null, number, number | null]>([
		['both indicators', 80, 60, 0.5, 70],
		['both, case share 0.7', 80, 60, 0.7, 74],
		['both, a case indicator of 0 is a value', 0, 60, 0.5, 30],
		['case indicator only', 80, null, 0.5, 80],
		['case indicator only, share ignored', 80, null, 0.7, 80],
		['survey indicator only', null, 60, 0.5, 60],
		['neither: missing', null, null, 0.5, null]
	])('%s', (_label, caseValue, surveyValue, share, expected) => {
		const score = convenienceScore(
			{ caseIndicator: caseValue, surveyIndicator: surveyValue },
			{ convenienceCaseShare: share }
		);
		expect(score === null ? null : roundHalfAwayFromZero(score, 10)).toBe(expected);
	});

	it('displays a blend whose float result falls just below a half as a spreadsheet does', () => {
		// 0.7 × 51.75 + 0.3 × 77.5 = 59.475 exactly, computed as 59.474999999999994.
		const score = convenienceScore(
			{ caseIndicator: 51.75, surveyIndicator: 77.5 },
			{ convenienceCaseShare: 0.7 }
		);
		expect(roundHalfAwayFromZero(score!, 2)).toBe(59.48);
	});
});

describe('total', () => {
	const dims = { work: 90, convenience: 80, complaints: 95, appraisal: 85 };

	it('weights the four dimensions (30, 20, 20, 30) / 100', () => {
		expect(totalScore(dims, S)).toBe(87.5);
	});

	it('uses the weights of the year', () => {
		const weights = { work: 25, convenience: 25, complaints: 25, appraisal: 25 };
		expect(totalScore(dims, { weights })).toBe(87.5);
		const skewed = { work: 100, convenience: 0, complaints: 0, appraisal: 0 };
		expect(totalScore(dims, { weights: skewed })).toBe(90);
	});

	it.each<Dimension>(['work', 'convenience', 'complaints', 'appraisal'])(
		'is missing when %s is missing',
		(missing) => {
			expect(totalScore({ ...dims, [missing]: null }, S)).toBeNull();
		}
	);

	it('is the sum of the weighted contributions the dashboard stacks', () => {
		const parts = contributions(dims, S);
		expect(parts).toEqual({ work: 27, convenience: 16, complaints: 19, appraisal: 25.5 });
		const sum = Object.values(parts).reduce<number>((a, b) => a + (b ?? 0), 0);
		expect(sum).toBeCloseTo(totalScore(dims, S)!, 10);
		expect(contributions({ ...dims, work: null }, S).work).toBeNull();
	});

	it('counts a dimension score of 0 (it is not missing)', () => {
		expect(totalScore({ ...dims, complaints: 0 }, S)).toBe(68.5);
	});
});

describe('roundHalfAwayFromZero', () => {
	it.each<[number | string, number, number]>([
		[2.675, 2, 2.68], // stored as 2.67499999…: naive rounding gives 2.67
		[2.665, 2, 2.67],
		[1.005, 2, 1.01],
		[-1.005, 2, -1.01],
		[0.125, 2, 0.13],
		[-0.125, 2, -0.13],
		[2.5, 0, 3],
		[-2.5, 0, -3],
		[1.5, 0, 2],
		[2.4999, 0, 2],
		[99.995, 2, 100],
		[100, 2, 100],
		[0, 2, 0],
		[84.12345, 4, 84.1235],
		[84.12344, 4, 84.1234],
		[0.1 + 0.2, 2, 0.3], // float noise of earlier arithmetic
		[0.03 + 0.005, 2, 0.04], // 0.034999999999999996 in binary: read as 0.035
		[1e-7, 4, 0],
		['1.5e3', 0, 1500],
		['-2.5E-1', 1, -0.3],
		[1e21, 2, 1e21],
		[123456.789, 1, 123456.8],
		['84.12500000000000000000', 2, 84.13], // a PostgreSQL numeric, exactly as written
		['-0.005', 2, -0.01],
		['66.66666666666666666667', 4, 66.6667]
	])('%s to %i decimals is %s', (x, decimals, expected) => {
		expect(roundHalfAwayFromZero(x, decimals)).toBe(expected);
	});

	it('never returns −0', () => {
		expect(Object.is(roundHalfAwayFromZero(-0.004, 2), 0)).toBe(true);
	});

	it.each<[number | string, number]>([
		[Number.NaN, 2],
		[Number.POSITIVE_INFINITY, 2],
		['abc', 2],
		['', 2],
		[1.5, -1],
		[1.5, 1.5]
	])('refuses %s to %s decimals', (x, decimals) => {
		expect(() => roundHalfAwayFromZero(x, decimals)).toThrow(RangeError);
	});
});

describe('ranking within a category', () => {
	const dept = (id: string, total: number, rest: Partial<RankingInput> = {}): RankingInput => ({
		id,
		total,
		appraisal: 80,
		work: 80,
		complaints: 80,
		convenience: 80,
		...rest
	});
	const positions = (ranked: ReturnType<typeof rankCategory>) =>
		ranked.map((d) => [d.id, d.rank, d.rankFromBottom]);

	it('ranks by total, best first, with rank_from_bottom', () => {
		const ranked = rankCategory([dept('c', 70), dept('a', 90), dept('d', 60), dept('b', 80)]);
		expect(positions(ranked)).toEqual([
			['a', 1, 4],
			['b', 2, 3],
			['c', 3, 2],
			['d', 4, 1]
		]);
	});

	it('breaks an exact tie in total by appraisal', () => {
		const ranked = rankCategory([
			dept('a', 85, { appraisal: 90 }),
			dept('b', 85, { appraisal: 92 })
		]);
		expect(positions(ranked)).toEqual([
			['b', 1, 2],
			['a', 2, 1]
		]);
	});

	it.each<[keyof RankingInput, Partial<RankingInput>]>([
		['appraisal', { appraisal: 81 }],
		['work', { work: 81 }],
		['complaints', { complaints: 81 }],
		['convenience', { convenience: 81 }]
	])('breaks a tie by %s when the earlier components are equal', (_component, better) => {
		const ranked = rankCategory([dept('a', 85), dept('b', 85, better)]);
		expect(positions(ranked)).toEqual([
			['b', 1, 2],
			['a', 2, 1]
		]);
	});

	it('compares the components in order: appraisal before work', () => {
		const ranked = rankCategory([
			dept('a', 85, { appraisal: 81, work: 0 }),
			dept('b', 85, { appraisal: 80, work: 100 })
		]);
		expect(positions(ranked)).toEqual([
			['a', 1, 2],
			['b', 2, 1]
		]);
	});

	it('shares a rank on a full-key tie and skips the next (1, 2, 2, 4)', () => {
		const ranked = rankCategory([dept('a', 90), dept('b', 80), dept('c', 80), dept('d', 70)]);
		expect(positions(ranked)).toEqual([
			['a', 1, 4],
			['b', 2, 2],
			['c', 2, 2],
			['d', 4, 1]
		]);
	});

	it('counts rank_from_bottom over strictly lower keys when the bottom is tied', () => {
		const ranked = rankCategory([dept('a', 90), dept('b', 80), dept('c', 70), dept('d', 70)]);
		expect(positions(ranked)).toEqual([
			['a', 1, 4],
			['b', 2, 3],
			['c', 3, 1],
			['d', 3, 1]
		]);
	});

	it('compares keys rounded to 4 decimals, half away from zero', () => {
		// 85.00004 and 85.00001 are both 85.0000: appraisal decides.
		const tied = rankCategory([dept('a', 85.00004), dept('b', 85.00001, { appraisal: 81 })]);
		expect(positions(tied)).toEqual([
			['b', 1, 2],
			['a', 2, 1]
		]);
		// 85.00005 rounds up to 85.0001 and wins on total.
		const apart = rankCategory([dept('a', 85.00005), dept('b', 85.00004, { appraisal: 81 })]);
		expect(positions(apart)).toEqual([
			['a', 1, 2],
			['b', 2, 1]
		]);
		// Equal to 4 decimals on every component: one shared rank.
		const same = rankCategory([dept('a', 85.00001), dept('b', 85.00004, { work: 80.00002 })]);
		expect(positions(same)).toEqual([
			['a', 1, 1],
			['b', 1, 1]
		]);
	});

	it('ranks everyone first when all are tied, and an empty category as nothing', () => {
		expect(positions(rankCategory([dept('a', 80), dept('b', 80), dept('c', 80)]))).toEqual([
			['a', 1, 1],
			['b', 1, 1],
			['c', 1, 1]
		]);
		expect(rankCategory([])).toEqual([]);
	});

	it('keeps the caller’s fields', () => {
		const [only] = rankCategory([{ ...dept('a', 80), code: 'czj' }]);
		expect(only).toMatchObject({ id: 'a', code: 'czj', rank: 1, rankFromBottom: 1 });
	});
});

describe('outcomes of one department', () => {
	it.each<[Category, number, number, boolean, Outcome[]]>([
		['municipal', 1, 10, false, ['commended']],
		['municipal', 6, 5, false, ['commended']], // the last commended rank
		['municipal', 7, 4, false, []],
		['municipal', 8, 3, false, ['rectification']], // the bottom 3 boundary
		['municipal', 9, 2, false, ['rectification']],
		['municipal', 10, 1, false, ['rectification', 'criticism']],
		['municipal', 10, 1, true, ['rectification', 'criticism', 'reassignment']],
		['municipal', 9, 2, true, ['rectification']], // criticised last year only
		['municipal', 1, 10, true, ['commended']],
		['vertical', 4, 5, false, ['commended']], // the last commended rank
		['vertical', 5, 4, false, []],
		['vertical', 6, 3, false, ['rectification']],
		['vertical', 8, 1, false, ['rectification', 'criticism']],
		['vertical', 8, 1, true, ['rectification', 'criticism', 'superior_report']],
		['vertical', 7, 2, true, ['rectification']]
	])(
		'%s, rank %i, from bottom %i, criticised last year %s → %j',
		(category, rank, rfb, last, expected) => {
			expect(
				outcomes({ category, rank, rankFromBottom: rfb, criticisedLastYear: last }, S)
			).toEqual(expected);
		}
	);

	it('reads the category of this year: criticised as vertical last year, municipal now', () => {
		const d = {
			category: 'municipal' as const,
			rank: 10,
			rankFromBottom: 1,
			criticisedLastYear: true
		};
		expect(outcomes(d, S)).toContain('reassignment');
		expect(outcomes(d, S)).not.toContain('superior_report');
	});

	it('criticises the last even with no rectification quota', () => {
		const s = withSettings({ rectificationBottom: 0 });
		const d = {
			category: 'vertical' as const,
			rank: 5,
			rankFromBottom: 1,
			criticisedLastYear: false
		};
		expect(outcomes(d, s)).toEqual(['criticism']);
	});

	it('uses the quotas of the year', () => {
		const s = withSettings({ commended: { municipal: 2, vertical: 1 }, rectificationBottom: 1 });
		const d = (category: Category, rank: number, rankFromBottom: number) =>
			outcomes({ category, rank, rankFromBottom, criticisedLastYear: false }, s);
		expect(d('municipal', 2, 5)).toEqual(['commended']);
		expect(d('municipal', 3, 4)).toEqual([]);
		expect(d('vertical', 2, 2)).toEqual([]);
		expect(d('vertical', 3, 1)).toEqual(['rectification', 'criticism']);
	});
});

describe('outcomes of a whole category (ranking, then §3)', () => {
	/** Ranks departments named by their totals and returns each one's outcomes. */
	function category(
		cat: Category,
		totals: number[],
		criticisedLastYear: string[] = []
	): Record<string, Outcome[]> {
		const ranked = rankCategory(
			totals.map((total, i) => ({
				id: `d${i + 1}`,
				total,
				appraisal: 80,
				work: 80,
				complaints: 80,
				convenience: 80
			}))
		);
		return Object.fromEntries(
			ranked.map((d) => [
				d.id,
				outcomes({ ...d, category: cat, criticisedLastYear: criticisedLastYear.includes(d.id) }, S)
			])
		);
	}
	const count = (result: Record<string, Outcome[]>, o: Outcome) =>
		Object.values(result).filter((list) => list.includes(o)).length;

	it('commends both departments tied at rank 6 (seven commended in all)', () => {
		const r = category('municipal', [95, 94, 93, 92, 91, 90, 90, 85]);
		expect(count(r, 'commended')).toBe(7);
		expect(r.d6).toEqual(['commended']);
		expect(r.d7).toEqual(['commended']);
		// d6 and d7 are second from the bottom, but commended: only d8 faces the bottom rules.
		expect(r.d8).toEqual(['rectification', 'criticism']);
		expect(count(r, 'rectification')).toBe(1);
	});

	it('commends all three tied at rank 5 and none after them', () => {
		const r = category('municipal', [99, 98, 97, 96, 90, 90, 90, 80, 70, 60]);
		expect(count(r, 'commended')).toBe(7);
		expect(r.d8).toEqual(['rectification']);
	});

	it('puts every department tied at the bottom under rectification and criticism', () => {
		const r = category('municipal', [99, 98, 97, 96, 95, 94, 93, 92, 80, 80]);
		expect(r.d8).toEqual(['rectification']); // rank_from_bottom 3
		expect(r.d9).toEqual(['rectification', 'criticism']);
		expect(r.d10).toEqual(['rectification', 'criticism']);
		expect(r.d7).toEqual([]); // rank_from_bottom 4
		expect(count(r, 'criticism')).toBe(2);
	});

	it('extends rectification to a tie that straddles the bottom-3 line', () => {
		// d8, d9, d10 tie above the last (rank_from_bottom 2): all within the bottom 3.
		const r = category('municipal', [99, 98, 97, 96, 95, 94, 93, 85, 85, 85, 70]);
		expect(count(r, 'rectification')).toBe(4);
		expect(count(r, 'criticism')).toBe(1);
		expect(r.d11).toEqual(['rectification', 'criticism']);
		expect(r.d7).toEqual([]);
	});

	it('puts four tied at the bottom all under rectification, beyond the quota of 3', () => {
		const r = category('municipal', [99, 98, 97, 96, 95, 94, 60, 60, 60, 60]);
		expect(count(r, 'rectification')).toBe(4);
		expect(count(r, 'criticism')).toBe(4);
	});

	it.each<[Category, number[], string, Outcome]>([
		['municipal', [99, 98, 97, 96, 95, 94, 93, 92, 91, 90], 'd10', 'reassignment'],
		['vertical', [99, 98, 97, 96, 95, 94, 93], 'd7', 'superior_report']
	])('%s: criticised two years running → %s', (cat, totals, last, escalation) => {
		const r = category(cat, totals, [last, 'd1', 'd9']);
		expect(r[last]).toEqual(['rectification', 'criticism', escalation]);
		// Criticised last year but not this year: no escalation.
		expect(r.d1).toEqual(['commended']);
		expect(
			Object.values(r)
				.flat()
				.filter((o) => o === escalation)
		).toHaveLength(1);
	});

	it('commends every department of a vertical category of 3 (rank ≤ 4); no bottom outcomes', () => {
		const r = category('vertical', [90, 80, 70], ['d3']);
		expect(r).toEqual({ d1: ['commended'], d2: ['commended'], d3: ['commended'] });
	});

	it('commends the first 4 of 5 vertical departments and rectifies only the 5th', () => {
		const r = category('vertical', [90, 85, 80, 75, 70]);
		expect(count(r, 'commended')).toBe(4);
		// d4 is 2nd from the bottom but commended; d5 alone is within the bottom 3 and not.
		expect(r.d5).toEqual(['rectification', 'criticism']);
		expect(count(r, 'rectification')).toBe(1);
	});

	it('commends all of a municipal category of 6, and only the 7th of 7 faces the bottom', () => {
		expect(count(category('municipal', [90, 85, 80, 75, 70, 65]), 'commended')).toBe(6);
		const r = category('municipal', [90, 85, 80, 75, 70, 65, 60]);
		expect(r.d7).toEqual(['rectification', 'criticism']);
		expect(count(r, 'rectification')).toBe(1);
	});

	it('commends everyone when the whole category is tied', () => {
		const r = category('vertical', [80, 80, 80, 80, 80, 80]);
		expect(count(r, 'commended')).toBe(6);
		expect(count(r, 'criticism')).toBe(0);
	});
});

describe('rectification deadline: publication date + 90 days', () => {
	it.each([
		['2026-03-31', 90, '2026-06-29'],
		['2025-12-15', 90, '2026-03-15'],
		['2024-01-01', 60, '2024-03-01'], // leap year
		['2026-01-10', 0, '2026-01-10']
	])('published %s, %i days → %s', (published, days, expected) => {
		expect(rectificationDeadline(published, days)).toBe(expected);
	});

	it('uses the default of 90 days', () => {
		expect(rectificationDeadline('2026-02-01', S.rectificationDays)).toBe('2026-05-02');
	});
});

describe('a department worked by hand', () => {
	it('gives the figures a liaison would compute with a spreadsheet', () => {
		const work = workScore({ deductions: 12.5, bonus: 15 }, S); // 100 − 12.5 + 10
		const complaints = complaintScore(
			{ substantiated: 1, partial: 2, unfounded: 4, lateResponses: 1 },
			S
		); // 100 − 5 − 4 − 0 − 1
		const cases = caseIndicator({ onTime: 45, completed: 48, openOverdue: 2 }); // 90
		// Two responses of one campaign (weight 2) and one of another (weight 1).
		const c1 = [responseScore([5, 4, 0]), responseScore([3, 3])] as number[]; // 87.5, 50
		const c2 = [responseScore([4])] as number[]; // 75
		const appraisal = weightedCampaignMean([
			{ weight: 2, mean: (c1[0]! + c1[1]!) / 2 },
			{ weight: 1, mean: c2[0]! }
		]); // (2 × 68.75 + 75) / 3 = 70.8333…
		const convenience = convenienceScore({ caseIndicator: cases, surveyIndicator: 70 }, S); // 80
		const total = totalScore({ work, convenience, complaints, appraisal }, S);
		expect([work, complaints, cases, convenience]).toEqual([97.5, 90, 90, 80]);
		expect(roundHalfAwayFromZero(appraisal!, 2)).toBe(70.83);
		// (30 × 97.5 + 20 × 80 + 20 × 90 + 30 × 70.8333…) / 100 = 84.5
		expect(roundHalfAwayFromZero(total!, 2)).toBe(84.5);
		expect(roundHalfAwayFromZero(total!, 4)).toBe(84.5);
	});
});
