// The floors every goal is measured against, in the same run on the same server: PostgreSQL's
// own COPY of the responses file into a bare table, and one GROUP BY over the same answers in
// a bare typed table.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Sql } from './database';

export const COPY_TABLE = 'bench_copy_floor';
export const ANSWERS_TABLE = 'bench_floor_answers';

/** The rating questions of standard-appraisal in slot order (r1 … r6 of `survey_rating`). */
export const RATING_COLUMNS = [
	'transparency',
	'service',
	'integrity',
	'attitude',
	'quality',
	'efficiency'
] as const;

/**
 * COPY of the responses file (header + one row per answer) into a bare table with the file's
 * columns, streamed from disk like the importer reads it. Returns the rows copied.
 */
export async function copyResponsesFile(sql: Sql, file: string): Promise<number> {
	await sql.unsafe(`drop table if exists ${COPY_TABLE}`);
	await sql.unsafe(`create table ${COPY_TABLE} (
		response_key text, campaign_code text, channel text, submitted_at timestamptz,
		department_code text, question_code text, answer smallint)`);
	const writable = await sql
		.unsafe(`copy ${COPY_TABLE} from stdin with (format csv, header true)`)
		.writable();
	await pipeline(createReadStream(file), writable);
	const [r] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${COPY_TABLE}`);
	return r?.n ?? 0;
}

/**
 * The bare table of the year-computation floor: one row per response and department, one
 * `smallint` column per rating question, loaded from the answers the importer stored.
 */
export async function buildAnswersTable(sql: Sql): Promise<number> {
	await sql.unsafe(`drop table if exists ${ANSWERS_TABLE}`);
	await sql.unsafe(`create table ${ANSWERS_TABLE} (response_id bigint not null,
		department_id integer not null, ${RATING_COLUMNS.map((c) => `${c} smallint`).join(', ')})`);
	await sql.unsafe(`insert into ${ANSWERS_TABLE}
		select response_id, department_id, r1, r2, r3, r4, r5, r6 from survey_rating`);
	await sql.unsafe(`vacuum analyze ${ANSWERS_TABLE}`);
	const [r] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${ANSWERS_TABLE}`);
	return r?.n ?? 0;
}

/** One GROUP BY: per department, the responses and the mean points of each question. */
export const FLOOR_QUERY = `select department_id, count(*) as responses, ${RATING_COLUMNS.map(
	(c) => `avg((${c} - 1) * 25) filter (where ${c} > 0) as ${c}`
).join(', ')}
from ${ANSWERS_TABLE} group by department_id order by department_id`;

export async function groupByFloor(sql: Sql): Promise<number> {
	const result = await sql.unsafe(FLOOR_QUERY);
	return result.length;
}

export async function explainFloor(sql: Sql): Promise<string[]> {
	const plan = await sql.unsafe<{ 'QUERY PLAN': string }[]>(
		`explain (analyze, buffers, timing) ${FLOOR_QUERY}`
	);
	return plan.map((p) => p['QUERY PLAN']);
}

/**
 * Writes the answers of the COPY table into the app's tables set-based, for when the app's
 * importer is not available or failed: the year computation can still be measured.
 */
export async function loadResponsesDirect(sql: Sql): Promise<void> {
	await sql.begin(async (tx) => {
		await tx.unsafe(`insert into survey_response (response_key, campaign_id, channel, submitted_at)
			select distinct on (f.response_key) f.response_key, c.id, f.channel::response_channel, f.submitted_at
			from ${COPY_TABLE} f join campaign c on c.code = f.campaign_code
			order by f.response_key`);
		await tx.unsafe(`insert into survey_rating (response_id, department_id, campaign_id,
				r1, r2, r3, r4, r5, r6)
			select r.id, d.id, r.campaign_id,
				${RATING_COLUMNS.map((c) => `max(f.answer) filter (where f.question_code = '${c}')`).join(', ')}
			from ${COPY_TABLE} f
			join survey_response r on r.response_key = f.response_key
			join department d on d.code = f.department_code
			group by r.id, d.id, r.campaign_id`);
	});
}
