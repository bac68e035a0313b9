// The closer look, when the aggregation saw something that may be wrong: every row checked one
// by one, so that every problem is reported with its line and column, in the codes the API
// reports for the same response.
import { sql } from 'drizzle-orm';
import type { Params as ProblemParams, ProblemCode as ResponseProblemCode } from '$lib/errors';
import {
	FIELD_MAX,
	MAX_ANSWERS,
	parseSubmittedAt,
	RESPONSE_COLUMNS,
	TEXT_ANSWER_MAX
} from '$lib/schemas/responses';
import { rows, type Tx } from '$lib/server/db';
import { aggregate, type Summary } from './check';
import { countNewlines, linesOf, numberRows } from './lines';
import type { ErrorSink } from './report';
import {
	channelAllowed,
	channelCode,
	instantOf,
	KEY_FORBIDDEN,
	levelOf,
	localDay,
	trimmed
} from './rules';
import type { Staged } from './stage';

/**
 * The closer look: cells trimmed, times in other formats read, then every row checked (see
 * `rowChecks`); every problem goes to the sink. Returns the summary of the trimmed rows.
 */
export async function findProblems(
	tx: Tx,
	sink: ErrorSink,
	staged: Staged,
	summary: Summary
): Promise<Summary> {
	await numberRows(tx, staged);
	// Multi-line cells shift lines against ordinals; count them before trimming cells.
	if (staged.copied) await countNewlines(tx);
	if (await normalise(tx)) summary = await aggregate(tx);
	if (summary.oddTimes) await resolveTimes(tx);
	await rowChecks(tx, sink, staged);
	return summary;
}

/**
 * Cells as the checks read them: trimmed, empty as null; rows of empty cells (spreadsheets
 * leave them) dropped. Whether anything changed.
 */
async function normalise(tx: Tx): Promise<boolean> {
	const cell = (c: string) => sql`nullif(${trimmed(c)}, '')`;
	const [u] = await rows<{ n: number }>(
		tx,
		sql`with u as (update response_raw set ${sql.join(
			RESPONSE_COLUMNS.map((c) => sql`${sql.raw(c)} = ${cell(c)}`),
			sql`, `
		)}
			where ${sql.join(
				RESPONSE_COLUMNS.map((c) => sql`${sql.raw(c)} is distinct from ${cell(c)}`),
				sql` or `
			)}
			returning 1)
		select count(*)::int as n from u`
	);
	const [d] = await rows<{ n: number }>(
		tx,
		sql`with d as (delete from response_raw
			where coalesce(${sql.raw(RESPONSE_COLUMNS.join(', '))}) is null returning 1)
		select count(*)::int as n from d`
	);
	return Number(u!.n) + Number(d!.n) > 0;
}

const TIME_PAGE = 10_000;

/**
 * Submission times not written `YYYY-MM-DD HH:mm[:ss]`: Excel's `2026/3/2 7:15`, ISO 8601 with an
 * offset. Read by the same function as the API reads them (`parseSubmittedAt`), a page of
 * distinct values at a time; the valid ones go into `response_time`.
 */
async function resolveTimes(tx: Tx) {
	await tx.execute(sql`create temp table response_time_odd on commit drop as
		select row_number() over () as n, raw from (
			select distinct s.submitted_at as raw from response_raw s
			left join pingyi_response_day t on t.day = left(s.submitted_at, 10)
			left join pingyi_response_clock c on c.t = substr(s.submitted_at, 11)
			where s.submitted_at is not null and (t.day is null or c.t is null)) x`);
	for (let from = 0; ; from += TIME_PAGE) {
		const page = await rows<{ raw: string }>(
			tx,
			sql`select raw from response_time_odd where n > ${from} and n <= ${from + TIME_PAGE}`
		);
		if (page.length === 0) break;
		const valid = page.flatMap((p) => {
			const at = parseSubmittedAt(p.raw);
			return at ? [{ raw: p.raw, at: at.toISOString() }] : [];
		});
		if (valid.length > 0)
			await tx.execute(sql`insert into response_time (raw, at)
				select raw, at from json_to_recordset(${JSON.stringify(valid)}::json)
					as x(raw text, at timestamptz)`);
	}
}

type Found = {
	ordinal: number;
	col: number;
	code: ResponseProblemCode;
	params?: ProblemParams;
	/** The earlier row a problem refers to (repeated answer, inconsistent response). */
	first?: number;
};

const column = (name: (typeof RESPONSE_COLUMNS)[number]) => RESPONSE_COLUMNS.indexOf(name);

