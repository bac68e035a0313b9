// Checking the staged rows. The common case costs one aggregation: per response, its first row,
// campaign and channel (one number), time, departments, answers (a bit per question, rating
// levels packed 3 bits a slot) and how many rows hold no valid answer; then one pass over the
// responses says whether anything needs a closer look. Only then are the rows checked one by
// one, so that every problem is reported with its line and column.
import { sql } from 'drizzle-orm';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import {
	FIELD_MAX,
	MAX_ANSWERS,
	parseSubmittedAt,
	RESPONSE_COLUMNS,
	submissionWindow,
	TEXT_ANSWER_MAX
} from '$lib/schemas/responses';
import type { Params as ProblemParams, ProblemCode as ResponseProblemCode } from '$lib/errors';
import { rows, type Tx } from '$lib/server/db';
import { campaignRefs, questionCodes } from '../responses';
import type { ErrorSink } from './report';
import {
	channelCode,
	filledSlots,
	instantOf,
	KEY_FORBIDDEN,
	levelBits,
	levelOf,
	localDay,
	trimmed
} from './rules';
import type { Staged } from './stage';

export interface Summary {
	responses: number;
	rows: number;
	texts: number;
	/** Responses about several departments (their ratings are pivoted per department). */
	multi: number;
	/** Some submission times are not written `YYYY-MM-DD HH:mm[:ss]` (or are no real moment). */
	oddTimes: boolean;
	/** Something is or may be wrong: the row-by-row checks must say. */
	needsLook: boolean;
}

/**
 * Small lookup tables: every campaign (the days its responses may be submitted on, whether its
 * year is published, its question codes) and its questions (slot, kind, a bit per question for
 * telling repeated answers), from the same `campaignRefs` the API reads; and — kept for the
 * session — the days of the years a response may have and the times of day as files write them,
 * so that a submission time is checked by two hash lookups.
 */
export async function prepareChecks(tx: Tx) {
	const campaigns = [...(await campaignRefs(tx)).values()];
	const json = (v: unknown) => JSON.stringify(v);
	await tx.execute(sql`create temp table response_campaign on commit drop as
		select * from json_to_recordset(${json(
			campaigns.map((c) => ({
				id: c.id,
				code: c.code,
				year: c.year,
				...submissionWindow(c),
				published: c.published,
				questionnaire: c.questionnaire,
				codes: questionCodes(c)
			}))
		)}::json) as x(id int, code text, year int, first text, last text, published boolean,
			questionnaire text, codes text)`);
	await tx.execute(sql`create temp table response_question on commit drop as
		select * from json_to_recordset(${json(
			campaigns.flatMap((c) =>
				[...c.questions.values()].map((q, i) => ({
					campaign_code: c.code,
					question_code: q.code,
					campaign_id: c.id,
					question_id: q.id,
					slot: q.slot,
					is_text: q.kind === 'text',
					// Questionnaires of more than 31 questions share bits: a false alarm at worst,
					// which the row-by-row checks then clear.
					bit: 1 << (i % 31),
					shift: q.slot === null ? null : 3 * (q.slot - 1)
				}))
			)
		)}::json) as x(campaign_code text, question_code text, campaign_id int, question_id int,
			slot int, is_text boolean, bit int, shift int)`);
	await tx.execute(sql`analyze response_campaign`);
	await tx.execute(sql`analyze response_question`);
	const [have] = await rows<{ ok: boolean }>(
		tx,
		sql`select to_regclass('pg_temp.pingyi_response_day') is not null as ok`
	);
	if (!have?.ok) {
		await tx.execute(sql`create temp table pingyi_response_day as
			select to_char(d, 'YYYY-MM-DD') as day
			from generate_series(${`${MIN_YEAR}-01-01`}::date, ${`${MAX_YEAR}-12-31`}::date,
				interval '1 day') d`);
		await tx.execute(sql`create temp table pingyi_response_clock as
			select to_char(time '00:00' + s * interval '1 second', ' HH24:MI:SS') as t
			from generate_series(0, 86399) s
			union all
			select to_char(time '00:00' + s * interval '1 minute', ' HH24:MI')
			from generate_series(0, 1439) s`);
		await tx.execute(sql`analyze pingyi_response_day`);
		await tx.execute(sql`analyze pingyi_response_clock`);
	}
	await tx.execute(sql`create temp table if not exists response_time (
			raw text primary key,
			at timestamptz not null
		) on commit drop`);
}

