// The "why this score" formulas: each written with the department's own numbers in arithmetic a
// clerk knows (+, −, ×, ÷; the bounds of a score as a sentence, never clamp/min/max), ending with
// the stored result, figures rounded half away from zero to 2 decimals.
import { describe, expect, it } from 'vitest';
import {
	caseFormula,
	complaintFormula,
	convenienceFormula,
	num,
	percent,
	satisfactionFormula,
	score,
	totalFormula,
	weightedMeanFormula,
	withoutSmallGroups,
	withheldParts,
	withFindingTextsMasked,
	withSmallGroupsWithheld,
	workFormula
} from '$lib/domain/explain';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import type { CampaignLine, DepartmentResult } from '$lib/domain/snapshot';

const campaign = (weight: number, mean: number, responses = 10): CampaignLine => ({
	code: 'c',
	kind: 'online',
	weight,
	responses,
	mean
});

describe('explain', () => {
	it.each([
		[76.666666, '76.67'],
		[100, '100'],
		[77.5, '77.5'],
		[2.675, '2.68'],
		[-1.005, '-1.01'],
		[0.1 + 0.2, '0.3']
	])('num(%s) = %s', (x, text) => expect(num(x)).toBe(text));

	it('formats scores and percentages with 2 decimals, a dash when missing', () => {
		expect(score(230 / 3)).toBe('76.67');
		expect(score(100)).toBe('100.00');
		expect(score(null)).toBe('—');
		expect(percent(87.5)).toBe('87.50%');
		expect(percent(null)).toBe('—');
	});

	it.each([
		[{ deductions: 3, bonusCounted: 10 }, 100, '100 − 3 + 10 = 107', '100'],
		[{ deductions: 12.5, bonusCounted: 4 }, 91.5, '100 − 12.5 + 4 = 91.5', '91.5'],
		[{ deductions: 130, bonusCounted: 0 }, 0, '100 − 130 + 0 = -30', '0']
	])('work formula %#', (inputs, work, arithmetic, kept) => {
		expect(workFormula(inputs, work)).toEqual({
			arithmetic,
			kept: { min: '0', max: '100', result: kept }
		});
	});

	it('writes the case indicator, or nothing without a counted case', () => {
		expect(
			caseFormula({
				accepted: 11,
				onTime: 7,
				late: 1,
				openOverdue: 2,
				openNotDue: 1,
				indicator: 70
			})
		).toEqual({ arithmetic: '100 × 7 ÷ (8 + 2) = 70' });
		expect(
			caseFormula({
				accepted: 1,
				onTime: 0,
				late: 0,
				openOverdue: 0,
				openNotDue: 1,
				indicator: null
			})
		).toBeNull();
	});

	it('writes weighted means over campaigns with counted responses only', () => {
		expect(weightedMeanFormula([campaign(2, 80), campaign(1, 70)], 230 / 3)).toEqual({
			arithmetic: '(2 × 80 + 1 × 70) ÷ (2 + 1) = 76.67'
		});
		expect(weightedMeanFormula([campaign(1.5, 62.5), campaign(3, 99, 0)], 62.5)).toEqual({
			arithmetic: '(1.5 × 62.5) ÷ (1.5) = 62.5'
		});
		expect(weightedMeanFormula([], null)).toBeNull();
	});

	it.each([
		[4, null],
		[5, 70]
	])('withholds from a liaison the mean of a group of %i responses: %s', (responses, shown) => {
		const lines = withoutSmallGroups([campaign(2, 80), campaign(1, 70, responses)]);
		expect(lines.map((c) => c.mean)).toEqual([80, shown]);
		expect(weightedMeanFormula(lines, 230 / 3)?.arithmetic).toBe(
			`(2 × 80 + 1 × ${shown ?? '…'}) ÷ (2 + 1) = 76.67`
		);
	});

	it('withholds small groups in both survey tables of a department', () => {
		const d = {
			inputs: {
				appraisal: { campaigns: [campaign(1, 90, 3)], answers: 15, satisfied: 15 },
				convenience: { survey: { indicator: 50, campaigns: [campaign(1, 50, 4)] } }
			}
		} as unknown as DepartmentResult;
		const shown = withSmallGroupsWithheld(d);
		expect(shown.inputs.appraisal.campaigns[0]!.mean).toBeNull();
		expect(shown.inputs.convenience.survey.campaigns[0]!.mean).toBeNull();
		// The stored result is untouched.
		expect(d.inputs.appraisal.campaigns[0]!.mean).toBe(90);
	});

	it("masks the numbers typed into the findings' descriptions, nothing else", () => {
		const line = {
			findingNo: 'F2026-000001',
			date: '2026-03-01',
			source: 'undercover_visit',
			points: '-1.00',
			status: 'confirmed',
			counted: true,
			description: '窗口无人，群众 13812345678 反映'
		} as const;
		const d = {
			code: 'a',
			inputs: { work: { deductions: 1, bonus: 0, bonusCounted: 0, findings: [line] } }
		} as unknown as DepartmentResult;
		const shown = withFindingTextsMasked(d);
		expect(shown.inputs.work.findings).toEqual([
			{ ...line, description: '窗口无人，群众 138****5678 反映' }
		]);
		expect(shown.inputs.work.deductions).toBe(1);
		// The stored result is untouched.
		expect(d.inputs.work.findings[0]!.description).toBe(line.description);
	});

	it('writes convenience per its basis', () => {
		const cases = {
			accepted: 10,
			onTime: 8,
			late: 0,
			openOverdue: 2,
			openNotDue: 0,
			indicator: 80
		};
		const survey = { indicator: 75, campaigns: [] };
		expect(convenienceFormula({ basis: 'both', share: 0.3, cases, survey }, 76.5)).toEqual({
			arithmetic: '0.3 × 80 + 0.7 × 75 = 76.5'
		});
		expect(convenienceFormula({ basis: 'case', share: 0.5, cases, survey }, 80)).toBeNull();
		expect(convenienceFormula({ basis: 'survey', share: 0.5, cases, survey }, 75)).toBeNull();
		expect(convenienceFormula({ basis: 'missing', share: 0.5, cases, survey }, null)).toBeNull();
	});

	it('writes the complaint deductions with the year’s settings', () => {
		const c = {
			substantiated: 1,
			partial: 2,
			unfounded: 3,
			lateResponses: 1,
			open: 4,
			deductions: 10
		};
		expect(complaintFormula(c, DEFAULT_SETTINGS, 90)).toEqual({
			arithmetic: '100 − (5 × 1 + 2 × 2 + 0 × 3 + 1 × 1) = 100 − 10 = 90',
			kept: { min: '0', result: '90' }
		});
		// More deductions than points: the arithmetic goes below 0, the score does not.
		expect(
			complaintFormula({ ...c, substantiated: 25, deductions: 131 }, DEFAULT_SETTINGS, 0)
		).toEqual({
			arithmetic: '100 − (5 × 25 + 2 × 2 + 0 × 3 + 1 × 1) = 100 − 131 = -31',
			kept: { min: '0', result: '0' }
		});
	});

	it('writes the satisfaction rate and the total', () => {
		expect(satisfactionFormula({ answers: 200, satisfied: 175 }, 87.5)).toEqual({
			arithmetic: '100 × 175 ÷ 200 = 87.5%'
		});
		expect(satisfactionFormula({ answers: 0, satisfied: 0 }, null)).toBeNull();
		const scores = {
			work: 100,
			convenience: 77.5,
			complaints: 92,
			appraisal: 230 / 3,
			total: 86.9
		};
		expect(totalFormula(scores, DEFAULT_SETTINGS)).toEqual({
			arithmetic: '(30 × 100 + 20 × 77.5 + 20 × 92 + 30 × 76.67) ÷ 100 = 86.9'
		});
		expect(totalFormula({ ...scores, appraisal: null, total: null }, DEFAULT_SETTINGS)).toBeNull();
	});
});

describe('withheldParts', () => {
	it('withholds parts under the minimum, and no more when what is withheld is none or enough', () => {
		expect(withheldParts([5, 5, 0, 0])).toEqual([false, false, true, true]);
		expect(withheldParts([7, 3, 2])).toEqual([false, true, true]);
		expect(withheldParts([4, 4])).toEqual([true, true]);
	});

	it('withholds the smallest shown part too when a withheld one could be had by subtraction', () => {
		expect(withheldParts([8, 1])).toEqual([true, true]);
		expect(withheldParts([9, 6, 2, 0])).toEqual([false, true, true, true]);
		expect(withheldParts([5, 4], 5)).toEqual([true, true]);
	});
});
