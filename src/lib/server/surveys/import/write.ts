// Writing the checked responses: `survey_response` rows with the ids the aggregation reserved,
// their ratings (one row per response and department) and their text answers. The common case
// — none of the file's keys stored yet — inserts straight from `response_agg`, no lookup of the
// keys at all. A key stored before, by an earlier import or the API, or by one running now,
// makes that insert fail on the unique key (after waiting for the other writer to commit); the
// file is then written the careful way: the responses whose key is new, and for the others a
// comparison with what is stored — the same response is left as it is (`existing`), another
// one under the same key is a row error, as `POST /api/v1/responses` answers it 409.
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '$lib/server/db';
import { hasSqlState, RATING_COLUMNS } from '../responses';
import type { Summary } from './check';
import { countNewlines, linesOf, numberRows } from './lines';
import type { ErrorSink } from './report';
import { channelCode, channelEnum, instantOf, storedLevels, trimmed, unpack } from './rules';
import type { Staged } from './stage';

/** Returns how many responses were written; key conflicts go to the sink (nothing written). */
export async function write(
	tx: Tx,
	summary: Summary,
	sink: ErrorSink,
	staged: Staged
): Promise<{ created: number }> {
	try {
		await tx.transaction(async (sp) => {
			await insertResponses(sp, summary, false);
			await insertAnswers(sp, summary, false);
		});
		return { created: summary.responses };
	} catch (e) {
		if (!hasSqlState(e, '23505')) throw e;
	}
	await insertResponses(tx, summary, true);
	if (await findConflicts(tx, summary, sink, staged)) return { created: 0 };
	await insertAnswers(tx, summary, true);
	const [c] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from response_new`);
	return { created: Number(c!.n) };
}

/** The responses' instants: cast, or looked up when the file had times in other formats. */
function instants(summary: Summary, cell: string) {
	const odd = summary.oddTimes;
	return {
		at: odd ? instantOf(cell, 't', 'k', 'x') : sql.raw(`(${cell} || '+08')::timestamptz`),
		joins: odd
			? sql.raw(`left join pingyi_response_day t on t.day = left(${cell}, 10)
				left join pingyi_response_clock k on k.t = substr(${cell}, 11)
				left join response_time x on x.raw = ${cell}`)
			: sql``
	};
}

/**
 * The responses, in key order (their ids are in that order too). Carefully: only those whose
 * key is new (`ON CONFLICT DO NOTHING`, which waits for a concurrent writer of the key), their
 * ids kept in `response_new`.
 */
async function insertResponses(tx: Tx, summary: Summary, carefully: boolean) {
	const { at, joins } = instants(summary, 'r.at');
	// `response_agg` was written in id order, and a scan of it reads it so: no sort needed.
	const insert = sql`insert into survey_response (id, response_key, campaign_id, channel, submitted_at)
		overriding system value
		select r.id, r.response_key, r.k / 8, ${channelEnum('r.k % 8')}, ${at}
		from response_agg r ${joins}`;
	if (!carefully) {
		await tx.execute(insert);
		return;
	}
	await tx.execute(sql`create temp table response_new (id bigint primary key) on commit drop`);
	await tx.execute(sql`with ins as (${insert} on conflict (response_key) do nothing returning id)
		insert into response_new (id) select id from ins`);
	await tx.execute(sql`analyze response_new`);
}

/** Ratings and text answers of the responses written (carefully: those in `response_new`). */
async function insertAnswers(tx: Tx, summary: Summary, carefully: boolean) {
	const written = carefully ? sql`join response_new n on n.id = r.id` : sql``;
	const multi = summary.multi > 0;
	await tx.execute(sql`insert into survey_rating
			(response_id, department_id, campaign_id, ${sql.raw(RATING_COLUMNS.join(', '))})
		select r.id, d.id, r.k / 8, ${unpack('r.levels')}
		from (select id, department, k, levels from response_agg
				where levels is not null ${multi ? sql`and department = department_max` : sql``}
			${
				multi
					? sql`union all
				select g.id, a.department, g.k, a.levels
				from response_agg_department a join response_agg g using (response_key)
				where a.levels is not null`
					: sql``
			}) r
		${written}
		join department d on d.code = r.department
		${multi ? sql`order by r.id, d.id` : sql``}`);
	if (summary.texts > 0)
		await tx.execute(sql`insert into survey_text_answer (response_id, department_id, question_id, body)
			select r.id, d.id, q.question_id, ${trimmed('s.answer')}
			from response_raw s
			join response_question q on q.campaign_code = s.campaign_code
				and q.question_code = s.question_code and q.is_text
			join response_agg r on r.response_key = s.response_key
			${written}
			join department d on d.code = s.department_code`);
}

/**
 * The file's responses whose key was stored already (not in `response_new`), compared with what
 * is stored as `sameResponse` compares for the API: campaign, channel, instant, and the same
 * answers — the packed rating levels per department and the texts per department and question.
 * Each that differs is a row error on its first line. Whether there was any.
 */
async function findConflicts(
	tx: Tx,
	summary: Summary,
	sink: ErrorSink,
	staged: Staged
): Promise<boolean> {
	const { at, joins } = instants(summary, 'r.at');
	await tx.execute(sql`create temp table response_existing on commit drop as
		select r.response_key, e.id as stored_id,
			e.campaign_id * 8 + ${channelCode('e.channel::text')} <> r.k or e.submitted_at <> ${at}
				as differs
		from response_agg r
		join survey_response e on e.response_key = r.response_key
		${joins}
		where not exists (select 1 from response_new n where n.id = r.id)`);
	const multi = summary.multi > 0;
	await tx.execute(sql`update response_existing x set differs = true
		from (select response_key from (
				select r.response_key, r.department, r.levels
				from response_agg r join response_existing using (response_key)
				where r.levels is not null ${multi ? sql`and r.department = r.department_max` : sql``}
				${
					multi
						? sql`union all
					select a.response_key, a.department, a.levels
					from response_agg_department a join response_existing using (response_key)
					where a.levels is not null`
						: sql``
				}) f
			full join (
				select e.response_key, d.code as department, ${storedLevels('sr')} as levels
				from response_existing e
				join survey_rating sr on sr.response_id = e.stored_id
				join department d on d.id = sr.department_id) s using (response_key, department)
			where f.levels is distinct from s.levels) m
		where x.response_key = m.response_key`);
	await tx.execute(sql`update response_existing x set differs = true
		from (select response_key from (
				select s.response_key, s.department_code, s.question_code, ${trimmed('s.answer')} as body
				from response_raw s join response_existing using (response_key)
				join response_question q on q.campaign_code = s.campaign_code
					and q.question_code = s.question_code and q.is_text) f
			full join (
				select e.response_key, d.code as department_code, q.code as question_code, t.body
				from response_existing e
				join survey_text_answer t on t.response_id = e.stored_id
				join department d on d.id = t.department_id
				join question q on q.id = t.question_id) s
				using (response_key, department_code, question_code)
			where f.body is distinct from s.body) m
		where x.response_key = m.response_key`);
	const [c] = await rows<{ n: number }>(
		tx,
		sql`select count(*)::int as n from response_existing where differs`
	);
	const total = Number(c!.n);
	if (total === 0) return false;
	// Said on each response's first row: the rows' numbers are needed now.
	await numberRows(tx, staged);
	if (staged.copied) await countNewlines(tx);
	const listed = await rows<{ ordinal: number; response_key: string }>(
		tx,
		sql`select x.response_key, min(s.ordinal) as ordinal
			from response_existing x join response_raw s using (response_key)
			where x.differs group by x.response_key order by 2 limit ${sink.room}`
	);
	const lines = await linesOf(
		tx,
		listed.map((l) => l.ordinal),
		staged
	);
	for (const l of listed)
		sink.problem(lines.get(Number(l.ordinal)) ?? 0, 'response_key', {
			code: 'response_key_conflict',
			params: { key: l.response_key }
		});
	sink.more += total - listed.length;
	return true;
}