/**
 * One pass over the staged rows builds `response_agg`, a row per response with its id reserved
 * from the responses' own sequence, in key order (the order the responses are then inserted
 * in, so that two imports wait for each other's keys in one order and never deadlock); then
 * one pass over the responses says whether anything needs a closer look.
 */
export async function aggregate(tx: Tx): Promise<Summary> {
	await tx.execute(sql`drop table if exists response_agg, response_agg_department`);
	const level = levelOf('s.answer');
	// The sequence as a constant: a function call in its place would run once per response.
	const [seq] = await rows<{ oid: number }>(
		tx,
		sql`select pg_get_serial_sequence('survey_response', 'id')::regclass::oid as oid`
	);
	await tx.execute(sql`create temp table response_agg on commit drop as
		select nextval(${sql.raw(String(Number(seq!.oid)))}::regclass) as id, a.* from (
			select s.response_key,
				min(q.campaign_id * 8 + ${channelCode('s.channel')}) as k,
				max(q.campaign_id * 8 + ${channelCode('s.channel')}) as k_max,
				min(s.submitted_at collate "C") as at, max(s.submitted_at collate "C") as at_max,
				min(s.department_code collate "C") as department,
				max(s.department_code collate "C") as department_max,
				count(*) as n,
				-- Rows of an unknown question, of a rating that is no level (its slot stays empty
				-- in \`levels\`), of a text out of bounds: all told apart cheaply per response.
				count(q.bit) as known,
				count(q.slot) as ratings,
				count(*) filter (where q.is_text and coalesce(length(${trimmed('s.answer')})
					not between 1 and ${TEXT_ANSWER_MAX}, true)) as bad_texts,
				count(*) filter (where q.is_text) as texts,
				sum(q.bit) as bits, bit_or(q.bit) as bits_or,
				bit_or(${levelBits(level, 'q.shift')}) as levels
			from response_raw s
			left join response_question q
				on q.campaign_code = s.campaign_code and q.question_code = s.question_code
			group by s.response_key
			order by s.response_key collate "C") a`);
	const [r] = await rows<{
		responses: number;
		rows: number;
		texts: number;
		multi: number;
		suspicious: number;
	}>(
		tx,
		sql`select count(*)::int as responses, coalesce(sum(r.n), 0)::int as rows,
			coalesce(sum(r.texts), 0)::int as texts,
			count(*) filter (where r.department <> r.department_max)::int as multi,
			count(*) filter (where r.known < r.n or r.bad_texts > 0 or r.n > ${MAX_ANSWERS}
				or r.response_key is null or length(r.response_key) > ${FIELD_MAX.response_key}
				or r.response_key <> ${trimmed('r.response_key')}
				or r.response_key ~ ${sql.raw(KEY_FORBIDDEN)}
				or r.k is null or r.k <> r.k_max or r.k % 8 = 0 or r.at <> r.at_max
				or c.published or left(r.at, 10) not between c.first and c.last
				or d.id is null
				or (r.department = r.department_max
					and (r.bits <> r.bits_or or ${filledSlots('r.levels')} <> r.ratings)))::int
				as suspicious
		from response_agg r
		left join response_campaign c on c.id = r.k / 8
		left join department d on d.code = r.department`
	);
	// Times not written YYYY-MM-DD HH:mm[:ss] (or no real moment): told from the few distinct
	// days and times of day rather than per response.
	const [odd] = await rows<{ odd: boolean }>(
		tx,
		sql`select exists (select from (select distinct left(at, 10) as day from response_agg) x
				left join pingyi_response_day t using (day) where t.day is null)
			or exists (select from (select distinct substr(at, 11) as t from response_agg) x
				left join pingyi_response_clock k using (t) where k.t is null) as odd`
	);
	let suspicious = Number(r!.suspicious);
	if (Number(r!.multi) > 0) {
		// Responses about several departments: their answers per department.
		await tx.execute(sql`create temp table response_agg_department on commit drop as
			select s.response_key, s.department_code as department,
				sum(q.bit) as bits, bit_or(q.bit) as bits_or, count(q.slot) as ratings,
				bit_or(${levelBits(level, 'q.shift')}) as levels
			from response_raw s
			join response_question q
				on q.campaign_code = s.campaign_code and q.question_code = s.question_code
			where s.response_key in
				(select response_key from response_agg where department <> department_max)
			group by s.response_key, s.department_code`);
		const [x] = await rows<{ n: number }>(
			tx,
			sql`select count(*)::int as n from response_agg_department a
				left join department d on d.code = a.department
				where d.id is null or a.bits <> a.bits_or
					or ${filledSlots('a.levels')} <> a.ratings`
		);
		suspicious += Number(x!.n);
	}
	return {
		responses: Number(r!.responses),
		rows: Number(r!.rows),
		texts: Number(r!.texts),
		multi: Number(r!.multi),
		oddTimes: Boolean(odd!.odd),
		needsLook: suspicious > 0 || Boolean(odd!.odd)
	};
}

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
 * Gives the staged rows their numbers in file order (`ordinal`, from 1), which the problems'
 * lines are worked out from. A table filled by appending, never updated, is read back in the
 * order its rows were written: their physical order (`ctid`) is the file's.
 */
