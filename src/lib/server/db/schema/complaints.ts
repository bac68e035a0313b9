// Efficiency complaints (效能投诉) with their verdict and whether the department answered late
// (scoring.md §2.3): imported from the hotline's system, or taken in and handled here through
// the workflow of $lib/domain/complaints.ts (`state` set), with their sanctions and attachments.
// The evaluation reads only the verdict, the times and `response_late`.
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { department } from './departments';
import { user } from './users';

export const complaintVerdict = pgEnum('complaint_verdict', [
	'substantiated',
	'partial',
	'unfounded'
]);

/** COMPLAINT_STATES of $lib/domain/complaints (tests/unit/complaint-workflow.test.ts). */
export const complaintState = pgEnum('complaint_state', [
	'received',
	'accepted',
	'not_accepted',
	'investigating',
	'response_requested',
	'responded',
	'concluded',
	'feedback_given',
	'closed'
]);

/** SANCTIONS of $lib/domain/complaints. */
export const complaintSanctionKind = pgEnum('complaint_sanction_kind', [
	'efficiency_warning',
	'admonishment_talk',
	'public_naming',
	'transfer_from_post',
	'discipline_referral'
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
		/**
		 * Made on first start to show the pages (bootstrap.ts); removed with the example
		 * departments, and never a reason to keep a department (departments/index.ts).
		 */
		example: boolean('example').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		// --- The workflow (null for an imported complaint, which its own system handled) ------
		state: complaintState('state'),
		/** SHA-256 (hex) of the secret tracking code the complainant was given. */
		trackingHash: text('tracking_hash'),
		/** Filed without a name; a contact for feedback may still be given. */
		anonymous: boolean('anonymous').notNull().default(false),
		/** Personal information: shown masked except to admins and the handling supervisor. */
		complainantName: text('complainant_name'),
		complainantContact: text('complainant_contact'),
		/** The supervisor who entered it (hotline, walk-in, letter, visit); null from the form. */
		enteredBy: integer('entered_by').references(() => user.id),
		/** The signed-in account that filed it on the form (an enterprise's): its own to track. */
		filedBy: integer('filed_by').references(() => user.id),
		assigneeId: integer('assignee_id').references(() => user.id),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		notAcceptedReason: text('not_accepted_reason'),
		responseRequestedAt: timestamp('response_requested_at', { withTimezone: true }),
		respondedAt: timestamp('responded_at', { withTimezone: true }),
		respondedBy: integer('responded_by').references(() => user.id),
		departmentResponse: text('department_response'),
		findings: text('findings'),
		extendedAt: timestamp('extended_at', { withTimezone: true }),
		extensionReason: text('extension_reason'),
		feedbackAt: timestamp('feedback_at', { withTimezone: true }),
		feedback: text('feedback'),
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [
		index('complaint_received_idx').on(t.receivedAt),
		index('complaint_department_idx').on(t.departmentId, t.receivedAt),
		index('complaint_worklist_idx')
			.on(t.assigneeId, t.state)
			.where(sql`${t.state} is not null`),
		uniqueIndex('complaint_tracking_idx').on(t.trackingHash),
		check('complaint_handled_here', sql`(${t.state} is null) = (${t.trackingHash} is null)`),
		check('complaint_anonymous', sql`not ${t.anonymous} or ${t.complainantName} is null`)
	]
);

/** Sanctions decided on a (partially) substantiated complaint handled here. */
export const complaintSanction = pgTable(
	'complaint_sanction',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		complaintId: integer('complaint_id')
			.notNull()
			.references(() => complaint.id),
		kind: complaintSanctionKind('kind').notNull(),
		/** Whom it concerns and how, as the decision words it. */
		note: text('note').notNull().default(''),
		decidedOn: text('decided_on').notNull(),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('complaint_sanction_complaint_idx').on(t.complaintId)]
);

/**
 * A file sent with a complaint (a photo, a PDF): its type as sniffed from its bytes, stored by
 * its SHA-256 outside the served folders (docs/complaints.md) and downloaded as an attachment.
 */
export const complaintAttachment = pgTable(
	'complaint_attachment',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		complaintId: integer('complaint_id')
			.notNull()
			.references(() => complaint.id),
		name: text('name').notNull(),
		contentType: text('content_type').notNull(),
		size: bigint('size', { mode: 'number' }).notNull(),
		sha256: text('sha256').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('complaint_attachment_complaint_idx').on(t.complaintId)]
);
export type Complaint = typeof complaint.$inferSelect;
