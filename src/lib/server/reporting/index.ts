// What the rankings, "why this score" and public results pages show, read from a stored
// snapshot only (never from the raw records): one query each, which the benchmark times.
// The rankings read leaves each department's inputs in the database; the explanation reads
// one department's.
import { sql } from 'drizzle-orm';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import type { EvaluationSettings } from '$lib/domain/scoring';
import { isValidYear } from '$lib/domain/years';
import type { Principal } from '$lib/server/auth/guard';
import type { DepartmentResult, Problem } from '$lib/domain/snapshot';
import { rows, type Executor } from '$lib/server/db';

/** Which snapshot of a year to read: the current published revision, a given one, or a draft. */
export type SnapshotChoice = { kind: 'published'; revision?: number | null } | { kind: 'draft' };

export interface SnapshotMeta {
	id: number;
	year: number;
	kind: 'draft' | 'published';
	revision: number | null;
	digest: string;
	note: string | null;
	computedAt: Date;
	publishedAt: Date | null;
	/** A correction: the revision it replaces. */
	replacesRevision: number | null;
	/** The year's current (highest) published revision, for "a newer revision exists". */
	latestRevision: number | null;
}

/** A department's line in the rankings: everything but the inputs. */
export type RankingLine = Omit<DepartmentResult, 'inputs'>;

export interface Rankings {
	snapshot: SnapshotMeta;
	settings: EvaluationSettings;
	cutoff: string;
	departments: RankingLine[];
	errors: Problem[];
	warnings: Problem[];
}

export interface Explanation {
	snapshot: SnapshotMeta;
	settings: EvaluationSettings;
	cutoff: string;
	department: DepartmentResult;
}

