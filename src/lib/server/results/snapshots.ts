// Stored snapshots (drafts and published revisions) read back: summaries without content for
// lists, whole snapshots, and the pages' reads of a few fields. Every read that returns content
// checks it against the digest (integrity.ts).
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SnapshotContent } from '$lib/domain/snapshot';
import type { Executor } from '$lib/server/db';
import { evaluationSnapshot } from '$lib/server/db/schema';
import { contentDigest } from '$lib/server/evaluation/digest';
import {
	checkedContent,
	refuseTampered,
	rememberFields,
	rememberVersion,
	servedFields,
	verifiedVersion
} from './integrity';

/** Which snapshot of a year to read: the current published revision, a given one, or a draft. */
export type SnapshotChoice = { kind: 'published'; revision?: number | null } | { kind: 'draft' };

/** A snapshot without its content: lists, banners, the CLI's reports. */
export interface SnapshotSummary {
	id: number;
	year: number;
	kind: 'draft' | 'published';
	/** Published: 1, 2, … per year. Drafts: null. */
	revision: number | null;
	/** Published: the draft it froze. */
	draftId: number | null;
	/** A correction: the published revision it replaces. */
	replacesId: number | null;
	note: string | null;
	digest: string;
	errorCount: number;
	warningCount: number;
	computedAt: Date;
	computedBy: string;
	publishedAt: Date | null;
	publishedBy: string | null;
}

/**
 * A snapshot with its content. A published one is only ever returned intact (a failed check is
 * refused); a draft carries `digestOk`, which its pages flag and publication refuses.
 */
export interface Snapshot extends SnapshotSummary {
	content: SnapshotContent;
	digestOk: boolean;
}

/** A draft as the year and publish pages review it: who computed it, its problems, who is in it. */
export function draftReview(draft: Snapshot) {
	return {
		id: draft.id,
		computedAt: draft.computedAt,
		computedBy: draft.computedBy,
		digest: draft.digest,
		digestOk: draft.digestOk,
		errors: draft.content.errors,
		warnings: draft.content.warnings,
		departments: draft.content.departments.map((d) => ({
			code: d.code,
			nameZh: d.nameZh,
			nameEn: d.nameEn
		}))
	};
}

export const summaryColumns = {
	id: evaluationSnapshot.id,
	year: evaluationSnapshot.year,
	kind: evaluationSnapshot.kind,
	revision: evaluationSnapshot.revision,
	draftId: evaluationSnapshot.draftId,
	replacesId: evaluationSnapshot.replacesId,
	note: evaluationSnapshot.note,
	digest: evaluationSnapshot.digest,
	errorCount: evaluationSnapshot.errorCount,
	warningCount: evaluationSnapshot.warningCount,
	computedAt: evaluationSnapshot.computedAt,
	computedBy: evaluationSnapshot.computedBy,
	publishedAt: evaluationSnapshot.publishedAt,
	publishedBy: evaluationSnapshot.publishedBy
};

/**
 * A stored row as a snapshot, its content checked against its digest: a published revision that
 * fails is refused (and logged), a draft is returned flagged.
 */
export function toSnapshot(row: typeof evaluationSnapshot.$inferSelect): Snapshot {
	const content = row.content as SnapshotContent;
	const { content: _content, createdAt: _createdAt, ...summary } = row;
	const actual = contentDigest(content);
	const digestOk = actual === row.digest;
	if (!digestOk && row.kind === 'published') refuseTampered(row, actual);
	return { ...summary, content, digestOk };
}

/** Every snapshot of a year without content, newest first (published revisions and drafts). */
export async function listSnapshots(db: Executor, year: number): Promise<SnapshotSummary[]> {
	return db
		.select(summaryColumns)
		.from(evaluationSnapshot)
		.where(eq(evaluationSnapshot.year, year))
		.orderBy(desc(evaluationSnapshot.id));
}

/** Published revisions of a year without content, oldest first (revision 1, 2, …). */
export async function listRevisions(db: Executor, year: number): Promise<SnapshotSummary[]> {
	return db
		.select(summaryColumns)
		.from(evaluationSnapshot)
		.where(and(eq(evaluationSnapshot.year, year), eq(evaluationSnapshot.kind, 'published')))
		.orderBy(asc(evaluationSnapshot.revision));
}

/** A snapshot by id, checked as `toSnapshot` says; null when there is none. */
export async function getSnapshot(db: Executor, id: number): Promise<Snapshot | null> {
	if (!Number.isSafeInteger(id) || id <= 0) return null;
	const [row] = await db.select().from(evaluationSnapshot).where(eq(evaluationSnapshot.id, id));
	return row ? toSnapshot(row) : null;
}

/** The filter and order that pick the chosen snapshot of a year (the first row wins). */
function chosen(year: number, choice: SnapshotChoice) {
	const ofYear = eq(evaluationSnapshot.year, year);
	if (choice.kind === 'draft')
		return {
			where: and(ofYear, eq(evaluationSnapshot.kind, 'draft')),
			order: desc(evaluationSnapshot.id)
		};
	const published = and(ofYear, eq(evaluationSnapshot.kind, 'published'));
	return {
		where:
			choice.revision == null
				? published
				: and(published, eq(evaluationSnapshot.revision, choice.revision)),
		order: desc(evaluationSnapshot.revision)
	};
}

/** The most recent draft of the year (flagged when its content fails the check), or null. */
export async function latestDraft(db: Executor, year: number): Promise<Snapshot | null> {
	const { where, order } = chosen(year, { kind: 'draft' });
	const [row] = await db.select().from(evaluationSnapshot).where(where).orderBy(order).limit(1);
	return row ? toSnapshot(row) : null;
}

