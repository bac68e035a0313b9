// Where a staged row is in the file, for the problems that name it: rows get their numbers
// only then (a numbered column would cost COPY a third of its time), and a COPY row's line is
// its number plus the line breaks inside the cells of the rows before it.
import { sql } from 'drizzle-orm';
import { RESPONSE_COLUMNS } from '$lib/schemas/responses';
import { rows, type Tx } from '$lib/server/db';
import type { Staged } from './stage';

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
