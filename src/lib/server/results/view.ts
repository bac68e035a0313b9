// The results of a year as one reader may see them (spec/roles.md, "rankings"): drafts only for
// the roles that see drafts, the computation's problems only with a draft, a department's
// "why this score" for staff who see every department and for a liaison its own department's,
// published only, with the survey groups under five responses withheld. Every page, download,
// the API and the CLI read through here; none decides visibility itself.
import { sql } from 'drizzle-orm';
import {
	withFindingTextsMasked,
	withSmallGroupsWithheld,
	type ShownDepartment
} from '$lib/domain/explain';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import type { EvaluationSettings } from '$lib/domain/scoring';
import type { DepartmentResult, Problem } from '$lib/domain/snapshot';
import { DomainError } from '$lib/errors';
import type { Principal } from '$lib/server/auth/guard';
import type { Executor } from '$lib/server/db';
import { evaluationSnapshot } from '$lib/server/db/schema';
import { readChecked, type Checked, type SnapshotChoice, type SnapshotSummary } from './snapshots';

/** Who reads: a signed-in user or API client, the CLI's operator, or the public (null). */
export type Reader = Pick<Principal, 'role' | 'departmentCode'> | null;

/** The command line's reader: whoever runs it holds the database, as an admin does. */
export const OPERATOR: Reader = { role: 'admin', departmentCode: null };

/** A department's line in the rankings: everything but the inputs. */
export type RankingLine = Omit<DepartmentResult, 'inputs'>;

/**
 * What the results pages show of a snapshot, whoever reads: not who computed or published it
 * (account names are staff matters, on the years pages) nor how many problems it has.
 */
export type ShownSnapshot = Omit<
	SnapshotSummary,
	'computedBy' | 'publishedBy' | 'errorCount' | 'warningCount'
>;

/** What every view of a snapshot shows about it. */
export interface Shown {
	snapshot: ShownSnapshot;
	/** A correction: the revision it replaces. */
	replacesRevision: number | null;
	/** The year's current published revision, for "a newer revision exists". */
	currentRevision: number | null;
	settings: EvaluationSettings;
	cutoff: string;
}

export interface ResultsView extends Shown {
	departments: RankingLine[];
	/** The computation's errors and warnings: with a draft only, else null. */
	problems: { errors: Problem[]; warnings: Problem[] } | null;
	/** The departments whose "why this score" this reader may open. */
	explainable: string[];
}

export interface Explanation extends Shown {
	department: ShownDepartment;
}

export function mayViewDrafts(reader: Reader): boolean {
	return reader !== null && hasRole(reader.role, ROLES.viewDraftRankings);
}

/**
 * Whether a reader may open a department's "why this score": staff who see every department, or
 * the liaison of that department. It lists findings, which roles.md shows to no enterprise and
 * no member of the public.
 */
export function mayExplain(reader: Reader, code: string): boolean {
	if (reader === null || !hasRole(reader.role, ROLES.staff)) return false;
	return seesAllDepartments(reader.role) || reader.departmentCode === code;
}

function allowed(reader: Reader, choice: SnapshotChoice): void {
	if (choice.kind === 'draft' && !mayViewDrafts(reader)) throw new DomainError('results_forbidden');
}

/**
 * The view parameters of a results address: `?draft` (where the page offers drafts) or
 * `?revision=N`; a revision that is no number is no snapshot.
 */
export function choiceOf(params: URLSearchParams, drafts = true): SnapshotChoice {
	if (drafts && params.has('draft')) return { kind: 'draft' };
	const text = params.get('revision');
	if (text === null) return { kind: 'published' };
	if (!/^\d{1,4}$/.test(text) || Number(text) < 1) throw new DomainError('snapshot_not_found');
	return { kind: 'published', revision: Number(text) };
}

const settings = sql<EvaluationSettings>`${evaluationSnapshot.content} -> 'settings'`;
const cutoff = sql<string>`${evaluationSnapshot.content} -> 'cutoff'`;

function shown(c: Checked<{ settings: EvaluationSettings; cutoff: string }>): Shown {
	const {
		computedBy: _computedBy,
		publishedBy: _publishedBy,
		errorCount: _errorCount,
		warningCount: _warningCount,
		...snapshot
	} = c.summary;
	return {
		snapshot,
		replacesRevision: c.replacesRevision,
		currentRevision: c.currentRevision,
		settings: c.fields.settings,
		cutoff: c.fields.cutoff
	};
}

/**
 * The rankings of a year from the chosen snapshot for this reader: null when there is no such
 * snapshot (nothing published yet, no draft); refused for a draft the reader may not see, a
 * revision that does not exist, and content that fails its integrity check.
 */
export async function view(
	db: Executor,
	reader: Reader,
	year: number,
	choice: SnapshotChoice
): Promise<ResultsView | null> {
	allowed(reader, choice);
	const read = await readChecked(db, year, choice, {
		settings,
		cutoff,
		departments: sql<RankingLine[]>`(select coalesce(jsonb_agg(d.value - 'inputs'
			order by d.ordinality), '[]'::jsonb)
			from jsonb_array_elements(evaluation_snapshot.content -> 'departments') with ordinality d)`,
		// Left in the database unless the view is of a draft.
		problems: sql<{ errors: Problem[] | null; warnings: Problem[] | null } | null>`case
			when ${evaluationSnapshot.kind} = 'draft' then jsonb_build_object(
				'errors', ${evaluationSnapshot.content} -> 'errors',
				'warnings', ${evaluationSnapshot.content} -> 'warnings') end`
	});
	if (!read) {
		if (choice.kind === 'published' && choice.revision != null)
			throw new DomainError('snapshot_not_found');
		return null;
	}
	const { departments, problems } = read.fields;
	return {
		...shown(read),
		departments,
		problems: problems && { errors: problems.errors ?? [], warnings: problems.warnings ?? [] },
		// A liaison explains its own department from published results only.
		explainable: departments.map((d) => d.code).filter((code) => mayExplain(reader, code))
	};
}

/**
 * One department's result with every input behind it, from the chosen snapshot, as the reader
 * may see it (survey groups under five responses withheld from a liaison). Null when there is no
 * such snapshot or the department is not in it; refused as `view` is, and for a department the
 * reader may not explain — before anything is read, so that a liaison learns nothing of another
 * department, not even whether it took part.
 */
export async function explain(
	db: Executor,
	reader: Reader,
	year: number,
	code: string,
	choice: SnapshotChoice
): Promise<Explanation | null> {
	if (!mayExplain(reader, code)) throw new DomainError('results_forbidden');
	allowed(reader, choice);
	const read = await readChecked(db, year, choice, {
		settings,
		cutoff,
		// The snapshot's row named in full inside the subqueries (see snapshots.ts).
		department: sql<DepartmentResult | null>`(select d
			from jsonb_array_elements(evaluation_snapshot.content -> 'departments') d
			where d ->> 'code' = ${code} limit 1)`
	});
	if (!read) {
		if (choice.kind === 'published' && choice.revision != null)
			throw new DomainError('snapshot_not_found');
		return null;
	}
	const { department: whole } = read.fields;
	if (!whole) return null;
	// Numbers typed into findings: whole only for those who may see identities (roles.md).
	const department =
		reader && hasRole(reader.role, ROLES.seeRespondents) ? whole : withFindingTextsMasked(whole);
	return {
		...shown(read),
		// roles.md: a liaison sees survey aggregates of groups of at least five responses only.
		department: reader?.role === 'liaison' ? withSmallGroupsWithheld(department) : department
	};
}
