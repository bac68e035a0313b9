// The content of a year's snapshot from the aggregated inputs (spec/scoring.md §§2–3): per
// department the arithmetic of ./scoring, then ranks and outcomes per category, the errors that
// block publication and the warnings shown with it. Pure: the server reads the inputs by SQL
// aggregation ($lib/server/evaluation/compute), and the same inputs give the same content.
import {
	DIMENSIONS,
	caseIndicator,
	complaintDeductions,
	complaintScore,
	convenienceScore,
	insufficientSample,
	outcomes,
	rankCategory,
	satisfactionRate,
	totalScore,
	weightedCampaignMean,
	workScore,
	type Category,
	type ComplaintCounts,
	type Dimension,
	type EvaluationSettings
} from './scoring';
import {
	SNAPSHOT_FORMAT,
	type CampaignLine,
	type ConvenienceInputs,
	type DepartmentResult,
	type FindingLine,
	type Problem,
	type SnapshotContent
} from './snapshot';
import type { CaseStatus } from './working-days';

/** A department taking part in the year, with its category of the year. */
export interface Participant {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	superiorAuthority: string | null;
	category: Category;
}

/** §2.1: a department's findings of the year. */
export interface FindingTotals {
	departmentId: number;
	/** D and B over the confirmed findings. */
	deductions: number;
	bonus: number;
	/** Findings not counted yet: warned about. */
	disputed: number;
	recorded: number;
	/** Every finding of the year, counted or not. */
	lines: FindingLine[];
}

/** §2.2: a department's cases accepted in the year, by status at the cut-off. */
export type CaseCounts = { departmentId: number } & Record<CaseStatus, number>;

/** §2.3: a department's complaints received in the year; `open` ones have no verdict yet. */
export interface ComplaintTotals extends ComplaintCounts {
	departmentId: number;
	open: number;
}

/** One campaign's mean of a dimension for a department, over its counted responses. */
export interface CampaignMean {
	responses: number;
	/** m(c, d); null without a counted response. */
	mean: number | null;
}

/** §2.4: a department's survey answers of the year. */
export interface SurveyTotals {
	departmentId: number;
	/** Responses with a counted appraisal answer. */
	responses: number;
	/** Counted appraisal answers, and those at levels 3–5. */
	answers: number;
	satisfied: number;
	campaigns: {
		code: string;
		kind: CampaignLine['kind'];
		weight: number;
		appraisal: CampaignMean;
		convenience: CampaignMean;
	}[];
}

export interface EvaluationInputs {
	participants: Participant[];
	findings: FindingTotals[];
	cases: CaseCounts[];
	complaints: ComplaintTotals[];
	surveys: SurveyTotals[];
	/** Codes of departments criticised in the latest published revision of the year before. */
	criticisedLastYear: string[];
	/** The year before exists but has no published revision (the two-years rule cannot apply). */
	previousUnpublished: boolean;
}

/** Municipal departments first, as the rankings are read. */
export const CATEGORY_ORDER: Record<Category, number> = { municipal: 0, vertical: 1 };

/** The order problems are listed in: what blocks publication first, then per department. */
export const PROBLEM_ORDER: Record<Problem['code'], number> = {
	category_too_small: 0,
	missing_dimension: 1,
	no_previous_publication: 2,
	open_complaints: 3,
	disputed_findings: 4,
	recorded_findings: 5,
	insufficient_sample: 6
};

/** The campaign lines of one dimension: the campaigns with a counted response in it. */
export function campaignLines(
	campaigns: SurveyTotals['campaigns'],
	dimension: 'appraisal' | 'convenience'
): CampaignLine[] {
	return campaigns
		.filter((c) => c[dimension].responses > 0)
		.map((c) => ({
			code: c.code,
			kind: c.kind,
			weight: c.weight,
			responses: c[dimension].responses,
			mean: c[dimension].mean ?? 0
		}));
}

/** Which combination of §2.2 gives the convenience score. */
export function convenienceBasis(
	caseValue: number | null,
	surveyValue: number | null
): ConvenienceInputs['basis'] {
	if (caseValue !== null) return surveyValue !== null ? 'both' : 'case';
	return surveyValue !== null ? 'survey' : 'missing';
}

/** Problems in PROBLEM_ORDER, then by category, department and dimension. */
export function sortProblems(list: Problem[]): Problem[] {
	const dims = (d?: Dimension) => (d ? DIMENSIONS.indexOf(d) : -1);
	return list.sort(
		(a, b) =>
			PROBLEM_ORDER[a.code] - PROBLEM_ORDER[b.code] ||
			(a.category ?? '').localeCompare(b.category ?? '') ||
			(a.departmentCode ?? '').localeCompare(b.departmentCode ?? '') ||
			dims(a.dimension) - dims(b.dimension)
	);
}

const byDepartment = <T extends { departmentId: number }>(list: T[]) =>
	new Map(list.map((r) => [r.departmentId, r]));

