// Evaluation years and stored snapshots: reads, and the year's settings (spec/scoring.md §1, §4).
import { and, asc, desc, eq } from 'drizzle-orm';
import {
	DEFAULT_SETTINGS,
	DIMENSIONS,
	settingsProblems,
	type EvaluationSettings
} from '$lib/domain/scoring';
import type { SnapshotContent } from '$lib/domain/snapshot';
import { isValidYear } from '$lib/domain/years';
import * as audit from '$lib/server/audit';
import type { Database, Executor } from '$lib/server/db';
import { evaluationSnapshot, evaluationYear } from '$lib/server/db/schema';
import { contentDigest } from './digest';
import { DomainError } from '$lib/errors';

export interface YearView {
	year: number;
	settings: EvaluationSettings;
	/** Set by the first publication; from then on the settings are frozen. */
	firstPublishedAt: Date | null;
	createdAt: Date;
	updatedAt: Date;
}

/** A snapshot row without its content (lists). */
export interface SnapshotSummary {
	id: number;
	year: number;
	kind: 'draft' | 'published';
	revision: number | null;
	draftId: number | null;
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

/** A snapshot with its content; `digestOk` is false when the content no longer matches. */
export interface Snapshot extends SnapshotSummary {
	content: SnapshotContent;
	digestOk: boolean;
}

function yearView(row: typeof evaluationYear.$inferSelect): YearView {
	return {
		year: row.year,
		// Stored settings of an older shape get today's defaults for keys they lack.
		settings: mergeSettings(row.settings as Partial<EvaluationSettings>),
		firstPublishedAt: row.firstPublishedAt,
		createdAt: row.createdAt,
		updatedAt: row.updatedAt
	};
}

/** Defaults completed by whatever is given, nested groups merged key by key. */
export function mergeSettings(given: Partial<EvaluationSettings> = {}): EvaluationSettings {
	return {
		...DEFAULT_SETTINGS,
		...given,
		weights: { ...DEFAULT_SETTINGS.weights, ...given.weights },
		commended: { ...DEFAULT_SETTINGS.commended, ...given.commended },
		complaintDeductions: { ...DEFAULT_SETTINGS.complaintDeductions, ...given.complaintDeductions }
	};
}

/** Every evaluation year, newest first. */
export async function listYears(db: Executor): Promise<YearView[]> {
	const all = await db.select().from(evaluationYear).orderBy(desc(evaluationYear.year));
	return all.map(yearView);
}

export async function getYear(db: Executor, year: number): Promise<YearView | null> {
	if (!isValidYear(year)) return null;
	const [row] = await db.select().from(evaluationYear).where(eq(evaluationYear.year, year));
	return row ? yearView(row) : null;
}

function checkSettings(settings: EvaluationSettings) {
	const problems = settingsProblems(settings);
	if (problems.length > 0)
		throw new DomainError('settings_invalid', {
			details: problems.map((p) => ({
				field: p.field,
				code: `settings_${p.problem}` as const,
				params: { sum: DIMENSIONS.reduce((acc, d) => acc + settings.weights[d], 0) }
			}))
		});
}

/** Opens an evaluation year with its settings (the defaults of scoring.md unless given). */
export async function createYear(
	db: Database,
	input: { year: number; settings?: Partial<EvaluationSettings> },
	actor: audit.Actor
): Promise<YearView> {
	if (!isValidYear(input.year))
		throw new DomainError('year_invalid', { params: { year: input.year }, field: 'year' });
	const settings = mergeSettings(input.settings);
	checkSettings(settings);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(evaluationYear)
			.values({ year: input.year, settings })
			.onConflictDoNothing()
			.returning();
		if (!row) throw new DomainError('year_exists', { params: { year: input.year }, field: 'year' });
		await audit.record(tx, actor, {
			action: 'evaluation_year.create',
			entity: 'evaluation_year',
			entityId: input.year,
			changes: audit.diff(null, { settings })
		});
		return yearView(row);
	});
}

