// Efficiency complaints (效能投诉) with their verdict and whether the department answered late
// (scoring.md §2.3). The complaint workflow module extends this table with intake, tracking
// and sanctions; the evaluation reads only what is here.
import { boolean, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { department } from './departments';

export const complaintVerdict = pgEnum('complaint_verdict', [
	'substantiated',
	'partial',
	'unfounded'
]);

export const complaint = pgTable(
	'complaint',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		complaintNo: text('complaint_no').notNull().unique(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
		channel: text('channel').notNull(),
		category: text('category').notNull(),
		/** Empty while the complaint is open. */
		verdict: complaintVerdict('verdict'),
		concludedAt: timestamp('concluded_at', { withTimezone: true }),
		/** The department's response came later than the year's response time. */
		responseLate: boolean('response_late').notNull().default(false),
		summary: text('summary').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('complaint_received_idx').on(t.receivedAt),
		index('complaint_department_idx').on(t.departmentId, t.receivedAt)
	]
);
export type Complaint = typeof complaint.$inferSelect;