/** One department's scores and inputs, and its problems; ranked later with its category. */
function departmentResult(
	p: Participant,
	inputs: {
		f?: FindingTotals;
		c?: CaseCounts;
		k?: ComplaintTotals;
		s?: SurveyTotals;
		criticised: boolean;
	},
	settings: EvaluationSettings,
	problems: { errors: Problem[]; warnings: Problem[] }
): DepartmentResult {
	const { f, c, k, s } = inputs;
	const deductions = f?.deductions ?? 0;
	const bonus = f?.bonus ?? 0;
	const work = workScore({ deductions, bonus }, settings);

	const onTime = c?.on_time ?? 0;
	const late = c?.late ?? 0;
	const openOverdue = c?.open_overdue ?? 0;
	const openNotDue = c?.open_not_due ?? 0;
	const caseValue = caseIndicator({ onTime, completed: onTime + late, openOverdue });

	const appraisalLines = campaignLines(s?.campaigns ?? [], 'appraisal');
	const convenienceLines = campaignLines(s?.campaigns ?? [], 'convenience');
	const surveyValue = weightedCampaignMean(convenienceLines);
	const appraisal = weightedCampaignMean(appraisalLines);
	const convenience = convenienceScore(
		{ caseIndicator: caseValue, surveyIndicator: surveyValue },
		settings
	);

	const counts: ComplaintCounts = {
		substantiated: k?.substantiated ?? 0,
		partial: k?.partial ?? 0,
		unfounded: k?.unfounded ?? 0,
		lateResponses: k?.lateResponses ?? 0
	};
	const open = k?.open ?? 0;
	const complaints = complaintScore(counts, settings);

	const scores = { work, convenience, complaints, appraisal };
	const responses = s?.responses ?? 0;
	const answers = s?.answers ?? 0;
	const satisfied = s?.satisfied ?? 0;
	const flagged = insufficientSample(responses, settings);

	const departmentCode = p.code;
	for (const dimension of DIMENSIONS) {
		if (scores[dimension] === null)
			problems.errors.push({
				code: 'missing_dimension',
				departmentCode,
				category: p.category,
				dimension
			});
	}
	const warn = (code: Problem['code'], count: number) =>
		problems.warnings.push({ code, departmentCode, count });
	if (open > 0) warn('open_complaints', open);
	if (flagged && appraisal !== null) warn('insufficient_sample', responses);
	if ((f?.disputed ?? 0) > 0) warn('disputed_findings', f!.disputed);
	if ((f?.recorded ?? 0) > 0) warn('recorded_findings', f!.recorded);

	return {
		code: p.code,
		nameZh: p.nameZh,
		nameEn: p.nameEn,
		category: p.category,
		superiorAuthority: p.superiorAuthority,
		scores: { ...scores, total: totalScore(scores, settings) },
		rank: null,
		rankFromBottom: null,
		outcomes: [],
		responses,
		insufficientSample: flagged,
		satisfactionRate: satisfactionRate(satisfied, answers),
		criticisedLastYear: inputs.criticised,
		inputs: {
			work: {
				deductions,
				bonus,
				bonusCounted: Math.min(bonus, settings.workBonusCap),
				findings: f?.lines ?? []
			},
			convenience: {
				cases: {
					accepted: onTime + late + openOverdue + openNotDue,
					onTime,
					late,
					openOverdue,
					openNotDue,
					indicator: caseValue
				},
				survey: { indicator: surveyValue, campaigns: convenienceLines },
				share: settings.convenienceCaseShare,
				basis: convenienceBasis(caseValue, surveyValue)
			},
			complaints: { ...counts, open, deductions: complaintDeductions(counts, settings) },
			appraisal: { campaigns: appraisalLines, answers, satisfied }
		}
	};
}

/** Ranks each category's complete departments and gives them their outcomes (§3). */
function rankCategories(
	departments: DepartmentResult[],
	settings: EvaluationSettings,
	errors: Problem[]
): void {
	for (const category of ['municipal', 'vertical'] as const) {
		const members = departments.filter((d) => d.category === category);
		// An empty category has no quotas to fill; one too small for them would see its
		// commended and bottom groups overlap (README: "category too small").
		const needed = settings.commended[category] + settings.rectificationBottom;
		if (members.length > 0 && members.length < needed)
			errors.push({ code: 'category_too_small', category, count: members.length });
		const rankable = members.flatMap((d) => {
			const { work, convenience, complaints, appraisal, total } = d.scores;
			if (
				total === null ||
				work === null ||
				convenience === null ||
				complaints === null ||
				appraisal === null
			)
				return [];
			return [{ id: d.code, total, appraisal, work, complaints, convenience, d }];
		});
		for (const r of rankCategory(rankable)) {
			r.d.rank = r.rank;
			r.d.rankFromBottom = r.rankFromBottom;
			r.d.outcomes = outcomes(
				{
					category,
					rank: r.rank,
					rankFromBottom: r.rankFromBottom,
					criticisedLastYear: r.d.criticisedLastYear
				},
				settings
			);
		}
	}
}

/**
 * The snapshot content of `year` from its aggregated inputs: departments ordered by category,
 * rank, then code (unranked last), errors and warnings in PROBLEM_ORDER.
 */
export function buildContent(
	year: number,
	settings: EvaluationSettings,
	cutoff: string,
	inputs: EvaluationInputs
): SnapshotContent {
	const findings = byDepartment(inputs.findings);
	const cases = byDepartment(inputs.cases);
	const complaints = byDepartment(inputs.complaints);
	const surveys = byDepartment(inputs.surveys);
	const criticised = new Set(inputs.criticisedLastYear);
	const errors: Problem[] = [];
	const warnings: Problem[] = [];

	const departments = inputs.participants.map((p) =>
		departmentResult(
			p,
			{
				f: findings.get(p.id),
				c: cases.get(p.id),
				k: complaints.get(p.id),
				s: surveys.get(p.id),
				criticised: criticised.has(p.code)
			},
			settings,
			{ errors, warnings }
		)
	);
	rankCategories(departments, settings, errors);
	if (inputs.previousUnpublished) warnings.push({ code: 'no_previous_publication' });

	departments.sort(
		(a, b) =>
			CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] ||
			(a.rank ?? Infinity) - (b.rank ?? Infinity) ||
			(a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
	);
	return {
		format: SNAPSHOT_FORMAT,
		year,
		settings,
		cutoff,
		departments,
		errors: sortProblems(errors),
		warnings: sortProblems(warnings)
	};
}
