// The announcement (通报) of a published revision as structured sections: the commended units,
// the units in rectification under an assigned city leader (the leader's name and the deadline,
// nothing else), the criticised units and the "two years running" consequences. It reads the
// outcomes the published snapshot carries and never recomputes them (spec/scoring.md §3); the
// screen, the print view and the PDF render this one structure.
import {
	rectificationDeadline,
	type Category,
	type EvaluationSettings,
	type Outcome
} from './scoring';
import type { DepartmentResult } from './snapshot';

export const ANNOUNCEMENT_CATEGORIES: readonly Category[] = ['municipal', 'vertical'];

/** What the announcement reads of a department's published result. */
export type AnnouncedDepartment = Pick<
	DepartmentResult,
	| 'code'
	| 'nameZh'
	| 'nameEn'
	| 'category'
	| 'superiorAuthority'
	| 'rank'
	| 'rankFromBottom'
	| 'outcomes'
	| 'criticisedLastYear'
>;

/** A rectification of the year as the announcement may name it: who leads it, by when. */
export interface RectificationAssignment {
	departmentCode: string;
	/** The assigned city leader's name; null while none is assigned. */
	leaderName: string | null;
	/** `YYYY-MM-DD`. */
	deadline: string;
}

/** Which published revision is announced. */
export interface AnnouncedRevision {
	year: number;
	revision: number;
	/** The publication's local date, `YYYY-MM-DD`. */
	publishedOn: string;
	digest: string;
	/** A correction: the revision it replaces, and why. */
	replacesRevision: number | null;
	note: string | null;
}

export interface AnnouncementInput extends AnnouncedRevision {
	settings: Pick<EvaluationSettings, 'commended' | 'rectificationBottom' | 'rectificationDays'>;
	departments: readonly AnnouncedDepartment[];
	/** The year's rectifications; those of departments this revision puts in none are ignored. */
	assignments: readonly RectificationAssignment[];
}

export interface NamedUnit {
	code: string;
	nameZh: string;
	nameEn: string;
	rank: number;
}

export interface RectificationUnit extends NamedUnit {
	leaderName: string | null;
	deadline: string;
}

export type Consequence = Extract<Outcome, 'reassignment' | 'superior_report'>;

export interface CriticisedUnit extends NamedUnit {
	/** Criticised in the published results of the year before too. */
	criticisedLastYear: boolean;
	/** What "two years running" brings, as the snapshot's outcomes say; null when nothing. */
	consequence: Consequence | null;
	/** A vertically-managed department's superior authority (named by the report). */
	superiorAuthority: string | null;
}

/** One section's units of one category, in rank order. */
export interface CategoryUnits<T> {
	category: Category;
	units: T[];
}

export interface Announcement extends AnnouncedRevision {
	/** Ranked departments taking part, per category. */
	participants: Record<Category, number>;
	/** The settings' quotas, for the wording ("the top 6"); the lists may be longer (ties). */
	commendedQuota: Record<Category, number>;
	rectificationBottom: number;
	commended: CategoryUnits<NamedUnit>[];
	rectification: CategoryUnits<RectificationUnit>[];
	criticised: CategoryUnits<CriticisedUnit>[];
}

const byRank = (a: NamedUnit, b: NamedUnit) =>
	a.rank - b.rank || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function named(d: AnnouncedDepartment & { rank: number }): NamedUnit {
	return { code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, rank: d.rank };
}

/**
 * The announcement of a published revision. Departments without a rank (which publication does
 * not allow) have no outcome and are left out. A rectification's deadline is the one its
 * record holds (a correction keeps the deadline of a rectification under way); without a
 * record yet, the rule's: the publication date + the year's rectification days.
 */
export function buildAnnouncement(input: AnnouncementInput): Announcement {
	const ranked = input.departments.filter(
		(d): d is AnnouncedDepartment & { rank: number } => d.rank !== null
	);
	const assignments = new Map(input.assignments.map((a) => [a.departmentCode, a]));
	const with_ = (outcome: Outcome, category: Category) =>
		ranked.filter((d) => d.category === category && d.outcomes.includes(outcome));
	const section = <T extends NamedUnit>(outcome: Outcome, unit: (d: (typeof ranked)[0]) => T) =>
		ANNOUNCEMENT_CATEGORIES.map((category) => ({
			category,
			units: with_(outcome, category).map(unit).sort(byRank)
		}));

	const participants = { municipal: 0, vertical: 0 };
	for (const d of ranked) participants[d.category] += 1;

	const { year, revision, publishedOn, digest, replacesRevision, note } = input;
	return {
		year,
		revision,
		publishedOn,
		digest,
		replacesRevision,
		note,
		participants,
		commendedQuota: { ...input.settings.commended },
		rectificationBottom: input.settings.rectificationBottom,
		commended: section('commended', named),
		rectification: section('rectification', (d) => {
			const a = assignments.get(d.code);
			return {
				...named(d),
				leaderName: a?.leaderName ?? null,
				deadline:
					a?.deadline ?? rectificationDeadline(input.publishedOn, input.settings.rectificationDays)
			};
		}),
		criticised: section('criticism', (d) => ({
			...named(d),
			criticisedLastYear: d.criticisedLastYear,
			consequence: d.outcomes.includes('reassignment')
				? 'reassignment'
				: d.outcomes.includes('superior_report')
					? 'superior_report'
					: null,
			superiorAuthority: d.superiorAuthority
		}))
	};
}

/** Whether a section has no unit in any category. */
export const isEmpty = (sections: readonly CategoryUnits<unknown>[]) =>
	sections.every((s) => s.units.length === 0);
