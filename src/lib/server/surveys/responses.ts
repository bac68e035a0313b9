// Survey responses one at a time (`POST /api/v1/responses`, a supervisor's phone or field
// record): validated in memory, then stored in ONE statement that is idempotent by
// `response_key` — `INSERT … ON CONFLICT DO NOTHING RETURNING` — so that any number of
// concurrent submissions of one key store exactly one response. Responses are append-only.
import { sql, type SQL } from 'drizzle-orm';
import { formatDateTime } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';
import {
	problemOf,
	ratingLevel,
	responseBodySchema,
	textAnswer,
	TEXT_ANSWER_MAX,
	type ResponseChannel
} from '$lib/schemas/responses';
import { rows, type Executor } from '$lib/server/db';
import { RATING_SLOTS } from '$lib/server/db/schema';
import { idsByCode as departmentIdsByCode } from '$lib/server/departments';
import { responseProblemMessage } from './messages';

type Locale = 'zh-CN' | 'en';

export interface StoredAnswer {
	department_code: string;
	question_code: string;
	/** A level 0–5 for a rating question, the text for a text question. */
	answer: number | string;
}

/** A response as the API returns it; `submitted_at` is local time, `YYYY-MM-DD HH:mm:ss`. */
export interface StoredResponse {
	id: number;
	response_key: string;
	campaign_code: string;
	channel: ResponseChannel;
	submitted_at: string;
	answers: StoredAnswer[];
}

export type ProblemDetail = {
	/** A JSON path into the body, e.g. `answers.2.answer`. */
	path: string;
	message: string;
};

/** The body is not a valid response; `details` name every problem. Nothing was written. */
export class ResponseInvalid extends Error {
	constructor(readonly details: ProblemDetail[]) {
		super('invalid response');
		this.name = 'ResponseInvalid';
	}
}

export interface QuestionRef {
	id: number;
	code: string;
	kind: 'rating' | 'text';
	/** Rating questions: the column r1 … r12 of `survey_rating`. */
	slot: number | null;
	position: number;
}

export interface CampaignRef {
	id: number;
	code: string;
	questionnaireId: number;
	/** `code@version`, for messages. */
	questionnaire: string;
	questions: Map<string, QuestionRef>;
}

/** Campaigns with their questions, keyed by code; all of them, or the one asked for. */
export async function campaignRefs(db: Executor, code?: string): Promise<Map<string, CampaignRef>> {
	const found = await rows<{
		id: number;
		code: string;
		questionnaire_id: number;
		questionnaire: string;
		question_id: number;
		question_code: string;
		kind: 'rating' | 'text';
		slot: number | null;
		position: number;
	}>(
		db,
		sql`select c.id, c.code, c.questionnaire_id, qn.code || '@' || qn.version as questionnaire,
				q.id as question_id, q.code as question_code, q.kind::text as kind, q.slot, q.position
			from campaign c
			join questionnaire qn on qn.id = c.questionnaire_id
			join question q on q.questionnaire_id = c.questionnaire_id
			${code === undefined ? sql`` : sql`where c.code = ${code}`}`
	);
	const out = new Map<string, CampaignRef>();
	for (const r of found) {
		let c = out.get(r.code);
		if (!c) {
			c = {
				id: Number(r.id),
				code: r.code,
				questionnaireId: Number(r.questionnaire_id),
				questionnaire: r.questionnaire,
				questions: new Map()
			};
			out.set(r.code, c);
		}
		c.questions.set(r.question_code, {
			id: Number(r.question_id),
			code: r.question_code,
			kind: r.kind,
			slot: r.slot === null ? null : Number(r.slot),
			position: Number(r.position)
		});
	}
	return out;
}

/** The rating columns in slot order, for SQL. */
export const RATING_COLUMNS = Array.from({ length: RATING_SLOTS }, (_, i) => `r${i + 1}`);

/**
 * Stores one response from the API body. `created` is false when a response with this
 * `response_key` was stored before: then nothing is written and the stored one is returned.
 * Throws `ResponseInvalid` with every problem found.
 */