/** Replaces a year's settings; refused once the year has been published. */
export async function updateSettings(
	db: Database,
	year: number,
	settings: EvaluationSettings,
	actor: audit.Actor
): Promise<YearView> {
	const next = mergeSettings(settings);
	checkSettings(next);
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(evaluationYear)
			.where(eq(evaluationYear.year, year))
			.for('update');
		if (!before) throw new DomainError('year_not_found', { params: { year } });
		if (before.firstPublishedAt) throw new DomainError('settings_frozen', { params: { year } });
		const changes = audit.diff(
			{ settings: mergeSettings(before.settings as Partial<EvaluationSettings>) },
			{ settings: next }
		);
		if (Object.keys(changes).length === 0) return yearView(before);
		const [after] = await tx
			.update(evaluationYear)
			.set({ settings: next, updatedAt: new Date() })
			.where(eq(evaluationYear.year, year))
			.returning();
		await audit.record(tx, actor, {
			action: 'evaluation_year.settings',
			entity: 'evaluation_year',
			entityId: year,
			changes
		});
		return yearView(after!);
	});
}

const summaryColumns = {
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

/** A stored row as a snapshot, its digest checked against its content. */
export function toSnapshot(row: typeof evaluationSnapshot.$inferSelect): Snapshot {
	const content = row.content as SnapshotContent;
	const { content: _content, createdAt: _createdAt, ...summary } = row;
	return { ...summary, content, digestOk: contentDigest(content) === row.digest };
}

/** Every snapshot of a year without content, newest first (published revisions and drafts). */
export async function listSnapshots(db: Executor, year: number): Promise<SnapshotSummary[]> {
	return db
		.select(summaryColumns)
		.from(evaluationSnapshot)
		.where(eq(evaluationSnapshot.year, year))
		.orderBy(desc(evaluationSnapshot.id));
}

export async function getSnapshot(db: Executor, id: number): Promise<Snapshot | null> {
	if (!Number.isSafeInteger(id) || id <= 0) return null;
	const [row] = await db.select().from(evaluationSnapshot).where(eq(evaluationSnapshot.id, id));
	return row ? toSnapshot(row) : null;
}

async function latestOfKind(
	db: Executor,
	year: number,
	kind: 'draft' | 'published'
): Promise<Snapshot | null> {
	const [row] = await db
		.select()
		.from(evaluationSnapshot)
		.where(and(eq(evaluationSnapshot.year, year), eq(evaluationSnapshot.kind, kind)))
		.orderBy(desc(evaluationSnapshot.id))
		.limit(1);
	return row ? toSnapshot(row) : null;
}

/** The most recent draft of the year, or null. */
export function latestDraft(db: Executor, year: number): Promise<Snapshot | null> {
	return latestOfKind(db, year, 'draft');
}

/** The year's current published revision (the highest), or null before publication. */
export function latestPublished(db: Executor, year: number): Promise<Snapshot | null> {
	return latestOfKind(db, year, 'published');
}

/** Published revisions of a year, oldest first (revision 1, 2, …). */
export async function listRevisions(db: Executor, year: number): Promise<SnapshotSummary[]> {
	return db
		.select(summaryColumns)
		.from(evaluationSnapshot)
		.where(and(eq(evaluationSnapshot.year, year), eq(evaluationSnapshot.kind, 'published')))
		.orderBy(asc(evaluationSnapshot.revision));
}

/** Years that have at least one published revision, newest first (the public results list). */
export async function publishedYears(db: Executor): Promise<number[]> {
	const found = await db
		.selectDistinct({ year: evaluationSnapshot.year })
		.from(evaluationSnapshot)
		.where(eq(evaluationSnapshot.kind, 'published'))
		.orderBy(desc(evaluationSnapshot.year));
	return found.map((r) => r.year);
}
