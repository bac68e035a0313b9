// The arithmetic of spec/scoring.md: dimension scores, total, ranking and outcomes, as small
// functions of plain numbers. The year computation aggregates the records in SQL and calls these
// for the per-department arithmetic; the tests use them as the oracle.
import { addDays } from './working-days';

export type Category = 'municipal' | 'vertical';
export type Dimension = 'work' | 'convenience' | 'complaints' | 'appraisal';
export type Outcome =
	'commended' | 'rectification' | 'criticism' | 'reassignment' | 'superior_report';

export const DIMENSIONS: readonly Dimension[] = ['work', 'convenience', 'complaints', 'appraisal'];

/** The settings of an evaluation year (spec/scoring.md §1), stored with the year. */
export interface EvaluationSettings {
	/** Percent weight of each dimension in the total; they sum to 100. */
	weights: Record<Dimension, number>;
	/** Departments commended per category: those ranked at or above this number. */
	commended: Record<Category, number>;
	/** Rectification applies to the bottom N of each category (by rank from the bottom). */
	rectificationBottom: number;
	workBonusCap: number;
	complaintDeductions: {
		substantiated: number;
		partial: number;
		unfounded: number;
		lateResponse: number;
	};
	complaintResponseWorkingDays: number;
	/** Share of the case indicator in convenience when a department has both indicators. */
	convenienceCaseShare: number;
	/** Counted responses below which an appraisal score is flagged "insufficient sample". */
	minimumResponses: number;
	/** Calendar days from publication to a rectification's deadline. */
	rectificationDays: number;
}

export const DEFAULT_SETTINGS: EvaluationSettings = {
	weights: { work: 30, convenience: 20, complaints: 20, appraisal: 30 },
	commended: { municipal: 6, vertical: 4 },
	rectificationBottom: 3,
	workBonusCap: 10,
	complaintDeductions: { substantiated: 5, partial: 2, unfounded: 0, lateResponse: 1 },
	complaintResponseWorkingDays: 5,
	convenienceCaseShare: 0.5,
	minimumResponses: 30,
	rectificationDays: 90
};

export interface SettingsProblem {
	/** Dotted path of the offending setting, e.g. `weights` or `commended.vertical`. */
	field: string;
	problem: 'weights_sum' | 'negative' | 'not_integer' | 'not_share';
}