export async function numberRows(tx: Tx, staged: Staged) {
	if (staged.numbered) return;
	await tx.execute(sql`create temp table response_numbered on commit drop as
		select row_number() over (order by ctid) as ordinal, * from response_raw`);
	await tx.execute(sql`drop table response_raw`);
	await tx.execute(sql`alter table response_numbered rename to response_raw`);
	await tx.execute(sql`create index on response_raw (ordinal)`);
	await tx.execute(sql`analyze response_raw`);
	staged.numbered = true;
}

/**
 * Line breaks inside the cells of each COPY row, summed in file order (error path only, before
 * cells are trimmed; once).
 */
export async function countNewlines(tx: Tx) {
	const [have] = await rows<{ ok: boolean }>(
		tx,
		sql`select to_regclass('pg_temp.response_newlines') is not null as ok`
	);
	if (have?.ok) return;
	const all = sql.raw(`concat_ws(',', ${RESPONSE_COLUMNS.join(', ')})`);
	const normalised = sql`replace(${all}, E'\r\n', E'\n')`;
	await tx.execute(sql`create temp table response_newlines on commit drop as
		select ordinal, sum(n) over (order by ordinal) as before_next
		from (select ordinal,
				length(${normalised}) - length(replace(replace(${normalised}, E'\r', ''), E'\n', '')) as n
			from response_raw
			where strpos(${all}, E'\n') > 0 or strpos(${all}, E'\r') > 0) x`);
	await tx.execute(sql`create index on response_newlines (ordinal)`);
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
	(2, ${required('channel', `when channel_code = 0 then 'response_channel'`)}),
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
			q.question_id, q.is_text, d.id as department_id,
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

/**
 * The physical line of staged rows: ours carry it; COPY's row `ordinal` is on line
 * base + ordinal, plus the line breaks inside the cells of the rows before it.
 */
export async function linesOf(
	tx: Tx,
	ordinals: (number | string)[],
	staged: Staged
): Promise<Map<number, number>> {
	if (ordinals.length === 0) return new Map();
	const shift = staged.copied
		? sql`coalesce((select n.before_next from response_newlines n where n.ordinal < o.ordinal
				order by n.ordinal desc limit 1), 0)`
		: sql`0`;
	const found = await rows<{ ordinal: number; line: number }>(
		tx,
		sql`select o.ordinal, coalesce(s.line, ${staged.lineBase} + o.ordinal + ${shift})::int as line
			from (select distinct value::bigint as ordinal
				from json_array_elements_text(${JSON.stringify(ordinals.map(Number))}::json)) o
			left join response_raw s on s.ordinal = o.ordinal`
	);
	return new Map(found.map((f) => [Number(f.ordinal), Number(f.line)]));
}
