// Checking the staged rows. The common case costs one aggregation: per response, its campaign
// and channel (one number), time, departments, answers (a bit per question, rating levels
// packed 3 bits a slot) and how many rows hold no valid answer; then one pass over the
// responses says whether anything needs a closer look (problems.ts), which only then checks
// the rows one by one.
import { sql } from 'drizzle-orm';
import { isChoice, isText } from '$lib/domain/questionnaires';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { FIELD_MAX, MAX_ANSWERS, submissionWindow, TEXT_ANSWER_MAX } from '$lib/schemas/responses';
import { rows, type Tx } from '$lib/server/db';
import { campaignRefs, questionCodes } from '../responses';
import {
	channelAllowed,
	channelCode,
	channelMask,
	filledSlots,
	KEY_FORBIDDEN,
	levelBits,
	levelOf,
	trimmed
} from './rules';

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
				channel_mask: channelMask(c.channels),
				channels: c.channels.join(', '),
				questionnaire: c.questionnaire,
				codes: questionCodes(c)
			}))
		)}::json) as x(id int, code text, year int, first text, last text, published boolean,
			channel_mask int, channels text, questionnaire text, codes text)`);
	await tx.execute(sql`create temp table response_question on commit drop as
		select * from json_to_recordset(${json(
			campaigns.flatMap((c) =>
				[...c.questions.values()].map((q, i) => ({
					campaign_code: c.code,
					question_code: q.code,
					campaign_id: c.id,
					question_id: q.id,
					slot: q.slot,
					is_text: isText(q.kind),
					// The file does not carry choice answers: such rows are refused.
					is_choice: isChoice(q.kind),
					// Questionnaires of more than 31 questions share bits: a false alarm at worst,
					// which the row-by-row checks then clear.
					bit: 1 << (i % 31),
					shift: q.slot === null ? null : 3 * (q.slot - 1)
				}))
			)
		)}::json) as x(campaign_code text, question_code text, campaign_id int, question_id int,
			slot int, is_text boolean, is_choice boolean, bit int, shift int)`);
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
				count(*) filter (where q.is_choice) as choices,
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
			count(*) filter (where r.known < r.n or r.bad_texts > 0 or r.choices > 0
				or r.n > ${MAX_ANSWERS}
				or r.response_key is null or length(r.response_key) > ${FIELD_MAX.response_key}
				or r.response_key <> ${trimmed('r.response_key')}
				or r.response_key ~ ${sql.raw(KEY_FORBIDDEN)}
				or r.k is null or r.k <> r.k_max or r.k % 8 = 0 or r.at <> r.at_max
				or c.published or not ${sql.raw(channelAllowed('c.channel_mask', '(r.k % 8)::int'))}
				or left(r.at, 10) not between c.first and c.last
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
