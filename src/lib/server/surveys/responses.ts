// Survey responses one at a time (`POST /api/v1/responses`, a supervisor's phone or field
// record): validated in memory, then stored in ONE statement that is idempotent by
// `response_key` — `INSERT … ON CONFLICT DO NOTHING RETURNING` — so that any number of
// concurrent submissions of one key store exactly one response. A key stored before answers
// with the stored response when the body is the same one (`sameResponse`), and is refused when
// it is not: a response is never replaced, and never silently dropped. Responses are
// append-only.
import { sql, type SQL } from 'drizzle-orm';
import { isChoice, type QuestionKind } from '$lib/domain/questionnaires';
import { formatDateTime } from '$lib/domain/time';
import { DomainError } from '$lib/errors';
import {
	channelProblem,
	choiceAnswer,
	problemOf,
	ratingLevel,
	withoutUnknownFields,
	responseBodySchema,
	submissionProblem,
	textAnswer,
	TEXT_ANSWER_MAX,
	type Field,
	type ResponseChannel,
	type ResponseProblem
} from '$lib/schemas/responses';
import { rows, type Executor } from '$lib/server/db';
import { RATING_SLOTS } from '$lib/server/db/schema';
import { allIdsByCode as allDepartmentIds } from '$lib/server/departments';
import { cached } from './reference-cache';