/** The year's current published revision (the highest), checked; null before publication. */
export async function latestPublished(db: Executor, year: number): Promise<Snapshot | null> {
	return publishedRevision(db, year, null);
}

/** A published revision of the year (the current one when `revision` is null), checked; or null. */
export async function publishedRevision(
	db: Executor,
	year: number,
	revision: number | null
): Promise<Snapshot | null> {
	const { where, order } = chosen(year, { kind: 'published', revision });
	const [row] = await db.select().from(evaluationSnapshot).where(where).orderBy(order).limit(1);
	return row ? toSnapshot(row) : null;
}

/** The year's current published revision without its content (nothing to check), or null. */
export async function currentRevision(db: Executor, year: number): Promise<SnapshotSummary | null> {
	const { where, order } = chosen(year, { kind: 'published' });
	const [row] = await db
		.select(summaryColumns)
		.from(evaluationSnapshot)
		.where(where)
		.orderBy(order)
		.limit(1);
	return row ?? null;
}

/** A snapshot as a page reads it: its summary, where it stands, and fields of its content. */
export interface Checked<X> {
	summary: SnapshotSummary;
	/** A correction: the revision it replaces. */
	replacesRevision: number | null;
	/** The year's current (highest) published revision, for "a newer revision exists". */
	currentRevision: number | null;
	fields: X;
}

type Fields<E extends Record<string, SQL>> = {
	[K in keyof E]: E[K] extends SQL<infer T> ? T : never;
};

type ReadColumns = typeof summaryColumns & {
	replacesRevision: SQL<number | null>;
	currentRevision: SQL<number | null>;
	version: SQL<string>;
};

/**
 * The fields of snapshot `id` with its summary, in one statement: with the whole content,
 * verified, unless `trusted` names its version as verified before (a version changed since is
 * read again with its content). Null when the row is gone.
 */
async function freshFields(
	db: Executor,
	id: number,
	columns: ReadColumns,
	fields: SQL<string>,
	trusted: string | null
) {
	if (trusted !== null) {
		const [row] = await db
			.select({ ...columns, fields })
			.from(evaluationSnapshot)
			.where(eq(evaluationSnapshot.id, id));
		if (!row || row.version === trusted) return row ?? null;
		return freshFields(db, id, columns, fields, null);
	}
	const [row] = await db
		.select({ ...columns, fields, content: evaluationSnapshot.content })
		.from(evaluationSnapshot)
		.where(eq(evaluationSnapshot.id, id));
	if (!row) return null;
	const { content, ...rest } = row;
	checkedContent(rest, content as SnapshotContent);
	rememberVersion(rest.version);
	return rest;
}

/**
 * Which stored row version a read saw: PostgreSQL writes every change to a row as a new version
 * (another xmin and ctid), and the server's start time and the database name tell databases
 * apart (a template's copy keeps its xmins), as the size and digest do stored contents.
 */
const rowVersion = sql<string>`concat_ws(' ',
	extract(epoch from pg_postmaster_start_time()), current_database(),
	evaluation_snapshot.id, evaluation_snapshot.xmin, evaluation_snapshot.ctid,
	pg_column_size(evaluation_snapshot.content), evaluation_snapshot.digest)`;

const dialect = new PgDialect();

/**
 * The chosen snapshot's summary and the fields `extra` computes from its content in SQL (so
 * that a page does not fetch the whole content). Fields are served only as taken from content
 * verified against the digest: the first read of a row version in this process reads the whole
 * content with the fields, in one statement, and verifies it (integrity.ts); later reads of the
 * same version take the fields already read from it, without touching the content. Any change
 * to the row is a new version, verified in full before anything of it is served. Null when
 * there is no such snapshot.
 */
export async function readChecked<E extends Record<string, SQL>>(
	db: Executor,
	year: number,
	choice: SnapshotChoice,
	extra: E
): Promise<Checked<Fields<E>> | null> {
	const columns = {
		...summaryColumns,
		// The outer row named in full: Drizzle leaves a one-table select's columns unqualified,
		// which inside these subqueries would mean their own rows.
		replacesRevision: sql<number | null>`(select r.revision from evaluation_snapshot r
			where r.id = evaluation_snapshot.replaces_id)`,
		currentRevision: sql<number | null>`(select max(p.revision) from evaluation_snapshot p
			where p.year = evaluation_snapshot.year and p.kind = 'published')`,
		version: rowVersion
	};
	const fields = sql<string>`jsonb_build_object(${sql.join(
		Object.entries(extra).map(([name, value]) => sql`${name}::text, ${value}`),
		sql`, `
	)})::text`;
	const projection = JSON.stringify(Object.values(dialect.sqlToQuery(fields)));
	const { where, order } = chosen(year, choice);
	const [row] = await db
		.select(columns)
		.from(evaluationSnapshot)
		.where(where)
		.orderBy(order)
		.limit(1);
	if (!row) return null;
	const cached = servedFields(row.version, projection);
	const read =
		cached === undefined
			? await freshFields(db, row.id, columns, fields, verifiedVersion(row.version))
			: { ...row, fields: cached };
	if (!read) return null;
	if (cached === undefined) rememberFields(read.version, projection, read.fields);
	const { replacesRevision, currentRevision, version: _version, fields: text, ...summary } = read;
	return { summary, replacesRevision, currentRevision, fields: JSON.parse(text) as Fields<E> };
}
