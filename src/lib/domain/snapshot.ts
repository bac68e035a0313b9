// The content of an evaluation snapshot (a draft or a published revision): everything the
// rankings page, the "why this score" page, the exports and the API show, so that none of them
// reads the raw records. Its canonical JSON is what the SHA-256 digest covers.
import type { Category, Dimension, EvaluationSettings, Outcome } from './scoring';

export const SNAPSHOT_FORMAT = 1;

/** A finding as the "why this score" page lists it. */
export interface FindingLine {
	findingNo: string;
	date: string;
	source: 'special_inspection' | 'undercover_visit' | 'onsite_measurement' | 'task_supervision';
	/** Signed points as a decimal string, exactly as stored (e.g. "-2.50"). */
	points: string;
	status: 'recorded' | 'confirmed' | 'disputed' | 'withdrawn';
	counted: boolean;
	description: string;
}

/** One campaign's contribution to a department's appraisal or survey indicator. */
export interface CampaignLine {
	code: string;
	kind: 'enterprise_visit' | 'public_evaluation' | 'online';
	weight: number;
	/** Counted responses of this campaign for the department (with ≥ 1 counted answer). */
	responses: number;
	/** m(c, d): mean of the response scores; full precision. */
	mean: number;
}

export interface WorkInputs {
	/** D: sum of |points| of confirmed negative findings. */
	deductions: number;
	/** B: sum of points of confirmed positive findings, before the cap. */
	bonus: number;
	/** min(B, cap). */
	bonusCounted: number;
	/** Every finding of the year against the department, counted or not. */
	findings: FindingLine[];
}

export interface CaseInputs {
	/** Cases accepted in the year. */
	accepted: number;
	onTime: number;
	late: number;
	openOverdue: number;
	/** Open and not yet due at the cut-off: left out. */
	openNotDue: number;
	/** 100 × on_time / (completed + open_overdue); null without a counted case. */
	indicator: number | null;
}

export interface ConvenienceInputs {
	cases: CaseInputs;
	/** The survey indicator from `convenience` answers; null without any. */
	survey: { indicator: number | null; campaigns: CampaignLine[] };
	share: number;
	/** Which combination of scoring.md §2.2 applied. */
	basis: 'both' | 'case' | 'survey' | 'missing';
}

export interface ComplaintInputs {
	substantiated: number;
	partial: number;
	unfounded: number;
	lateResponses: number;
	/** Received in the year, still without a verdict: not counted, listed as a warning. */
	open: number;
	deductions: number;
}

export interface AppraisalInputs {
	campaigns: CampaignLine[];
	/** Counted appraisal answers of the year, all campaigns pooled, and those at levels 3–5. */
	answers: number;
	satisfied: number;
}

export interface DepartmentResult {
	code: string;
	nameZh: string;
	nameEn: string;
	category: Category;
	superiorAuthority: string | null;
	/** Full-precision scores (null = missing); display rounds half away from zero to 2 places. */
	scores: Record<Dimension, number | null> & { total: number | null };
	/** null when the department cannot be ranked (a missing dimension). */
	rank: number | null;
	rankFromBottom: number | null;
	outcomes: Outcome[];
	/** Counted responses over the year (scoring.md §2.4). */
	responses: number;
	insufficientSample: boolean;
	/** Percent, full precision; null without counted appraisal answers. */
	satisfactionRate: number | null;
	/** Criticised in the published results of the previous year (for the two-years rule). */
	criticisedLastYear: boolean;
	inputs: {
		work: WorkInputs;
		convenience: ConvenienceInputs;
		complaints: ComplaintInputs;
		appraisal: AppraisalInputs;
	};
}

export type ProblemCode =
	| 'missing_dimension'
	| 'category_too_small'
	| 'open_complaints'
	| 'insufficient_sample'
	| 'disputed_findings'
	| 'recorded_findings'
	| 'no_previous_publication';

export interface Problem {
	code: ProblemCode;
	departmentCode?: string;
	category?: Category;
	dimension?: Dimension;
	count?: number;
}

export interface SnapshotContent {
	format: typeof SNAPSHOT_FORMAT;
	year: number;
	settings: EvaluationSettings;
	/** The case cut-off: 31 December of the year, or the day of computation if earlier. */
	cutoff: string;
	/** Departments taking part, ordered by category (municipal first), rank, then code. */
	departments: DepartmentResult[];
	/** Block publication. */
	errors: Problem[];
	/** Shown, do not block. */
	warnings: Problem[];
}