export interface StoredAnswer {
	department_code: string;
	question_code: string;
	/**
	 * A level 0–5 for a rating question, the text for a text question, an option's code for a
	 * single choice, the options' codes (in the question's order) for a multiple choice.
	 */
	answer: number | string | string[];
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

export interface QuestionRef {
	id: number;
	code: string;
	kind: QuestionKind;
	/** Rating questions: the column r1 … r12 of `survey_rating`. */
	slot: number | null;
	position: number;
	/** Choice questions: their options' ids by code, in order. */
	options: Map<string, number>;
}

export interface CampaignRef {
	id: number;
	code: string;
	year: number;
	opensOn: string | null;
	closesOn: string | null;
	/** The campaign's year has published results: it takes no more responses. */
	published: boolean;
	/** The channels it takes responses by. */
	channels: ResponseChannel[];
	questionnaireId: number;
	/** `code@version`, for messages. */
	questionnaire: string;
	/** In questionnaire order. */
	questions: Map<string, QuestionRef>;
}

/** Campaigns with their questions, keyed by code; all of them, or the one asked for. */
export async function campaignRefs(db: Executor, code?: string): Promise<Map<string, CampaignRef>> {
	const found = await rows<{
		id: number;
		code: string;
		year: number;
		opens_on: string | null;
		closes_on: string | null;
		published: boolean;
		channels: string;
		questionnaire_id: number;
		questionnaire: string;
		question_id: number;
		question_code: string;
		kind: QuestionKind;
		slot: number | null;
		position: number;
		options: { id: number; code: string }[] | string | null;
	}>(
		db,
		sql`select c.id, c.code, c.year, c.opens_on::text as opens_on,
					c.closes_on::text as closes_on,
					exists (select 1 from evaluation_snapshot s
						where s.year = c.year and s.kind = 'published') as published,
					array_to_string(c.channels, ',') as channels,
					c.questionnaire_id,
					qn.code || '@' || qn.version as questionnaire,
					q.id as question_id, q.code as question_code, q.kind::text as kind, q.slot, q.position,
					(select json_agg(json_build_object('id', o.id, 'code', o.code) order by o.position)
						from question_option o where o.question_id = q.id) as options
				from campaign c
				join questionnaire qn on qn.id = c.questionnaire_id
				join question q on q.questionnaire_id = c.questionnaire_id
				${code === undefined ? sql`` : sql`where c.code = ${code}`}
				order by c.id, q.position, q.id`
	);
	const out = new Map<string, CampaignRef>();
	for (const r of found) {
		let c = out.get(r.code);
		if (!c) {
			c = {
				id: Number(r.id),
				code: r.code,
				year: Number(r.year),
				opensOn: r.opens_on,
				closesOn: r.closes_on,
				published: Boolean(r.published),
				channels: r.channels.split(',') as ResponseChannel[],
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
			position: Number(r.position),
			options: new Map(
				(typeof r.options === 'string' ? JSON.parse(r.options) : (r.options ?? [])).map(
					(o: { id: number; code: string }) => [o.code, Number(o.id)]
				)
			)
		});
	}
	return out;
}

/** A campaign with its questions by code (undefined when there is none), through the cache. */
const cachedCampaign = (db: Executor, code: string) =>
	cached(db, 'campaigns', code, async () => (await campaignRefs(db, code)).get(code));

/** The campaign's question codes, in questionnaire order, for "no question X" messages. */
export const questionCodes = (c: CampaignRef) => [...c.questions.keys()].join(', ');

/** The rating columns in slot order, for SQL. */
export const RATING_COLUMNS = Array.from({ length: RATING_SLOTS }, (_, i) => `r${i + 1}`);

/** A valid response, its answers as stored (levels, trimmed texts), ready to be written. */
interface Checked {
	key: string;
	campaign: CampaignRef;
	channel: ResponseChannel;
	submittedAt: Date;
	/** Rating levels per department id, in slot order. */
	levels: Map<number, (number | null)[]>;
	texts: { departmentId: number; questionId: number; body: string }[];
	choices: { departmentId: number; questionId: number; optionId: number }[];
	answers: (StoredAnswer & { position: number })[];
}

type Problems = { path: string; problem: ResponseProblem }[];

/**
 * Every problem of the body, with its path; or the response ready to be stored. The problems
 * are those the import finds in the same response's rows (tests/integration/response-rules):
 * a NUL anywhere is said alone (the import cannot even stage such a row); an answer is checked
 * against its question; and a repeated answer counts among the answers with no other problem
 * of a response with none.
 */
async function check(db: Executor, body: unknown): Promise<{ problems: Problems } | Checked> {
	const known = withoutUnknownFields(body);
	const problems: Problems = known.unknown.map((path) => ({
		path,
		problem: { code: 'unknown_field' }
	}));
	const parsed = responseBodySchema.safeParse(known.body);
	if (!parsed.success) {
		for (const issue of parsed.error.issues)
			problems.push({ path: issue.path.map(String).join('.'), problem: problemOf(issue) });
		return { problems };
	}
	const input = parsed.data;
	if (!input.answers) problems.push({ path: 'answers', problem: { code: 'required' } });
	const fields = [
		['response_key', input.response_key],
		['campaign_code', input.campaign_code],
		['channel', input.channel],
		['submitted_at', input.submitted_at]
	] as const;
	const nul = fields.filter(([, f]) => f.problem?.code === 'response_nul');
	if (nul.length > 0) {
		for (const [path, f] of nul) problems.push({ path, problem: f.problem! });
		return { problems };
	}
	const given = input.answers ?? [];
	for (const [path, f] of fields) if (f.problem) problems.push({ path, problem: f.problem });

	// Reference data, from this process's cache (reference-cache.ts) when it can.
	const [campaign, departments] = await Promise.all([
		input.campaign_code.problem ? undefined : cachedCampaign(db, input.campaign_code.value),
		cached(db, 'departments', '*', () => allDepartmentIds(db))
	]);
	if (!input.campaign_code.problem && !campaign)
		problems.push({
			path: 'campaign_code',
			problem: { code: 'response_campaign_unknown', params: { code: input.campaign_code.value } }
		});
	if (campaign && !input.channel.problem) {
		const refused = channelProblem(input.channel.value, campaign);
		if (refused) problems.push({ path: 'channel', problem: refused });
	}
	if (campaign && !input.submitted_at.problem) {
		const outside = submissionProblem(input.submitted_at.value, campaign);
		if (outside) problems.push({ path: 'submitted_at', problem: outside });
	}

	const responseProblems = problems.length;
	const levels = new Map<number, (number | null)[]>();
	const texts: Checked['texts'] = [];
	const choices: Checked['choices'] = [];
	const answers: Checked['answers'] = [];
	const seen = new Map<string, number>();
	given.forEach((a, i) => {
		const at = `answers.${i}`;
		const answerNul = typeof a.answer === 'string' && a.answer.includes('\0');
		const isNul = (f: Field) => f.problem?.code === 'response_nul';
		if (isNul(a.department_code) || isNul(a.question_code) || answerNul) {
			const column = isNul(a.department_code)
				? 'department_code'
				: isNul(a.question_code)
					? 'question_code'
					: 'answer';
			problems.push({ path: `${at}.${column}`, problem: { code: 'response_nul' } });
			return;
		}
		const before = problems.length;
		const departmentCode = a.department_code.problem ? null : a.department_code.value;
		let departmentId: number | undefined;
		if (a.department_code.problem)
			problems.push({ path: `${at}.department_code`, problem: a.department_code.problem });
		else {
			departmentId = departments.get(departmentCode!);
			if (departmentId === undefined)
				problems.push({
					path: `${at}.department_code`,
					problem: { code: 'department_unknown', params: { code: departmentCode! } }
				});
		}
		let question: QuestionRef | undefined;
		if (a.question_code.problem)
			problems.push({ path: `${at}.question_code`, problem: a.question_code.problem });
		else if (campaign) {
			question = campaign.questions.get(a.question_code.value);
			if (!question)
				problems.push({
					path: `${at}.question_code`,
					problem: {
						code: 'response_question_unknown',
						params: {
							code: a.question_code.value,
							questionnaire: campaign.questionnaire,
							codes: questionCodes(campaign)
						}
					}
				});
		}
		let answer: StoredAnswer['answer'] | null = null;
		if (question && isChoice(question.kind)) {
			const codes = choiceAnswer(a.answer, question.kind as 'single' | 'multiple', [
				...question.options.keys()
			]);
			if (codes === null)
				problems.push({
					path: `${at}.answer`,
					problem: {
						code: 'response_choice',
						params: { choices: [...question.options.keys()].join(', ') }
					}
				});
			else {
				const order = [...question.options.keys()];
				codes.sort((x, y) => order.indexOf(x) - order.indexOf(y));
				answer = question.kind === 'single' ? codes[0]! : codes;
			}
		} else if (question?.kind === 'rating') {
			answer = ratingLevel(a.answer);
			if (answer === null)
				problems.push({
					path: `${at}.answer`,
					problem: { code: 'response_rating', params: { value: shownAnswer(a.answer) } }
				});
		} else if (question) {
			answer = textAnswer(a.answer);
			if (answer === null)
				problems.push({
					path: `${at}.answer`,
					problem: { code: 'response_text', params: { max: TEXT_ANSWER_MAX } }
				});
		}
		if (
			problems.length > before ||
			responseProblems > 0 ||
			answer === null ||
			!question ||
			departmentId === undefined
		)
			return;
		const pair = `${departmentCode}\u0000${question.code}`;
		const first = seen.get(pair);
		if (first !== undefined) {
			problems.push({
				path: at,
				problem: {
					code: 'response_answer_repeated',
					params: {
						department: departmentCode!,
						question: question.code,
						path: `answers.${first}`
					}
				}
			});
			return;
		}
		seen.set(pair, i);
		if (typeof answer !== 'number' && isChoice(question.kind))
			for (const code of typeof answer === 'string' ? [answer] : answer)
				choices.push({
					departmentId,
					questionId: question.id,
					optionId: question.options.get(code)!
				});
		else if (typeof answer === 'number') {
			let slots = levels.get(departmentId);
			if (!slots) levels.set(departmentId, (slots = Array(RATING_SLOTS).fill(null)));
			slots[question.slot! - 1] = answer;
		} else texts.push({ departmentId, questionId: question.id, body: answer as string });
		answers.push({
			department_code: departmentCode!,
			question_code: question.code,
			answer,
			position: question.position
		});
	});
	if (
		problems.length > 0 ||
		!campaign ||
		input.response_key.problem ||
		input.channel.problem ||
		input.submitted_at.problem
	)
		return { problems };
	answers.sort(
		(a, b) => compareCodes(a.department_code, b.department_code) || a.position - b.position
	);
	return {
		key: input.response_key.value,
		campaign,
		channel: input.channel.value,
		submittedAt: input.submitted_at.value,
		levels,
		texts,
		choices,
		answers
	};
}

/** An answer as a message shows it: a text as it is (as in a file's cell), anything else as JSON. */
const shownAnswer = (v: unknown) => (typeof v === 'string' ? v.trim() : (JSON.stringify(v) ?? ''));

const compareCodes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Whether a stored response is the response `r` describes — what "the same body" means for a
 * reused `response_key`: the same campaign, channel and submission instant, and the same set of
 * answers, each a (department, question, answer) with the answer as stored (a rating level,
 * `4` and `"4"` alike; a text trimmed). The order of the answers does not matter. The import
 * applies the same definition in SQL (surveys/import/write.ts).
 */
export function sameResponse(stored: Stored, r: Checked): boolean {
	if (
		stored.response.campaign_code !== r.campaign.code ||
		stored.response.channel !== r.channel ||
		stored.at.getTime() !== r.submittedAt.getTime() ||
		stored.response.answers.length !== r.answers.length
	)
		return false;
	const key = (a: StoredAnswer) =>
		`${a.department_code}\u0000${a.question_code}\u0000${typeof a.answer}\u0000${JSON.stringify(a.answer)}`;
	const mine = new Set(r.answers.map(key));
	return stored.response.answers.every((a) => mine.has(key(a)));
}

/**
 * Stores one response from the API body. `created` is false when this very response was stored
 * before under its `response_key`: then nothing is written and the stored one is returned.
 * Refuses (`DomainError`) with `response_invalid` and every problem in its details; with
 * `response_key_conflict` when the key holds another response, `response_key_busy` while an
 * import is writing it, `response_year_published` when the year's results are published.
 */
/** Where a response came from, besides its body: never shown to a department. */
export interface Provenance {
	/** The respondent, when known (an invitation's enterprise). */
	enterpriseId?: number | null;
	/** The supervisor who took it (phone, field or paper console). */
	interviewerId?: number | null;
	/** The visit it was taken on (field console). */
	visitId?: string | null;
	/** Through an open link: nobody vouches for who answered. */
	unverified?: boolean;
	/**
	 * The source answers once per department (an invitation; an open link in one browser): its
	 * claim rows are written by the response's own statement, one per department answered about,
	 * and one that exists already aborts the whole statement (SQLSTATE 23505; see respond.ts).
	 * A response stored before under the same key by the same source is that response again.
	 */
	claim?: Claim;
}

/** Who claims the departments a response answers about (see `Provenance.claim`). */
export type Claim =
	| { kind: 'invitation'; invitationId: number }
	| { kind: 'open_link'; campaignId: number; browserHash: string };

export async function submitResponse(
	db: Executor,
	body: unknown,
	opts: Provenance = {}
): Promise<{ created: boolean; response: StoredResponse }> {
	const checked = await check(db, body);
	if ('problems' in checked)
		throw new DomainError('response_invalid', {
			details: checked.problems.map(({ path, problem }) => ({ field: path, ...problem }))
		});
	const refuse = (problem: ResponseProblem, field: string) =>
		new DomainError(problem.code, {
			params: problem.params,
			field,
			details: [{ field, ...problem }]
		});
	// The stored response, when the key has one: the same, or a conflict. A source's retry (its
	// answer was lost on the way) is what it stored, as it stored it; a key another source
	// stored is never its answer.
	const replay = async (stored: Stored) => {
		if (opts.claim) {
			if (await claims(db, opts.claim, stored.response.id))
				return { created: false, response: stored.response };
			throw refuse({ code: 'response_key_conflict', params: { key: checked.key } }, 'response_key');
		}
		if (!sameResponse(stored, checked))
			throw refuse({ code: 'response_key_conflict', params: { key: checked.key } }, 'response_key');
		return { created: false, response: stored.response };
	};

	// A published year takes no new response; a response it already has may still be sent again.
	// (A publication committed while this request runs is not waited for: the results it
	// publishes were computed from an earlier draft, which this response is not in either.)
	if (checked.campaign.published) {
		const stored = await storedResponse(db, checked.key);
		if (stored) return replay(stored);
		throw refuse(
			{ code: 'response_year_published', params: { year: checked.campaign.year } },
			'campaign_code'
		);
	}
	let id: number | null;
	try {
		id = await insertResponse(db, checked, opts);
	} catch (e) {
		// The key is being written by an import that has not committed yet (the insert waits for
		// it up to the connection's lock timeout): the client sends it again later.
		if (hasSqlState(e, '55P03')) throw refuse({ code: 'response_key_busy' }, 'response_key');
		throw e;
	}
	if (id === null) {
		const stored = await storedResponse(db, checked.key);
		// The conflicting row is committed (the insert waited for it) and never deleted.
		if (!stored) throw new Error(`response ${checked.key} conflicts but cannot be read`);
		return replay(stored);
	}
	return {
		created: true,
		response: {
			id,
			response_key: checked.key,
			campaign_code: checked.campaign.code,
			channel: checked.channel,
			submitted_at: formatDateTime(checked.submittedAt),
			answers: checked.answers.map(({ department_code, question_code, answer }) => ({
				department_code,
				question_code,
				answer
			}))
		}
	};
}

/** Whether a driver's error (or one it wraps) carries this SQLSTATE. */
export function hasSqlState(e: unknown, state: string): boolean {
	for (let x = e as { code?: string; cause?: unknown } | undefined; x; x = x.cause as typeof x)
		if (x.code === state) return true;
	return false;
}

/**
 * One statement: the response, its rating rows (one per department, levels pivoted into their
 * slots) and its text answers, all written only when the response row was; null when a
 * response with this key already exists. A single statement is atomic by itself.
 */
async function insertResponse(db: Executor, r: Checked, p: Provenance): Promise<number | null> {
	const parts: SQL[] = [
		sql`with ins as (
			insert into survey_response (response_key, campaign_id, channel, submitted_at,
				enterprise_id, interviewer_id, visit_id, unverified)
			values (${r.key}, ${r.campaign.id}::int, ${r.channel}::response_channel,
				${r.submittedAt.toISOString()}::timestamptz, ${p.enterpriseId ?? null}::int,
				${p.interviewerId ?? null}::int, ${p.visitId ?? null}::text, ${p.unverified ?? false})
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
			select ins.id, v.department_id, ${r.campaign.id}::int, ${sql.raw(
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
	if (r.choices.length > 0) {
		const values = sql.join(
			r.choices.map((c) => sql`(${c.departmentId}::int, ${c.questionId}::int, ${c.optionId}::int)`),
			sql`, `
		);
		parts.push(sql`, choices as (
			insert into survey_choice_answer (response_id, department_id, question_id, option_id)
			select ins.id, v.department_id, v.question_id, v.option_id
			from ins cross join (values ${values}) as v(department_id, question_id, option_id))`);
	}
	if (p.claim) {
		const ids = new Set([
			...r.levels.keys(),
			...r.texts.map((t) => t.departmentId),
			...r.choices.map((c) => c.departmentId)
		]);
		const values = sql.join(
			[...ids].map((d) => sql`(${d}::int)`),
			sql`, `
		);
		const c = p.claim;
		parts.push(
			c.kind === 'invitation'
				? sql`, claim as (
					insert into invitation_answer (invitation_id, department_id, response_id)
					select ${c.invitationId}::int, v.department_id, ins.id
					from ins cross join (values ${values}) as v(department_id))`
				: sql`, claim as (
					insert into open_link_answer (campaign_id, browser_hash, department_id, response_id)
					select ${c.campaignId}::int, ${c.browserHash}::text, v.department_id, ins.id
					from ins cross join (values ${values}) as v(department_id))`
		);
	}
	parts.push(sql` select id::text as id from ins`);
	const [row] = await rows<{ id: string }>(db, sql.join(parts, sql``));
	return row ? Number(row.id) : null;
}

/** Whether the source of `claim` recorded the response `responseId` as its answer. */
async function claims(db: Executor, claim: Claim, responseId: number): Promise<boolean> {
	const [r] = await rows<{ n: number }>(
		db,
		claim.kind === 'invitation'
			? sql`select count(*)::int as n from invitation_answer
				where invitation_id = ${claim.invitationId}::int and response_id = ${responseId}::bigint`
			: sql`select count(*)::int as n from open_link_answer
				where campaign_id = ${claim.campaignId}::int and browser_hash = ${claim.browserHash}::text
					and response_id = ${responseId}::bigint`
	);
	return Number(r?.n ?? 0) > 0;
}

/** A stored response and its exact submission instant (the API shows it to the second). */
interface Stored {
	response: StoredResponse;
	at: Date;
}

/** A stored response with its answers (ratings unpivoted), or null. */
export async function getResponse(db: Executor, key: string): Promise<StoredResponse | null> {
	return (await storedResponse(db, key))?.response ?? null;
}

async function storedResponse(db: Executor, key: string): Promise<Stored | null> {
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
		kind: QuestionKind;
		codes: string[] | null;
	}>(
		db,
		sql`select department_code, question_code, level, body, kind, codes from (
				select d.code as department_code, q.code as question_code, q.position,
					s.level::int as level, null::text as body, q.kind::text as kind,
					null::text[] as codes
				from survey_rating sr
				join department d on d.id = sr.department_id
				cross join lateral (values ${slots}) as s(slot, level)
				join question q on q.questionnaire_id = ${r.questionnaire_id} and q.slot = s.slot
				where sr.response_id = ${r.id}::bigint and s.level is not null
				union all
				select d.code, q.code, q.position, null, t.body, q.kind::text, null
				from survey_text_answer t
				join department d on d.id = t.department_id
				join question q on q.id = t.question_id
				where t.response_id = ${r.id}::bigint
				union all
				select d.code, q.code, q.position, null, null, q.kind::text,
					array_agg(o.code order by o.position)
				from survey_choice_answer ch
				join department d on d.id = ch.department_id
				join question q on q.id = ch.question_id
				join question_option o on o.id = ch.option_id
				where ch.response_id = ${r.id}::bigint
				group by d.code, q.code, q.position, q.kind
			) a order by department_code collate "C", position`
	);
	const at = new Date(r.submitted_at);
	return {
		at,
		response: {
			id: Number(r.id),
			response_key: r.response_key,
			campaign_code: r.campaign_code,
			channel: r.channel,
			submitted_at: formatDateTime(at),
			answers: answers.map((a) => ({
				department_code: a.department_code,
				question_code: a.question_code,
				answer:
					a.codes !== null
						? a.kind === 'single'
							? a.codes[0]!
							: a.codes
						: a.level === null
							? (a.body ?? '')
							: Number(a.level)
			}))
		}
	};
}
