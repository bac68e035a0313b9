// The arithmetic of a department's scores written out with its own numbers ("why this score"),
// so that a liaison can redo it by hand: +, −, × and ÷ only, no function notation; where a score
// is kept within bounds (work delivery 0–100, complaint handling at least 0), the bounds are a
// sentence the page words in the reader's language. Every figure is shown rounded half away from
// zero to 2 decimals, as the results are; each formula ends with the stored result, not a
// recomputation.
import { maskPersonalData } from './mask';
import { roundHalfAwayFromZero, type Dimension, type EvaluationSettings } from './scoring';
import type {
	AppraisalInputs,
	CampaignLine,
	CaseInputs,
	ComplaintInputs,
	ConvenienceInputs,
	DepartmentResult,
	WorkInputs
} from './snapshot';

/** A figure in a formula: at most 2 decimals, no trailing zeros (76.67, 100, 77.5). */
export function num(x: number): string {
	return String(roundHalfAwayFromZero(x, 2));
}

/** A score in a table: always 2 decimals; a dash when missing. */
export function score(x: number | null | undefined): string {
	return x === null || x === undefined ? '—' : roundHalfAwayFromZero(x, 2).toFixed(2);
}

/** A percentage with 2 decimals, or a dash. */
export function percent(x: number | null | undefined): string {
	return x === null || x === undefined ? '—' : `${roundHalfAwayFromZero(x, 2).toFixed(2)}%`;
}

const result = (x: number | null) => (x === null ? '—' : num(x));

/** A formula as the "why" page shows it. */
export interface Formula {
	/** The arithmetic with the department's numbers, e.g. `100 − 3 + 10 = 107`. */
	arithmetic: string;
	/** The score kept at least `min` (and at most `max`): the stored result. */
	kept?: { min: string; max?: string; result: string };
}

/** §2.1: 100 − D + (B, at most the cap), kept at least 0 and at most 100. */
export function workFormula(
	w: Pick<WorkInputs, 'deductions' | 'bonusCounted'>,
	work: number | null
): Formula {
	const raw = 100 - w.deductions + w.bonusCounted;
	return {
		arithmetic: `100 − ${num(w.deductions)} + ${num(w.bonusCounted)} = ${num(raw)}`,
		kept: { min: '0', max: '100', result: result(work) }
	};
}

/** §2.2 case indicator: 100 × on time ÷ (completed + open overdue); null without a counted case. */
export function caseFormula(c: CaseInputs): Formula | null {
	if (c.indicator === null) return null;
	const completed = c.onTime + c.late;
	return {
		arithmetic: `100 × ${c.onTime} ÷ (${completed} + ${c.openOverdue}) = ${num(c.indicator)}`
	};
}

/**
 * roles.md: a liaison (and a leader) sees survey aggregates only of groups of at least this many
 * responses; a smaller group reads "too few responses".
 */
export const MIN_GROUP_FOR_LIAISON = 5;

/** The levels of the rating scale as an aggregate shows them, top first; 0 is "don't know". */
export const SHOWN_LEVELS = [5, 4, 3, 2, 1, 0] as const;
export type ShownLevel = (typeof SHOWN_LEVELS)[number];

/** The same for free-text comments: shown only where a group holds at least this many. */
export const MIN_TEXT_GROUP_FOR_LIAISON = 10;

/**
 * Which of a total's parts (e.g. a department's responses by channel) are withheld: every part
 * under `min`, and then — so that no withheld part can be had by subtracting the shown ones from
 * the total — the smallest shown parts too, until what is withheld adds up to none or to at
 * least `min`. Returns one flag per part, true where withheld.
 */
export function withheldParts(parts: readonly number[], min = MIN_GROUP_FOR_LIAISON): boolean[] {
	const withheld = parts.map((n) => n < min);
	const hiddenSum = () => parts.reduce((s, n, i) => s + (withheld[i] ? n : 0), 0);
	while (hiddenSum() > 0 && hiddenSum() < min) {
		let smallest = -1;
		for (const [i, n] of parts.entries())
			if (!withheld[i] && (smallest < 0 || n < parts[smallest]!)) smallest = i;
		if (smallest < 0) break;
		withheld[smallest] = true;
	}
	return withheld;
}

/** A campaign line as shown: `mean` is null where the group is too small to be shown. */
export type ShownCampaignLine = Omit<CampaignLine, 'mean'> & { mean: number | null };

/** The lines with the mean of every campaign under `min` responses withheld. */
export function withoutSmallGroups(
	lines: readonly CampaignLine[],
	min = MIN_GROUP_FOR_LIAISON
): ShownCampaignLine[] {
	return lines.map((c) => (c.responses < min ? { ...c, mean: null } : c));
}