/** Required, at most its FIELD_MAX long (cells are trimmed, empty ones null by now). */
const required = (cell: keyof typeof FIELD_MAX, then: string) =>
	`case when ${cell} is null then 'required' when length(${cell}) > ${FIELD_MAX[cell]} then 'too_long' ${then} end`;

/** Each row's problem in each column, if any: the checks of `responseBodySchema` and `check`. */
const CHECKS = sql.raw(`(values
	(0, ${required('response_key', `when response_key ~ ${KEY_FORBIDDEN} then 'response_key_characters'`)}),
	(1, ${required('campaign_code', `when campaign_id is null then 'response_campaign_unknown' when published then 'response_year_published'`)}),
	(2, ${required(
		'channel',
		`when channel_code = 0 then 'response_channel'
		when campaign_id is not null and not ${channelAllowed('channel_mask', 'channel_code')}
			then 'response_channel_not_allowed'`
	)}),
	(3, ${required(
		'submitted_at',
		`when at is null then 'response_submitted_at'
		when campaign_id is null then null
		when left(day, 4)::int <> year then 'response_outside_year'
		when day not between first and last then 'response_outside_campaign'`
	)}),
	(4, ${required('department_code', `when department_id is null then 'department_unknown'`)}),
	(5, ${required('question_code', `when campaign_id is not null and question_id is null then 'response_question_unknown'`)}),
	(6, case when question_id is null then null
		when is_choice then 'response_choice_import'
		when not is_text and level is null then 'response_rating'
		when is_text and coalesce(length(answer) > ${TEXT_ANSWER_MAX}, true) then 'response_text' end)
) as e(col, code)`);

interface CheckedRow {
	ordinal: number;
	col: number;
	code: ResponseProblemCode;
	campaign_code: string;
	channel: string;
	submitted_at: string;
	department_code: string;
	question_code: string;
	answer: string | null;
	year: number;
	first: string;
	last: string;
	questionnaire: string;
	codes: string;
	channels: string;
}

/** The values a row's problem names in its message, as the API names them. */
function paramsOf(r: CheckedRow): ProblemParams | undefined {
	const column = RESPONSE_COLUMNS[r.col]!;
	switch (r.code) {
		case 'too_long':
			return { max: FIELD_MAX[column as keyof typeof FIELD_MAX] };
		case 'response_campaign_unknown':
			return { code: r.campaign_code };
		case 'response_year_published':
		case 'response_outside_year':
			return { year: r.year };
		case 'response_outside_campaign':
			return { first: r.first, last: r.last };
		case 'response_channel':
			return { value: r.channel };
		case 'response_channel_not_allowed':
			return { campaign: r.campaign_code, value: r.channel, channels: r.channels };
		case 'response_submitted_at':
			return { value: r.submitted_at };
		case 'department_unknown':
			return { code: r.department_code };
		case 'response_question_unknown':
			return { code: r.question_code, questionnaire: r.questionnaire, codes: r.codes };
		case 'response_rating':
			return { value: r.answer ?? '' };
		case 'response_text':
			return { max: TEXT_ANSWER_MAX };
		case 'response_choice_import':
			return { question: r.question_code };
		default:
			return undefined;
	}
}

/**
 * The row-by-row checks: every problem with its row (ordinal) and column, in the codes the API
 * reports; then, among the rows without problems, responses whose rows disagree on campaign,
 * channel or time, questions answered twice about one department and responses of too many
 * answers. The first problems by row are listed, all are counted; lines are worked out for
 * those listed.
 */