/** What is wrong with a set of settings; empty when they are usable. */
export function settingsProblems(s: EvaluationSettings): SettingsProblem[] {
	const problems: SettingsProblem[] = [];
	const nonNegative = (field: string, x: number, integer = false) => {
		if (!Number.isFinite(x) || x < 0) problems.push({ field, problem: 'negative' });
		else if (integer && !Number.isInteger(x)) problems.push({ field, problem: 'not_integer' });
	};
	for (const d of DIMENSIONS) nonNegative(`weights.${d}`, s.weights[d]);
	const sum = DIMENSIONS.reduce((acc, d) => acc + s.weights[d], 0);
	// A tolerance, not equality: 33.3 + 33.3 + 33.4 is 100 to a person but not to a float.
	if (!(Math.abs(sum - 100) < 1e-9)) problems.push({ field: 'weights', problem: 'weights_sum' });
	nonNegative('commended.municipal', s.commended.municipal, true);
	nonNegative('commended.vertical', s.commended.vertical, true);
	nonNegative('rectificationBottom', s.rectificationBottom, true);
	nonNegative('workBonusCap', s.workBonusCap);
	for (const [k, v] of Object.entries(s.complaintDeductions)) {
		nonNegative(`complaintDeductions.${k}`, v);
	}
	nonNegative('complaintResponseWorkingDays', s.complaintResponseWorkingDays, true);
	if (!(s.convenienceCaseShare >= 0 && s.convenienceCaseShare <= 1)) {
		problems.push({ field: 'convenienceCaseShare', problem: 'not_share' });
	}
	nonNegative('minimumResponses', s.minimumResponses, true);
	nonNegative('rectificationDays', s.rectificationDays, true);
	return problems;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** §2.1: `deductions` = Σ |negative points|, `bonus` = Σ positive points of confirmed findings. */
export function workScore(
	f: { deductions: number; bonus: number },
	s: Pick<EvaluationSettings, 'workBonusCap'>
): number {
	return clamp(100 - f.deductions + Math.min(f.bonus, s.workBonusCap), 0, 100);
}

export interface ComplaintCounts {
	substantiated: number;
	partial: number;
	unfounded: number;
	lateResponses: number;
}

/** §2.3: the points deducted for the year's concluded complaints and late responses. */
export function complaintDeductions(
	c: ComplaintCounts,
	s: Pick<EvaluationSettings, 'complaintDeductions'>
): number {
	const d = s.complaintDeductions;
	return (
		d.substantiated * c.substantiated +
		d.partial * c.partial +
		d.unfounded * c.unfounded +
		d.lateResponse * c.lateResponses
	);
}

/** §2.3, over the complaints of the year concluded with a verdict. */
export function complaintScore(
	c: ComplaintCounts,
	s: Pick<EvaluationSettings, 'complaintDeductions'>
): number {
	return Math.max(0, 100 - complaintDeductions(c, s));
}

/** §2.4: points of a rating level; null for 0 (don't know), which is not counted. */
export function ratingPoints(level: number): number | null {
	if (!Number.isInteger(level) || level < 0 || level > 5) {
		throw new RangeError(`not a rating level: ${level}`);
	}
	return level === 0 ? null : (level - 1) * 25;
}

export function mean(values: readonly number[]): number | null {
	return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** §2.4 step 1: a response's score for a department; null when it gave no counted answer. */
export function responseScore(levels: readonly number[]): number | null {
	return mean(levels.map(ratingPoints).filter((p): p is number => p !== null));
}

/**
 * §2.4 step 3: Σ w·m / Σ w over the campaigns that have a mean for the department. A campaign
 * without counted responses is left out, not counted as 0.
 */
export function weightedCampaignMean(
	campaigns: readonly { weight: number; mean: number | null }[]
): number | null {
	let weighted = 0;
	let weights = 0;
	for (const c of campaigns) {
		if (!(c.weight >= 0)) throw new RangeError(`campaign weight must be ≥ 0: ${c.weight}`);
		if (c.mean === null) continue;
		weighted += c.weight * c.mean;
		weights += c.weight;
	}
	// Only zero-weight campaigns: nothing carries weight, so there is no score to report.
	return weights === 0 ? null : weighted / weights;
}

/** §2.2: share of counted cases done on time; null when the department has no counted case. */
export function caseIndicator(c: {
	onTime: number;
	completed: number;
	openOverdue: number;
}): number | null {
	if (c.onTime > c.completed) throw new RangeError('more cases on time than completed');
	const counted = c.completed + c.openOverdue;
	return counted === 0 ? null : (100 * c.onTime) / counted;
}

/** §2.2: blend of the two indicators, or whichever exists; null when neither does. */
export function convenienceScore(
	i: { caseIndicator: number | null; surveyIndicator: number | null },
	s: Pick<EvaluationSettings, 'convenienceCaseShare'>
): number | null {
	if (i.caseIndicator === null) return i.surveyIndicator;
	if (i.surveyIndicator === null) return i.caseIndicator;
	const share = s.convenienceCaseShare;
	return share * i.caseIndicator + (1 - share) * i.surveyIndicator;
}

/** §3: weighted total; null when a dimension is missing (the department cannot be ranked). */
export function totalScore(
	dims: Record<Dimension, number | null>,
	s: Pick<EvaluationSettings, 'weights'>
): number | null {
	let sum = 0;
	for (const d of DIMENSIONS) {
		const score = dims[d];
		if (score === null) return null;
		sum += s.weights[d] * score;
	}
	return sum / 100;
}

/**
 * §3: what each dimension adds to the total (its weight × its score / 100), the stacked bars of
 * the dashboard; they sum to `totalScore`. Null for a missing dimension.
 */
export function contributions(
	dims: Record<Dimension, number | null>,
	s: Pick<EvaluationSettings, 'weights'>
): Record<Dimension, number | null> {
	const out = {} as Record<Dimension, number | null>;
	for (const d of DIMENSIONS) {
		const score = dims[d];
		out[d] = score === null ? null : (s.weights[d] * score) / 100;
	}
	return out;
}

/** §2.4: percent of counted appraisal answers at levels 3–5; null when none was counted. */
export function satisfactionRate(atLevels3to5: number, counted: number): number | null {
	if (atLevels3to5 > counted) throw new RangeError('more satisfied answers than answers');
	return counted === 0 ? null : (100 * atLevels3to5) / counted;
}

export function insufficientSample(
	countedResponses: number,
	s: Pick<EvaluationSettings, 'minimumResponses'>
): boolean {
	return countedResponses < s.minimumResponses;
}

/**
 * Rounds half away from zero on the decimal digits, not on the binary value: 2.675 is stored as
 * 2.67499999…, so Math.round(x * 100) / 100 gives 2.67. A number is first read at 15 significant
 * digits, as a spreadsheet does, which also absorbs the float noise of earlier arithmetic
 * (0.1 + 0.2). A string (a PostgreSQL numeric) is rounded exactly as written.
 */
export function roundHalfAwayFromZero(x: number | string, decimals: number): number {
	if (!Number.isInteger(decimals) || decimals < 0) {
		throw new RangeError(`decimals must be a non-negative integer: ${decimals}`);
	}
	const text = typeof x === 'number' ? x.toPrecision(15) : x.trim();
	const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
	if (!m || (m[2] === '' && !m[3])) throw new RangeError(`not a decimal number: ${x}`);
	const [, sign, int = '', frac = '', exp = '0'] = m;
	// Digits to keep: those before the decimal point plus `decimals` after it.
	const keep = int.length + Number(exp) + decimals;
	if (keep < 0) return 0;
	const digits = (int + frac).padEnd(keep, '0');
	let kept = BigInt(digits.slice(0, keep) || '0');
	if ((digits[keep] ?? '0') >= '5') kept += BigInt(1);
	const result = Number(`${sign}${kept}e-${decimals}`);
	return result === 0 ? 0 : result; // never -0
}

export interface RankingInput {
	id: string | number;
	total: number;
	appraisal: number;
	work: number;
	complaints: number;
	convenience: number;
}

export interface RankPosition {
	rank: number;
	rankFromBottom: number;
}

const KEY_ORDER = ['total', 'appraisal', 'work', 'complaints', 'convenience'] as const;

/** §3: the ranking key, each component rounded to 4 decimals. */
export function rankingKey(d: Omit<RankingInput, 'id'>): number[] {
	return KEY_ORDER.map((k) => roundHalfAwayFromZero(d[k], 4));
}

/** Negative when key `a` ranks above `b`, 0 when they are equal. */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
	for (let i = 0; i < a.length; i++) {
		const diff = (b[i] ?? 0) - (a[i] ?? 0);
		if (diff !== 0) return diff;
	}
	return 0;
}

/**
 * §3: ranks within one category. rank = 1 + departments with a strictly higher key (so ties
 * share a rank and the next one skips: 1, 2, 2, 4); rank_from_bottom = 1 + departments with a
 * strictly lower key. Returned best first; ties keep their input order.
 */
export function rankCategory<T extends RankingInput>(
	departments: readonly T[]
): (T & RankPosition)[] {
	const keys = departments.map(rankingKey);
	const ranked = departments.map((d, i) => {
		let higher = 0;
		let lower = 0;
		for (const other of keys) {
			const c = compareKeys(other, keys[i]!);
			if (c < 0) higher++;
			else if (c > 0) lower++;
		}
		return { ...d, rank: 1 + higher, rankFromBottom: 1 + lower };
	});
	return ranked.sort((a, b) => a.rank - b.rank);
}

/**
 * §3: the consequences of a ranked department. A commended department gets nothing else, even
 * at the bottom of a category smaller than its quotas. "Two years running" reads the category
 * the department has in this year.
 */
export function outcomes(
	d: { category: Category; rank: number; rankFromBottom: number; criticisedLastYear: boolean },
	s: Pick<EvaluationSettings, 'commended' | 'rectificationBottom'>
): Outcome[] {
	if (d.rank <= s.commended[d.category]) return ['commended'];
	const result: Outcome[] = [];
	if (d.rankFromBottom <= s.rectificationBottom) result.push('rectification');
	if (d.rankFromBottom === 1) {
		result.push('criticism');
		if (d.criticisedLastYear) {
			result.push(d.category === 'municipal' ? 'reassignment' : 'superior_report');
		}
	}
	return result;
}

/** §3: a rectification is due this many calendar days after publication. */
export function rectificationDeadline(publicationDate: string, days: number): string {
	return addDays(publicationDate, days);
}