interface MetaRow {
	id: number | string;
	year: number;
	kind: 'draft' | 'published';
	revision: number | null;
	digest: string;
	note: string | null;
	computed_at: Date | string;
	published_at: Date | string | null;
	replaces_revision: number | null;
	latest_revision: number | null;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function meta(r: MetaRow): SnapshotMeta {
	return {
		id: Number(r.id),
		year: r.year,
		kind: r.kind,
		revision: r.revision,
		digest: r.digest,
		note: r.note,
		computedAt: asDate(r.computed_at),
		publishedAt: r.published_at === null ? null : asDate(r.published_at),
		replacesRevision: r.replaces_revision,
		latestRevision: r.latest_revision
	};
}

// PGlite hands jsonb back parsed; postgres.js too, but a json text slipping through is parsed.
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The snapshot row chosen, as a subquery `s`: the newest draft, or a published revision. */
function chosen(year: number, choice: SnapshotChoice) {
	if (choice.kind === 'draft') {
		return sql`(select * from evaluation_snapshot where year = ${year} and kind = 'draft'
			order by id desc limit 1)`;
	}
	const revision = choice.revision ?? null;
	return revision === null
		? sql`(select * from evaluation_snapshot where year = ${year} and kind = 'published'
			order by revision desc limit 1)`
		: sql`(select * from evaluation_snapshot where year = ${year} and kind = 'published'
			and revision = ${revision})`;
}

const metaColumns = sql`s.id, s.year, s.kind, s.revision, s.digest, s.note,
	s.computed_at, s.published_at,
	(select r.revision from evaluation_snapshot r where r.id = s.replaces_id) as replaces_revision,
	(select max(p.revision) from evaluation_snapshot p
		where p.year = s.year and p.kind = 'published') as latest_revision,
	s.content -> 'settings' as settings, s.content ->> 'cutoff' as cutoff`;

/** The rankings of a year from the chosen snapshot, or null when there is none. */
export async function rankings(
	db: Executor,
	year: number,
	choice: SnapshotChoice
): Promise<Rankings | null> {
	const [r] = await rows<
		MetaRow & {
			settings: unknown;
			cutoff: string;
			departments: unknown;
			errors: unknown;
			warnings: unknown;
		}
	>(
		db,
		sql`select ${metaColumns},
			(select coalesce(jsonb_agg(d.value - 'inputs' order by d.ordinality), '[]'::jsonb)
				from jsonb_array_elements(s.content -> 'departments') with ordinality d) as departments,
			s.content -> 'errors' as errors, s.content -> 'warnings' as warnings
		from ${chosen(year, choice)} s`
	);
	if (!r) return null;
	return {
		snapshot: meta(r),
		settings: json<EvaluationSettings>(r.settings),
		cutoff: r.cutoff,
		departments: json<RankingLine[]>(r.departments),
		errors: json<Problem[]>(r.errors) ?? [],
		warnings: json<Problem[]>(r.warnings) ?? []
	};
}

/**
 * Rankings without the computation's errors and warnings, for a published view: the problems
 * name departments' open complaints and disputed or unconfirmed findings, which roles.md shows
 * to no public reader, enterprise or liaison of another department (the pages show them for
 * drafts only, but the page data would still carry them to the browser).
 */
export function withoutProblems(r: Rankings): Rankings {
	return { ...r, errors: [], warnings: [] };
}

/**
 * One department's result with every input behind it, from the chosen snapshot; null when
 * there is no such snapshot or the department is not in it.
 */
export async function explanation(
	db: Executor,
	year: number,
	code: string,
	choice: SnapshotChoice
): Promise<Explanation | null> {
	const [r] = await rows<MetaRow & { settings: unknown; cutoff: string; department: unknown }>(
		db,
		sql`select ${metaColumns},
			(select d from jsonb_array_elements(s.content -> 'departments') d
				where d ->> 'code' = ${code} limit 1) as department
		from ${chosen(year, choice)} s`
	);
	if (!r || r.department === null || r.department === undefined) return null;
	return {
		snapshot: meta(r),
		settings: json<EvaluationSettings>(r.settings),
		cutoff: r.cutoff,
		department: json<DepartmentResult>(r.department)
	};
}

export interface YearResults {
	year: number;
	/** The current published revision, null before publication. */
	revision: number | null;
	publishedAt: Date | null;
	/** Whether a draft newer than the current revision exists. */
	hasDraft: boolean;
}

/** Years with a snapshot, newest first; `withDrafts` false lists published years only. */
export async function years(db: Executor, withDrafts: boolean): Promise<YearResults[]> {
	const found = await rows<{
		year: number;
		revision: number | null;
		published_at: Date | string | null;
		has_draft: boolean;
	}>(
		db,
		sql`select year,
			max(revision) filter (where kind = 'published') as revision,
			max(published_at) filter (where kind = 'published') as published_at,
			coalesce(max(id) filter (where kind = 'draft') >
				coalesce(max(draft_id) filter (where kind = 'published'), 0), false) as has_draft
		from evaluation_snapshot group by year
		having ${withDrafts ? sql`true` : sql`bool_or(kind = 'published')`}
		order by year desc`
	);
	return found.map((y) => ({
		year: y.year,
		revision: y.revision,
		publishedAt: y.published_at === null ? null : asDate(y.published_at),
		hasDraft: withDrafts && y.has_draft
	}));
}

/** A year from a URL segment, or null when it is not one the programme accepts. */
export function yearParam(text: string): number | null {
	if (!/^\d{4}$/.test(text)) return null;
	const year = Number(text);
	return isValidYear(year) ? year : null;
}

/** A revision number from the query string (`?revision=2`), or null when absent or invalid. */
export function revisionParam(text: string | null): number | null {
	if (text === null || !/^\d{1,4}$/.test(text)) return null;
	const n = Number(text);
	return n >= 1 ? n : null;
}

/**
 * Whether a principal may open a department's "why this score" page: staff who see every
 * department, or the liaison of that department (published results only, checked by the page).
 * It lists findings, which roles.md shows to no enterprise and no member of the public.
 */
export function mayExplain(p: Principal, ownCode: string | null, code: string): boolean {
	if (!hasRole(p.role, ROLES.staff)) return false;
	return seesAllDepartments(p.role) || (ownCode !== null && ownCode === code);
}
