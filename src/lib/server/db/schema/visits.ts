// The thousand-enterprise visits (走访千家民营企业, issue 9 §5–§6): the visit record taken on a
// tablet (team, materials handed out, the investor-card check) and the problems (办事难的具体事例)
// the enterprise raised, each followed through $lib/domain/visit-problems.ts to closure.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import { complaint } from './complaints';
import { department } from './departments';
import { enterprise } from './enterprises';
import { finding } from './findings';
import { campaign } from './surveys';
import { user } from './users';

/** PROBLEM_STATES of $lib/domain/visit-problems (tests/unit/visit-problems.test.ts). */
export const problemState = pgEnum('problem_state', [
	'raised',
	'brigade',
	'escalated',
	'instructed',
	'reported',
	'settled',
	'closed'
]);

/** PROBLEM_SCOPES of $lib/domain/visit-problems. */
export const problemScope = pgEnum('problem_scope', ['single', 'several', 'widespread']);

/** Who was on a visit's team: a supervisor, or a volunteer efficiency supervisor (效能监督员). */
export const visitMemberRole = pgEnum('visit_member_role', ['supervisor', 'volunteer']);

/**
 * One visit to an enterprise. `visit_no` is what the field console records with the on-site
 * appraisal (`survey_response.visit_id`), so the two are linked without a foreign key on the
 * append-only responses. `client_key` makes a resubmitted form (a tablet that lost its
 * connection and sends again) store the visit once.
 */
export const visit = pgTable(
	'visit',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		visitNo: text('visit_no').notNull().unique(),
		clientKey: text('client_key').notNull().unique(),
		/** The enterprise-visit campaign it counts towards, if any. */
		campaignId: integer('campaign_id').references(() => campaign.id),
		enterpriseId: integer('enterprise_id')
			.notNull()
			.references(() => enterprise.id),
		visitedOn: date('visited_on', { mode: 'string' }).notNull(),
		/** Materials handed out: the contact card (by its number), the instructions, the handbook. */
		contactCardNo: text('contact_card_no'),
		gaveInstructions: boolean('gave_instructions').notNull().default(false),
		gaveHandbook: boolean('gave_handbook').notNull().default(false),
		/** Whether the enterprise holds an investor card (客商证); null = not asked. */
		investorCard: boolean('investor_card'),
		notes: text('notes').notNull().default(''),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('visit_campaign_idx').on(t.campaignId),
		index('visit_enterprise_idx').on(t.enterpriseId, t.visitedOn),
		index('visit_date_idx').on(t.visitedOn)
	]
);
export type Visit = typeof visit.$inferSelect;

/** The people on a visit's team: names, not accounts (volunteers have none). */
export const visitMember = pgTable(
	'visit_member',
	{
		visitId: integer('visit_id')
			.notNull()
			.references(() => visit.id, { onDelete: 'cascade' }),
		position: smallint('position').notNull(),
		name: text('name').notNull(),
		role: visitMemberRole('role').notNull()
	},
	(t) => [primaryKey({ columns: [t.visitId, t.position] })]
);

/** A department that did not honour the enterprise's investor card, as the visit found. */
export const visitInvestorBreach = pgTable(
	'visit_investor_breach',
	{
		visitId: integer('visit_id')
			.notNull()
			.references(() => visit.id, { onDelete: 'cascade' }),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		note: text('note').notNull().default('')
	},
	(t) => [
		primaryKey({ columns: [t.visitId, t.departmentId] }),
		index('visit_investor_breach_department_idx').on(t.departmentId)
	]
);

/**
 * A problem an enterprise raised on a visit, handled as $lib/domain/visit-problems.ts says:
 * settled by the Brigade (an assigned supervisor, a due date) or escalated to a city leader, who
 * instructs and names departments (`visit_problem_department.assigned`) with a due date; closed
 * only after a return visit found the enterprise satisfied. `complaint_id` / `finding_id` are
 * the complaint or finding it was turned into: the link read from both sides.
 */
export const visitProblem = pgTable(
	'visit_problem',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		problemNo: text('problem_no').notNull().unique(),
		visitId: integer('visit_id')
			.notNull()
			.references(() => visit.id),
		description: text('description').notNull(),
		category: text('category').notNull(),
		scope: problemScope('scope').notNull(),
		/** The triage's weighing of its impact: high goes to a city leader. */
		highImpact: boolean('high_impact').notNull().default(false),
		state: problemState('state').notNull().default('raised'),
		/** Brigade: the supervisor settling it. */
		assigneeId: integer('assignee_id').references(() => user.id),
		/** Escalated: the city leader deciding it. */
		leaderId: integer('leader_id').references(() => user.id),
		escalatedAt: timestamp('escalated_at', { withTimezone: true }),
		instruction: text('instruction'),
		instructedAt: timestamp('instructed_at', { withTimezone: true }),
		/** The deadline of whoever handles it now (the Brigade, or the instructed departments). */
		dueOn: date('due_on', { mode: 'string' }),
		/** How the Brigade settled it. */
		settlement: text('settlement'),
		settledAt: timestamp('settled_at', { withTimezone: true }),
		complaintId: integer('complaint_id').references(() => complaint.id),
		findingId: integer('finding_id').references(() => finding.id),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('visit_problem_visit_idx').on(t.visitId),
		index('visit_problem_state_idx').on(t.state, t.dueOn),
		index('visit_problem_assignee_idx')
			.on(t.assigneeId)
			.where(sql`${t.assigneeId} is not null`),
		index('visit_problem_leader_idx')
			.on(t.leaderId)
			.where(sql`${t.leaderId} is not null`),
		index('visit_problem_complaint_idx')
			.on(t.complaintId)
			.where(sql`${t.complaintId} is not null`),
		index('visit_problem_finding_idx')
			.on(t.findingId)
			.where(sql`${t.findingId} is not null`),
		check('visit_problem_description', sql`length(trim(${t.description})) > 0`)
	]
);
export type VisitProblem = typeof visitProblem.$inferSelect;

/**
 * The departments a problem involves (as raised), and those a leader assigned it to, each with
 * its report back. `assigned` departments owe a report; the last report moves the problem on.
 */
export const visitProblemDepartment = pgTable(
	'visit_problem_department',
	{
		problemId: integer('problem_id')
			.notNull()
			.references(() => visitProblem.id, { onDelete: 'cascade' }),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		/** Named when the problem was raised. */
		involved: boolean('involved').notNull().default(true),
		/** Assigned by the leader's instruction: owes a report. */
		assigned: boolean('assigned').notNull().default(false),
		report: text('report'),
		reportedAt: timestamp('reported_at', { withTimezone: true }),
		reportedBy: integer('reported_by').references(() => user.id)
	},
	(t) => [
		primaryKey({ columns: [t.problemId, t.departmentId] }),
		index('visit_problem_department_idx').on(t.departmentId)
	]
);

/** A return visit (回访): whether the enterprise is satisfied with how its problem was handled. */
export const visitProblemReturn = pgTable(
	'visit_problem_return',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		problemId: integer('problem_id')
			.notNull()
			.references(() => visitProblem.id, { onDelete: 'cascade' }),
		visitedOn: date('visited_on', { mode: 'string' }).notNull(),
		satisfied: boolean('satisfied').notNull(),
		note: text('note').notNull().default(''),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('visit_problem_return_problem_idx').on(t.problemId)]
);
