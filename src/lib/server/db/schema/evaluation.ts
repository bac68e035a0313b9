// Evaluation years and their computed snapshots: drafts and published revisions (scoring.md
// §§1, 3).
import { sql } from 'drizzle-orm';
import {
	bigint,
	check,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	smallint,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';

/** A year's settings (`EvaluationSettings` of `$lib/domain/scoring`), editable until published. */
export const evaluationYear = pgTable(
	'evaluation_year',
	{
		year: smallint('year').primaryKey(),
		settings: jsonb('settings').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/** Set by the first publication; from then on the settings are frozen. */
		firstPublishedAt: timestamp('first_published_at', { withTimezone: true })
	},
	(t) => [check('evaluation_year_range', sql`${t.year} between 1990 and 2200`)]
);
export type EvaluationYear = typeof evaluationYear.$inferSelect;

export const snapshotKind = pgEnum('snapshot_kind', ['draft', 'published']);

/**
 * One computation of a year. `content` is the whole result (settings, every department's
 * inputs, scores, ranks, outcomes, errors and warnings); `digest` is the SHA-256 of its
 * canonical JSON, so identical inputs give an identical digest. A published row is immutable
 * (a trigger refuses UPDATE and DELETE); a correction is a new published revision naming the
 * one it replaces.
 */
export const evaluationSnapshot = pgTable(
	'evaluation_snapshot',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		year: smallint('year')
			.notNull()
			.references(() => evaluationYear.year),
		kind: snapshotKind('kind').notNull(),
		/** Published rows: 1, 2, … per year. Drafts: null. */
		revision: smallint('revision'),
		/** Published rows: the draft they froze. */
		draftId: bigint('draft_id', { mode: 'number' }),
		/** A correction: the published revision it replaces, and why. */
		replacesId: bigint('replaces_id', { mode: 'number' }),
		note: text('note'),
		content: jsonb('content').notNull(),
		digest: text('digest').notNull(),
		errorCount: integer('error_count').notNull(),
		warningCount: integer('warning_count').notNull(),
		computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
		computedBy: text('computed_by').notNull(),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		publishedBy: text('published_by'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('evaluation_snapshot_year_idx').on(t.year, t.kind, t.id),
		unique('evaluation_snapshot_revision').on(t.year, t.revision),
		check(
			'evaluation_snapshot_published_shape',
			sql`(${t.kind} = 'published') = (${t.revision} is not null and ${t.publishedAt} is not null)`
		)
	]
);
export type EvaluationSnapshot = typeof evaluationSnapshot.$inferSelect;
