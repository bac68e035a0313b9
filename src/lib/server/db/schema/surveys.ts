// Questionnaires, campaigns and survey responses (scoring.md §2.4). Responses and their answers
// are created in bulk by the public and by imports, so they are append-only: a trigger refuses
// UPDATE and DELETE, and voiding a response is a row of its own in `survey_response_void`.
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	date,
	index,
	integer,
	numeric,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { department, departmentCategory } from './departments';
import { enterprise } from './enterprises';
import { user } from './users';

/**
 * rating: a level 1–5 or don't know (0), in a rating slot; single / multiple: one or several
 * of the question's options (`question_option`); text / long_text: a short or a long answer.
 */
export const questionKind = pgEnum('question_kind', [
	'rating',
	'text',
	'single',
	'multiple',
	'long_text'
]);
export const ratingDimension = pgEnum('rating_dimension', ['appraisal', 'convenience']);
export const campaignKind = pgEnum('campaign_kind', [
	'enterprise_visit',
	'public_evaluation',
	'online'
]);
export const responseChannel = pgEnum('response_channel', ['field', 'phone', 'online', 'paper']);
/** draft → active → closed; departments learn of a campaign only once it is closed (roles.md). */
export const campaignState = pgEnum('campaign_state', ['draft', 'active', 'closed']);
/** Which departments a campaign asks about: all, one category, or the `campaign_target` rows. */
export const campaignTargets = pgEnum('campaign_targets', [
	'all',
	'municipal',
	'vertical',
	'selected'
]);
/** How a sample is split into strata before drawing. */
export const sampleStratification = pgEnum('sample_stratification', [
	'none',
	'township',
	'industry'
]);

/** A versioned questionnaire; a published version never changes (campaigns point at it). */
export const questionnaire = pgTable(
	'questionnaire',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		code: text('code').notNull(),
		version: smallint('version').notNull(),
		titleZh: text('title_zh').notNull(),
		titleEn: text('title_en').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('questionnaire_code_version').on(t.code, t.version)]
);
export type Questionnaire = typeof questionnaire.$inferSelect;

/** Number of rating slots a `survey_rating` row has (r1 … r12). */
export const RATING_SLOTS = 12;

export const question = pgTable(
	'question',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		questionnaireId: integer('questionnaire_id')
			.notNull()
			.references(() => questionnaire.id),
		code: text('code').notNull(),
		position: smallint('position').notNull(),
		textZh: text('text_zh').notNull(),
		textEn: text('text_en').notNull(),
		kind: questionKind('kind').notNull(),
		/** Rating questions only. */
		dimension: ratingDimension('dimension'),
		/** Rating questions only: which column r1 … r12 of `survey_rating` holds the answer. */
		slot: smallint('slot'),
		/** Whether a respondent must answer it (for every department picked). */
		required: boolean('required').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('question_code').on(t.questionnaireId, t.code),
		unique('question_slot').on(t.questionnaireId, t.slot),
		check(
			'question_rating_shape',
			sql`(${t.kind} = 'rating') = (${t.dimension} is not null and ${t.slot} is not null)`
		),
		check('question_slot_range', sql`${t.slot} between 1 and 12`)
	]
);
export type Question = typeof question.$inferSelect;

/** The options of a single- or multiple-choice question, in order. */
export const questionOption = pgTable(
	'question_option',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		questionId: integer('question_id')
			.notNull()
			.references(() => question.id),
		code: text('code').notNull(),
		position: smallint('position').notNull(),
		textZh: text('text_zh').notNull(),
		textEn: text('text_en').notNull()
	},
	(t) => [
		unique('question_option_code').on(t.questionId, t.code),
		unique('question_option_position').on(t.questionId, t.position)
	]
);
export type QuestionOption = typeof questionOption.$inferSelect;

