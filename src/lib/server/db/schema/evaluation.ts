// Evaluation years, their computed snapshots (drafts and published revisions) and the
// rectifications that publication sets in motion (scoring.md §§1, 3, 4).
import { sql } from 'drizzle-orm';
import {
	bigint,
	check,
	date,
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
import { user } from './auth';
import { department } from './organisation';

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

/**
 * A department in the bottom of its category after publication: the assigned city leader,
 * the deadline (publication date + the year's rectification days), its plan and closure.
 */
export const rectification = pgTable(
	'rectification',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		year: smallint('year').notNull(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		/** The published revision that decided it. */
		snapshotId: bigint('snapshot_id', { mode: 'number' })
			.notNull()
			.references(() => evaluationSnapshot.id),
		assignedLeaderId: integer('assigned_leader_id').references(() => user.id),
		deadline: date('deadline', { mode: 'string' }).notNull(),
		plan: text('plan'),
		planSubmittedAt: timestamp('plan_submitted_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		closedBy: integer('closed_by').references(() => user.id),
		closureNote: text('closure_note'),
		/** Set when a later revision no longer puts the department in rectification. */
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('rectification_year_department').on(t.year, t.departmentId)]
);
export type Rectification = typeof rectification.$inferSelect;

/** Progress reports on a rectification, append-only. */
export const rectificationReport = pgTable(
	'rectification_report',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		rectificationId: integer('rectification_id')
			.notNull()
			.references(() => rectification.id),
		body: text('body').notNull(),
		submittedBy: integer('submitted_by').references(() => user.id),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('rectification_report_idx').on(t.rectificationId)]
);
