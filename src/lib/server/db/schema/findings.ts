// Inspection findings (督查发现): the records behind the work-delivery score (scoring.md §2.1).
import { sql } from 'drizzle-orm';
import {
	check,
	date,
	index,
	integer,
	numeric,
	pgEnum,
	pgTable,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import { department } from './departments';
import { user } from './users';

export const findingSource = pgEnum('finding_source', [
	'special_inspection',
	'undercover_visit',
	'onsite_measurement',
	'task_supervision'
]);

// `recorded` is a finding a supervisor has written down but not yet confirmed; only `confirmed`
// findings count. A department may dispute a finding once; a supervisor then confirms or
// withdraws it.
export const findingStatus = pgEnum('finding_status', [
	'recorded',
	'confirmed',
	'disputed',
	'withdrawn'
]);

export const finding = pgTable(
	'finding',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		findingNo: text('finding_no').notNull().unique(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		date: date('date', { mode: 'string' }).notNull(),
		source: findingSource('source').notNull(),
		/** Signed: negative = deduction, positive = bonus. */
		points: numeric('points', { precision: 8, scale: 2 }).notNull(),
		status: findingStatus('status').notNull(),
		description: text('description').notNull(),
		// Set once, by the department: a second dispute is refused.
		disputeReason: text('dispute_reason'),
		disputedAt: timestamp('disputed_at', { withTimezone: true }),
		disputedBy: integer('disputed_by').references(() => user.id),
		/** Why a supervisor confirmed a disputed finding or withdrew one. */
		resolutionNote: text('resolution_note'),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: integer('resolved_by').references(() => user.id),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('finding_department_date_idx').on(t.departmentId, t.date),
		index('finding_date_idx').on(t.date),
		check('finding_points_nonzero', sql`${t.points} <> 0`)
	]
);
export type Finding = typeof finding.$inferSelect;