export const campaign = pgTable(
	'campaign',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		code: text('code').notNull().unique(),
		year: smallint('year').notNull(),
		kind: campaignKind('kind').notNull(),
		questionnaireId: integer('questionnaire_id')
			.notNull()
			.references(() => questionnaire.id),
		/** w(c) of scoring.md §2.4. */
		weight: numeric('weight', { precision: 8, scale: 4 }).notNull().default('1'),
		nameZh: text('name_zh').notNull().default(''),
		nameEn: text('name_en').notNull().default(''),
		/** Departments never see a campaign before it closes (roles.md). */
		opensOn: date('opens_on', { mode: 'string' }),
		closesOn: date('closes_on', { mode: 'string' }),
		state: campaignState('state').notNull().default('draft'),
		targets: campaignTargets('targets').notNull().default('all'),
		/** The channels responses may come in by (field, phone, online, paper). */
		channels: responseChannel('channels')
			.array()
			.notNull()
			.default(sql`'{field,phone,online,paper}'::response_channel[]`),
		openedAt: timestamp('opened_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('campaign_year_idx').on(t.year),
		check('campaign_weight_positive', sql`${t.weight} > 0`),
		check('campaign_year', sql`${t.year} between 1990 and 2200`),
		check('campaign_channels', sql`cardinality(${t.channels}) > 0`),
		check(
			'campaign_dates',
			sql`${t.opensOn} is null or ${t.closesOn} is null or ${t.opensOn} <= ${t.closesOn}`
		)
	]
);
export type Campaign = typeof campaign.$inferSelect;

/** The hand-picked departments of a campaign whose `targets` is `selected`. */
export const campaignTarget = pgTable(
	'campaign_target',
	{
		campaignId: integer('campaign_id')
			.notNull()
			.references(() => campaign.id, { onDelete: 'cascade' }),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id)
	},
	(t) => [primaryKey({ columns: [t.campaignId, t.departmentId] })]
);

/**
 * How many responses a campaign aims for about one department, or about each department of a
 * category: exactly one of the two is set.
 */
export const campaignQuota = pgTable(
	'campaign_quota',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		campaignId: integer('campaign_id')
			.notNull()
			.references(() => campaign.id, { onDelete: 'cascade' }),
		departmentId: integer('department_id').references(() => department.id),
		category: departmentCategory('category'),
		quota: integer('quota').notNull()
	},
	(t) => [
		unique('campaign_quota_department').on(t.campaignId, t.departmentId),
		unique('campaign_quota_category').on(t.campaignId, t.category),
		check('campaign_quota_one_target', sql`(${t.departmentId} is null) <> (${t.category} is null)`),
		check('campaign_quota_positive', sql`${t.quota} > 0`)
	]
);
export type CampaignQuota = typeof campaignQuota.$inferSelect;

/** The recorded draw of a campaign's sample: with its seed, the same draw comes out again. */
export const campaignSample = pgTable(
	'campaign_sample',
	{
		campaignId: integer('campaign_id')
			.primaryKey()
			.references(() => campaign.id, { onDelete: 'cascade' }),
		/** `drawn`: from the enterprise register; `call_list`: imported names and numbers. */
		source: text('source', { enum: ['drawn', 'call_list'] }).notNull(),
		seed: bigint('seed', { mode: 'number' }),
		size: integer('size').notNull(),
		stratify: sampleStratification('stratify').notNull().default('none'),
		drawnBy: integer('drawn_by').references(() => user.id),
		drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('campaign_sample_seed', sql`(${t.source} = 'drawn') = (${t.seed} is not null)`)]
);
export type CampaignSample = typeof campaignSample.$inferSelect;

/**
 * One unit of a campaign's sample: an enterprise of the register, or a name and number of an
 * imported call list. The phone number is personal information: shown masked except on the
 * assigned supervisor's console, where revealing it is audited.
 */
export const sampleUnit = pgTable(
	'sample_unit',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		campaignId: integer('campaign_id')
			.notNull()
			.references(() => campaign.id, { onDelete: 'cascade' }),
		/** Order of the draw (1, 2, …). */
		position: integer('position').notNull(),
		enterpriseId: integer('enterprise_id').references(() => enterprise.id),
		name: text('name').notNull(),
		phone: text('phone').notNull().default(''),
		township: text('township').notNull().default(''),
		industry: text('industry').notNull().default(''),
		/** The stratum it was drawn from (township or industry), '' when not stratified. */
		stratum: text('stratum').notNull().default(''),
		assignedTo: integer('assigned_to').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('sample_unit_position').on(t.campaignId, t.position),
		unique('sample_unit_enterprise').on(t.campaignId, t.enterpriseId),
		index('sample_unit_assigned_idx').on(t.assignedTo)
	]
);
export type SampleUnit = typeof sampleUnit.$inferSelect;