export async function submitResponse(
	db: Executor,
	body: unknown,
	options: { locale?: Locale } = {}
): Promise<{ created: boolean; response: StoredResponse }> {
	const o = options.locale ? { locale: options.locale } : undefined;
	const parsed = responseBodySchema.safeParse(body);
	if (!parsed.success) {
		throw new ResponseInvalid(
			parsed.error.issues.flatMap((issue) => {
				const path = issue.path.map(String);
				const message = responseProblemMessage(problemOf(issue), o);
				// An unknown field is named in the path, one detail per field.
				if (issue.code === 'unrecognized_keys')
					return issue.keys.map((k) => ({ path: [...path, k].join('.'), message }));
				return [{ path: path.join('.'), message }];
			})
		);
	}
	const input = parsed.data;
	const codes = [...new Set(input.answers.map((a) => a.department_code))];
	const [campaigns, departments] = await Promise.all([
		campaignRefs(db, input.campaign_code),
		departmentIdsByCode(db, codes)
	]);
	const campaign = campaigns.get(input.campaign_code);
	const details: ProblemDetail[] = [];
	if (!campaign)
		details.push({
			path: 'campaign_code',
			message: m.responses_error_campaign({ code: input.campaign_code }, o)
		});

	const levels = new Map<number, (number | null)[]>();
	const texts: { departmentId: number; questionId: number; body: string }[] = [];
	const answers: (StoredAnswer & { position: number })[] = [];
	const seen = new Map<string, number>();
	input.answers.forEach((a, i) => {
		const at = `answers.${i}`;
		const departmentId = departments.get(a.department_code);
		if (departmentId === undefined)
			details.push({
				path: `${at}.department_code`,
				message: m.responses_error_department({ code: a.department_code }, o)
			});
		const question = campaign?.questions.get(a.question_code);
		if (campaign && !question)
			details.push({
				path: `${at}.question_code`,
				message: m.responses_error_question(
					{ code: a.question_code, questionnaire: campaign.questionnaire },
					o
				)
			});
		const pair = `${a.department_code}\u0000${a.question_code}`;
		const first = seen.get(pair);
		if (first !== undefined) {
			details.push({
				path: at,
				message: m.responses_error_duplicate_answer(
					{
						department: a.department_code,
						question: a.question_code,
						first: `answers.${first}`
					},
					o
				)
			});
			return;
		}
		seen.set(pair, i);
		if (!question) return;
		if (question.kind === 'rating') {
			const level = ratingLevel(a.answer);
			if (level === null) {
				details.push({
					path: `${at}.answer`,
					message: m.responses_error_rating({ value: JSON.stringify(a.answer) ?? '' }, o)
				});
				return;
			}
			if (departmentId === undefined) return;
			let slots = levels.get(departmentId);
			if (!slots) levels.set(departmentId, (slots = Array(RATING_SLOTS).fill(null)));
			slots[question.slot! - 1] = level;
			answers.push({ ...a, answer: level, position: question.position });
		} else {
			const body = textAnswer(a.answer);
			if (body === null) {
				details.push({
					path: `${at}.answer`,
					message: m.responses_error_text({ max: TEXT_ANSWER_MAX }, o)
				});
				return;
			}
			if (departmentId === undefined) return;
			texts.push({ departmentId, questionId: question.id, body });
			answers.push({ ...a, answer: body, position: question.position });
		}
	});
	if (details.length > 0 || !campaign) throw new ResponseInvalid(details);

	const id = await insertResponse(db, {
		key: input.response_key,
		campaignId: campaign.id,
		channel: input.channel,
		submittedAt: input.submitted_at,
		levels,
		texts
	});
	if (id === null) {
		const stored = await getResponse(db, input.response_key);
		// The conflicting row is committed (the insert waited for it) and never deleted.
		if (!stored) throw new Error(`response ${input.response_key} conflicts but cannot be read`);
		return { created: false, response: stored };
	}
	answers.sort(
		(a, b) =>
			(a.department_code < b.department_code
				? -1
				: a.department_code > b.department_code
					? 1
					: 0) || a.position - b.position
	);
	return {
		created: true,
		response: {
			id,
			response_key: input.response_key,
			campaign_code: campaign.code,
			channel: input.channel,
			submitted_at: formatDateTime(input.submitted_at),
			answers: answers.map(({ department_code, question_code, answer }) => ({
				department_code,
				question_code,
				answer
			}))
		}
	};
}