async function rowChecks(tx: Tx, sink: ErrorSink, staged: Staged) {
	const limit = sink.room;
	const at = instantOf('s.submitted_at', 't', 'k', 'x');
	await tx.execute(sql`create temp table response_check on commit drop as
		select s.ordinal, s.response_key, s.campaign_code, s.channel, s.submitted_at,
			s.department_code, s.question_code, s.answer,
			c.id as campaign_id, c.year, c.first, c.last, c.published, c.questionnaire, c.codes,
			c.channel_mask, c.channels,
			q.question_id, q.is_text, q.is_choice, d.id as department_id,
			${channelCode('s.channel')} as channel_code, ${at} as at, ${localDay(at)} as day,
			${levelOf('s.answer')} as level
		from response_raw s
		left join response_campaign c on c.code = s.campaign_code
		left join response_question q on q.campaign_id = c.id and q.question_code = s.question_code
		left join department d on d.code = s.department_code
		left join pingyi_response_day t on t.day = left(s.submitted_at, 10)
		left join pingyi_response_clock k on k.t = substr(s.submitted_at, 11)
		left join response_time x on x.raw = s.submitted_at`);
	const found: Found[] = [];
	const [counted] = await rows<{ n: number }>(
		tx,
		sql`select count(*)::int as n from response_check cross join lateral ${CHECKS}
			where e.code is not null`
	);
	let total = Number(counted!.n);
	const bad = await rows<CheckedRow>(
		tx,
		sql`select r.*, e.col, e.code from response_check r cross join lateral ${CHECKS}
			where e.code is not null order by r.ordinal, e.col limit ${limit}`
	);
	for (const r of bad)
		found.push({ ordinal: r.ordinal, col: r.col, code: r.code, params: paramsOf(r) });
	if (total > 0)
		await tx.execute(sql`delete from response_check r where exists
			(select 1 from lateral ${CHECKS} where e.code is not null)`);

	// Rows of one response that disagree with its first row.
	await tx.execute(sql`create temp table response_first on commit drop as
		select distinct on (response_key) response_key, ordinal, campaign_id, channel_code, at
		from response_check order by response_key, ordinal`);
	const differs = sql`from response_check r join response_first f using (response_key)
		where r.ordinal <> f.ordinal and (r.campaign_id <> f.campaign_id
			or r.channel_code <> f.channel_code or r.at <> f.at)`;
	const [inconsistent] = await rows<{ n: number }>(
		tx,
		sql`select coalesce(sum((r.campaign_id <> f.campaign_id)::int
			+ (r.channel_code <> f.channel_code)::int + (r.at <> f.at)::int), 0)::int as n ${differs}`
	);
	total += Number(inconsistent!.n);
	const disagreeing = await rows<{
		ordinal: number;
		first: number;
		response_key: string;
		campaign: boolean;
		channel: boolean;
		at: boolean;
	}>(
		tx,
		sql`select r.ordinal, f.ordinal as first, r.response_key,
			r.campaign_id <> f.campaign_id as campaign, r.channel_code <> f.channel_code as channel,
			r.at <> f.at as at
			${differs} order by r.ordinal limit ${limit}`
	);
	for (const d of disagreeing) {
		const problem = (col: number): Found => ({
			ordinal: d.ordinal,
			col,
			code: 'response_inconsistent',
			params: { key: d.response_key },
			first: d.first
		});
		if (d.campaign) found.push(problem(column('campaign_code')));
		if (d.channel) found.push(problem(column('channel')));
		if (d.at) found.push(problem(column('submitted_at')));
	}

	// A question answered twice about one department: every answer after the first.
	const repeated = sql`from (select ordinal, department_code, question_code,
			min(ordinal) over (partition by response_key, department_id, question_id) as first
		from response_check) x where ordinal <> first`;
	const [twice] = await rows<{ n: number }>(tx, sql`select count(*)::int as n ${repeated}`);
	total += Number(twice!.n);
	const duplicates = await rows<{
		ordinal: number;
		first: number;
		department_code: string;
		question_code: string;
	}>(
		tx,
		sql`select ordinal, first, department_code, question_code ${repeated}
			order by ordinal limit ${limit}`
	);
	for (const d of duplicates)
		found.push({
			ordinal: d.ordinal,
			col: column('question_code'),
			code: 'response_answer_repeated',
			params: { department: d.department_code, question: d.question_code },
			first: d.first
		});

	// More answers than a response may have: said once, on the first answer too many.
	const tooMany = sql`from (select ordinal,
			row_number() over (partition by response_key order by ordinal) as n
		from response_check) x where n = ${MAX_ANSWERS + 1}`;
	const [many] = await rows<{ n: number }>(tx, sql`select count(*)::int as n ${tooMany}`);
	total += Number(many!.n);
	for (const t of await rows<{ ordinal: number }>(
		tx,
		sql`select ordinal ${tooMany} order by ordinal limit ${limit}`
	))
		found.push({
			ordinal: t.ordinal,
			col: column('response_key'),
			code: 'response_too_many_answers',
			params: { max: MAX_ANSWERS }
		});
	if (total === 0) return;

	found.sort((a, b) => Number(a.ordinal) - Number(b.ordinal) || a.col - b.col);
	const listed = found.slice(0, limit);
	const lines = await linesOf(
		tx,
		listed.flatMap((p) => (p.first === undefined ? [p.ordinal] : [p.ordinal, p.first])),
		staged
	);
	for (const p of listed) {
		const params: ProblemParams = { ...p.params };
		if (p.first !== undefined) params.line = lines.get(Number(p.first)) ?? 0;
		sink.problem(lines.get(Number(p.ordinal)) ?? 0, RESPONSE_COLUMNS[p.col]!, {
			code: p.code,
			params
		});
	}
	sink.more += total - listed.length;
}