/**
 * A personal invitation of one sample unit to answer a campaign. Only the SHA-256 of its token
 * is stored (the token itself is in the invitation's address and on its card).
 */
export const invitation = pgTable(
	'invitation',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		campaignId: integer('campaign_id')
			.notNull()
			.references(() => campaign.id),
		sampleUnitId: integer('sample_unit_id')
			.notNull()
			.unique()
			.references(() => sampleUnit.id),
		tokenHash: text('token_hash').notNull().unique(),
		/** The number printed on the contact card (投诉联系卡). */
		cardNo: text('card_no').notNull().unique(),
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('invitation_campaign_idx').on(t.campaignId)]
);
export type Invitation = typeof invitation.$inferSelect;

/** An invitation answers once per department: the response that did. */
export const invitationAnswer = pgTable(
	'invitation_answer',
	{
		invitationId: integer('invitation_id')
			.notNull()
			.references(() => invitation.id),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		responseId: bigint('response_id', { mode: 'number' })
			.notNull()
			.references(() => surveyResponse.id),
		answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.invitationId, t.departmentId] })]
);

/** One submitted questionnaire. `response_key` is the submitter's idempotency key. */
export const surveyResponse = pgTable(
	'survey_response',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		responseKey: text('response_key').notNull().unique(),
		// References checked once per statement by a trigger, not per row (see migration 0005).
		campaignId: integer('campaign_id').notNull(),
		channel: responseChannel('channel').notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
		/** The respondent, where known (roles.md: never shown to a department). */
		enterpriseId: integer('enterprise_id'),
		/** The supervisor who took it (phone, field, paper), where one did. */
		interviewerId: integer('interviewer_id'),
		/** The visit it was taken on (field console); the visit record comes with visits. */
		visitId: text('visit_id'),
		/** Through a campaign's open link: nobody vouches for who answered. */
		unverified: boolean('unverified').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('survey_response_campaign_idx').on(t.campaignId)]
);
export type SurveyResponse = typeof surveyResponse.$inferSelect;

/**
 * The rating answers one response gave about one department, typed: one `smallint` level (0–5,
 * 0 = don't know) per rating slot, null where the question was not answered. The year
 * computation aggregates these columns directly; `campaign_id` is copied from the response so
 * that it does not need a join over a million responses.
 */
export const surveyRating = pgTable(
	'survey_rating',
	{
		// Integrity without per-row foreign-key checks, which cost more than the rest of a
		// million-response import: a statement-level trigger checks in one anti-join that every
		// inserted row's response exists with this campaign and its department exists, and
		// referenced rows cannot be deleted (migration 0005).
		responseId: bigint('response_id', { mode: 'number' }).notNull(),
		departmentId: integer('department_id').notNull(),
		campaignId: integer('campaign_id').notNull(),
		r1: smallint('r1'),
		r2: smallint('r2'),
		r3: smallint('r3'),
		r4: smallint('r4'),
		r5: smallint('r5'),
		r6: smallint('r6'),
		r7: smallint('r7'),
		r8: smallint('r8'),
		r9: smallint('r9'),
		r10: smallint('r10'),
		r11: smallint('r11'),
		r12: smallint('r12')
	},
	(t) => [
		primaryKey({ columns: [t.responseId, t.departmentId] }),
		index('survey_rating_campaign_idx').on(t.campaignId, t.departmentId),
		check(
			'survey_rating_levels',
			sql`coalesce(${t.r1}, 0) between 0 and 5 and coalesce(${t.r2}, 0) between 0 and 5
			and coalesce(${t.r3}, 0) between 0 and 5 and coalesce(${t.r4}, 0) between 0 and 5
			and coalesce(${t.r5}, 0) between 0 and 5 and coalesce(${t.r6}, 0) between 0 and 5
			and coalesce(${t.r7}, 0) between 0 and 5 and coalesce(${t.r8}, 0) between 0 and 5
			and coalesce(${t.r9}, 0) between 0 and 5 and coalesce(${t.r10}, 0) between 0 and 5
			and coalesce(${t.r11}, 0) between 0 and 5 and coalesce(${t.r12}, 0) between 0 and 5`
		)
	]
);
export type SurveyRating = typeof surveyRating.$inferSelect;