/**
 * One statement: the response, its rating rows (one per department, levels pivoted into their
 * slots) and its text answers, all written only when the response row was; null when a
 * response with this key already exists. A single statement is atomic by itself.
 */
async function insertResponse(
	db: Executor,
	r: {
		key: string;
		campaignId: number;
		channel: ResponseChannel;
		submittedAt: Date;
		levels: Map<number, (number | null)[]>;
		texts: { departmentId: number; questionId: number; body: string }[];
	}
): Promise<number | null> {
	const parts: SQL[] = [
		sql`with ins as (
			insert into survey_response (response_key, campaign_id, channel, submitted_at)
			values (${r.key}, ${r.campaignId}::int, ${r.channel}::response_channel,
				${r.submittedAt.toISOString()}::timestamptz)
			on conflict (response_key) do nothing
			returning id)`
	];
	if (r.levels.size > 0) {
		const columns = sql.raw(RATING_COLUMNS.join(', '));
		const values = sql.join(
			[...r.levels].map(
				([departmentId, slots]) =>
					sql`(${departmentId}::int, ${sql.join(
						slots.map((l) => sql`${l}::smallint`),
						sql`, `
					)})`
			),
			sql`, `
		);
		parts.push(sql`, rating as (
			insert into survey_rating (response_id, department_id, campaign_id, ${columns})
			select ins.id, v.department_id, ${r.campaignId}::int, ${sql.raw(
				RATING_COLUMNS.map((c) => `v.${c}`).join(', ')
			)}
			from ins cross join (values ${values}) as v(department_id, ${columns}))`);
	}
	if (r.texts.length > 0) {
		const values = sql.join(
			r.texts.map((t) => sql`(${t.departmentId}::int, ${t.questionId}::int, ${t.body}::text)`),
			sql`, `
		);
		parts.push(sql`, texts as (
			insert into survey_text_answer (response_id, department_id, question_id, body)
			select ins.id, v.department_id, v.question_id, v.body
			from ins cross join (values ${values}) as v(department_id, question_id, body))`);
	}
	parts.push(sql` select id::text as id from ins`);
	const [row] = await rows<{ id: string }>(db, sql.join(parts, sql``));
	return row ? Number(row.id) : null;
}

/** A stored response with its answers (ratings unpivoted), or null. */
export async function getResponse(db: Executor, key: string): Promise<StoredResponse | null> {
	const [r] = await rows<{
		id: string;
		response_key: string;
		campaign_code: string;
		questionnaire_id: number;
		channel: ResponseChannel;
		submitted_at: Date | string;
	}>(
		db,
		sql`select r.id::text as id, r.response_key, c.code as campaign_code, c.questionnaire_id,
				r.channel::text as channel, r.submitted_at
			from survey_response r join campaign c on c.id = r.campaign_id
			where r.response_key = ${key}`
	);
	if (!r) return null;
	const slots = sql.raw(RATING_COLUMNS.map((c, i) => `(${i + 1}, sr.${c})`).join(', '));
	const answers = await rows<{
		department_code: string;
		question_code: string;
		level: number | null;
		body: string | null;
	}>(
		db,
		sql`select department_code, question_code, level, body from (
				select d.code as department_code, q.code as question_code, q.position,
					s.level::int as level, null::text as body
				from survey_rating sr
				join department d on d.id = sr.department_id
				cross join lateral (values ${slots}) as s(slot, level)
				join question q on q.questionnaire_id = ${r.questionnaire_id} and q.slot = s.slot
				where sr.response_id = ${r.id}::bigint and s.level is not null
				union all
				select d.code, q.code, q.position, null, t.body
				from survey_text_answer t
				join department d on d.id = t.department_id
				join question q on q.id = t.question_id
				where t.response_id = ${r.id}::bigint
			) a order by department_code collate "C", position`
	);
	return {
		id: Number(r.id),
		response_key: r.response_key,
		campaign_code: r.campaign_code,
		channel: r.channel,
		submitted_at: formatDateTime(new Date(r.submitted_at)),
		answers: answers.map((a) => ({
			department_code: a.department_code,
			question_code: a.question_code,
			answer: a.level === null ? (a.body ?? '') : Number(a.level)
		}))
	};
}
