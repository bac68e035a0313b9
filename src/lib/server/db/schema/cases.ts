// Service cases (办件) of the Administrative Service Center (scoring.md §2.2).
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { department } from './departments';

export const serviceCase = pgTable(
	'service_case',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		caseNo: text('case_no').notNull().unique(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		itemCode: text('item_code').notNull(),
		itemName: text('item_name').notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
		/** Empty while the case is open. */
		completedAt: timestamp('completed_at', { withTimezone: true }),
		/** 0 = an instant item (即办件), due the day it is accepted. */
		promisedWorkingDays: smallint('promised_working_days').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('service_case_accepted_idx').on(t.acceptedAt),
		index('service_case_department_idx').on(t.departmentId, t.acceptedAt),
		check('service_case_promise', sql`${t.promisedWorkingDays} >= 0`),
		check(
			'service_case_order',
			sql`${t.completedAt} is null or ${t.completedAt} >= ${t.acceptedAt}`
		)
	]
);
export type ServiceCase = typeof serviceCase.$inferSelect;