/** Free-text answers (e.g. `difficulty`), per response, department and question. */
export const surveyTextAnswer = pgTable(
	'survey_text_answer',
	{
		responseId: bigint('response_id', { mode: 'number' })
			.notNull()
			.references(() => surveyResponse.id),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		questionId: integer('question_id')
			.notNull()
			.references(() => question.id),
		body: text('body').notNull()
	},
	(t) => [primaryKey({ columns: [t.responseId, t.departmentId, t.questionId] })]
);

/** The options a response chose for a choice question about one department. */
export const surveyChoiceAnswer = pgTable(
	'survey_choice_answer',
	{
		responseId: bigint('response_id', { mode: 'number' })
			.notNull()
			.references(() => surveyResponse.id),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		questionId: integer('question_id')
			.notNull()
			.references(() => question.id),
		optionId: integer('option_id')
			.notNull()
			.references(() => questionOption.id)
	},
	(t) => [primaryKey({ columns: [t.responseId, t.departmentId, t.questionId, t.optionId] })]
);

/** What came of one call to a sample unit (phone console, AAPOR dispositions). */
export const callOutcome = pgEnum('call_outcome', [
	'completed',
	'partial',
	'refused',
	'no_answer',
	'busy',
	'wrong_number',
	'callback'
]);

/** One attempt to reach a sample unit by phone; a callback names the time to call again. */
export const callAttempt = pgTable(
	'call_attempt',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		campaignId: integer('campaign_id')
			.notNull()
			.references(() => campaign.id),
		sampleUnitId: integer('sample_unit_id')
			.notNull()
			.references(() => sampleUnit.id),
		callerId: integer('caller_id')
			.notNull()
			.references(() => user.id),
		outcome: callOutcome('outcome').notNull(),
		callbackAt: timestamp('callback_at', { withTimezone: true }),
		note: text('note').notNull().default(''),
		/** The response the call completed (or partly completed), if any. */
		responseId: bigint('response_id', { mode: 'number' }).references(() => surveyResponse.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('call_attempt_unit_idx').on(t.sampleUnitId, t.createdAt),
		index('call_attempt_campaign_idx').on(t.campaignId),
		check('call_attempt_callback', sql`(${t.outcome} = 'callback') = (${t.callbackAt} is not null)`)
	]
);
export type CallAttempt = typeof callAttempt.$inferSelect;

/**
 * A campaign's open (non-personal) link for online answering: only the SHA-256 of its token is
 * stored. Responses through it are flagged unverified.
 */
export const openLink = pgTable('open_link', {
	campaignId: integer('campaign_id')
		.primaryKey()
		.references(() => campaign.id, { onDelete: 'cascade' }),
	tokenHash: text('token_hash').notNull().unique(),
	createdBy: integer('created_by').references(() => user.id),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** One browser answers an open link once per department: the response that did. */
export const openLinkAnswer = pgTable(
	'open_link_answer',
	{
		campaignId: integer('campaign_id')
			.notNull()
			.references(() => campaign.id),
		/** SHA-256 of the browser's own random identifier (a cookie). */
		browserHash: text('browser_hash').notNull(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		responseId: bigint('response_id', { mode: 'number' })
			.notNull()
			.references(() => surveyResponse.id),
		answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.campaignId, t.browserHash, t.departmentId] })]
);

/** A voided response no longer counts; voiding is a staff action, audited, never undone. */
export const surveyResponseVoid = pgTable('survey_response_void', {
	responseId: bigint('response_id', { mode: 'number' })
		.primaryKey()
		.references(() => surveyResponse.id),
	reason: text('reason').notNull(),
	voidedBy: integer('voided_by').references(() => user.id),
	voidedAt: timestamp('voided_at', { withTimezone: true }).notNull().defaultNow()
});
