// Questionnaires, campaigns and survey responses (scoring.md §2.4). Responses and their answers
// are created in bulk by the public and by imports, so they are append-only: a trigger refuses
// UPDATE and DELETE, and voiding a response is a row of its own in `survey_response_void`.
import { sql } from 'drizzle-orm';
import {
	bigint,
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
import { department } from './departments';
import { user } from './users';

export const questionKind = pgEnum('question_kind', ['rating', 'text']);
export const ratingDimension = pgEnum('rating_dimension', ['appraisal', 'convenience']);
export const campaignKind = pgEnum('campaign_kind', [
	'enterprise_visit',
	'public_evaluation',
	'online'
]);
export const responseChannel = pgEnum('response_channel', ['field', 'phone', 'online', 'paper']);

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
		createdBy: integer('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('campaign_year_idx').on(t.year),
		check('campaign_weight_positive', sql`${t.weight} > 0`),
		check('campaign_year', sql`${t.year} between 1990 and 2200`)
	]
);
export type Campaign = typeof campaign.$inferSelect;

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

/** A voided response no longer counts; voiding is a staff action, audited, never undone. */
export const surveyResponseVoid = pgTable('survey_response_void', {
	responseId: bigint('response_id', { mode: 'number' })
		.primaryKey()
		.references(() => surveyResponse.id),
	reason: text('reason').notNull(),
	voidedBy: integer('voided_by').references(() => user.id),
	voidedAt: timestamp('voided_at', { withTimezone: true }).notNull().defaultNow()
});
