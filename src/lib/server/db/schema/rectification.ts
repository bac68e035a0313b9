// Rectifications that publication sets in motion, and their progress reports (scoring.md §4).
import {
	bigint,
	date,
	index,
	integer,
	pgTable,
	smallint,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { department } from './departments';
import { evaluationSnapshot } from './evaluation';
import { user } from './users';

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