/** A department's result as shown, with small survey groups possibly withheld. */
export type ShownDepartment = Omit<DepartmentResult, 'inputs'> & {
	inputs: Omit<DepartmentResult['inputs'], 'appraisal' | 'convenience'> & {
		appraisal: Omit<AppraisalInputs, 'campaigns'> & { campaigns: ShownCampaignLine[] };
		convenience: Omit<ConvenienceInputs, 'survey'> & {
			survey: { indicator: number | null; campaigns: ShownCampaignLine[] };
		};
	};
};

/**
 * The department's result with the phone and ID numbers typed into its findings' descriptions
 * masked, for a reader who may not see identities (the snapshot itself keeps them as recorded).
 */
export function withFindingTextsMasked<T extends DepartmentResult>(d: T): T {
	const { work } = d.inputs;
	return {
		...d,
		inputs: {
			...d.inputs,
			work: {
				...work,
				findings: work.findings.map((f) => ({ ...f, description: maskPersonalData(f.description) }))
			}
		}
	};
}

/** The department's result with the campaign means of groups under `min` responses withheld. */
export function withSmallGroupsWithheld(
	d: DepartmentResult,
	min = MIN_GROUP_FOR_LIAISON
): ShownDepartment {
	const { appraisal, convenience } = d.inputs;
	return {
		...d,
		inputs: {
			...d.inputs,
			appraisal: { ...appraisal, campaigns: withoutSmallGroups(appraisal.campaigns, min) },
			convenience: {
				...convenience,
				survey: {
					...convenience.survey,
					campaigns: withoutSmallGroups(convenience.survey.campaigns, min)
				}
			}
		}
	};
}

/**
 * §2.4 step 3: each campaign's weight × its mean, added up, ÷ the weights added up, over the
 * campaigns with counted responses; `…` for a withheld mean.
 */
export function weightedMeanFormula(
	campaigns: readonly ShownCampaignLine[],
	mean: number | null
): Formula | null {
	const counted = campaigns.filter((c) => c.responses > 0);
	if (counted.length === 0 || mean === null) return null;
	const products = counted
		.map((c) => `${num(c.weight)} × ${c.mean === null ? '…' : num(c.mean)}`)
		.join(' + ');
	const weights = counted.map((c) => num(c.weight)).join(' + ');
	return { arithmetic: `(${products}) ÷ (${weights}) = ${num(mean)}` };
}

/** §2.2: the blend of the two indicators, or whichever exists. */
export function convenienceFormula(
	c: Pick<ConvenienceInputs, 'basis' | 'share' | 'cases'> & {
		survey: { indicator: number | null };
	},
	convenience: number | null
): Formula | null {
	const caseIndicator = c.cases.indicator;
	const survey = c.survey.indicator;
	switch (c.basis) {
		case 'both':
			if (caseIndicator === null || survey === null) return null;
			return {
				arithmetic:
					`${num(c.share)} × ${num(caseIndicator)} + ${num(1 - c.share)} × ${num(survey)}` +
					` = ${result(convenience)}`
			};
		default:
			// One indicator alone is the score itself: nothing to compute.
			return null;
	}
}

/** §2.3: 100 − the deductions added up, kept at least 0. */
export function complaintFormula(
	c: ComplaintInputs,
	s: Pick<EvaluationSettings, 'complaintDeductions'>,
	complaints: number | null
): Formula {
	const d = s.complaintDeductions;
	const terms = [
		`${num(d.substantiated)} × ${c.substantiated}`,
		`${num(d.partial)} × ${c.partial}`,
		`${num(d.unfounded)} × ${c.unfounded}`,
		`${num(d.lateResponse)} × ${c.lateResponses}`
	].join(' + ');
	return {
		arithmetic: `100 − (${terms}) = 100 − ${num(c.deductions)} = ${num(100 - c.deductions)}`,
		kept: { min: '0', result: result(complaints) }
	};
}

/** §2.4: satisfaction rate, percent of counted appraisal answers at levels 3–5. */
export function satisfactionFormula(
	a: { answers: number; satisfied: number },
	rate: number | null
): Formula | null {
	if (a.answers === 0 || rate === null) return null;
	return { arithmetic: `100 × ${a.satisfied} ÷ ${a.answers} = ${num(rate)}%` };
}

const ORDER: readonly Dimension[] = ['work', 'convenience', 'complaints', 'appraisal'];

/** §3: each dimension's weight × its score, added up, ÷ 100; null when a dimension is missing. */
export function totalFormula(
	scores: Record<Dimension, number | null> & { total: number | null },
	s: Pick<EvaluationSettings, 'weights'>
): Formula | null {
	if (scores.total === null || ORDER.some((d) => scores[d] === null)) return null;
	const terms = ORDER.map((d) => `${num(s.weights[d])} × ${num(scores[d]!)}`).join(' + ');
	return { arithmetic: `(${terms}) ÷ 100 = ${num(scores.total)}` };
}
