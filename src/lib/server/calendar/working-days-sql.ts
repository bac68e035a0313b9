// The working-day rules of $lib/domain/working-days (scoring.md §2.2) in SQL, for the queries
// that time many cases at once: the year computation and the cases list. The pure functions
// are the oracle; tests/integration/working-days-sql.test.ts runs both over the same calendar
// and cases.
//
// Every day gets its working-day ordinal: the working days from a fixed Monday up to and
// including it. The working days d with start < d ≤ end are then ord(end) − ord(start). The
// ordinals of the days from the first listed day (or the range asked for, if earlier) to the
// last are kept in one array, built once per query from the calendar_day rows, so that a case
// costs two array lookups. A day outside the array has no listed day between it and the array
// (the array spans every listed day), so its ordinal is the Monday–Friday count, shifted after
// the array by what the listed days changed: exact, and no scan of the cases is needed to know
// which days they span.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { CaseStatus } from '$lib/domain/working-days';

/** Monday–Friday days from Monday 1 January 1900 up to and including `day` (a SQL date). */
function weekdaysTo(day: SQL): SQL {
	const n = sql`(${day} - date '1900-01-01')`;
	return sql`(5 * (${n} / 7) + least(${n} % 7 + 1, 5))`;
}

/** The Asia/Shanghai date of a timestamptz, at the fixed +08:00 offset as $lib/domain/time. */
export function localDateSql(instant: SQLWrapper): SQL {
	// An interval offset needs no time-zone lookup per row (and Shanghai has kept +08:00 since
	// 1991, before any year the app takes).
	return sql`(${instant} at time zone interval '+08:00')::date`;
}

/** The name the calendar row must have in the query: the expressions below read it. */
export const WORKING_DAY = 'working_day';
const CAL = sql.raw(WORKING_DAY);

/**
 * The calendar as one row (lo, hi, ord, shift), the query of a CTE named WORKING_DAY: the
 * ordinals of the days lo … hi, which span every listed day and `from` … `to` (SQL dates,
 * where most of the query's days fall: outside it is exact too, only a little more arithmetic).
 */
export function workingDayCalendar(range: { from: SQL; to: SQL }): SQL {
	const day = sql.raw('o.day');
	return sql`
		select min(o.day) as lo, max(o.day) as hi,
			array_agg(o.ord order by o.day) as ord,
			max(o.ord) - ${weekdaysTo(sql`max(${day})`)} as shift
		from (
			select g::date as day,
				${weekdaysTo(sql`b.lo - 1`)} + (sum(case
					when cd.kind = 'workday' then 1
					when cd.kind = 'holiday' then 0
					when extract(isodow from g) < 6 then 1
					else 0
				end) over (order by g))::int as ord
			from (select least(${range.from}, min(date)) as lo, greatest(${range.to}, max(date)) as hi
				from calendar_day) b
			cross join generate_series(b.lo, b.hi, interval '1 day') g
			left join calendar_day cd on cd.date = g::date
		) o`;
}

/** The working-day ordinal of `day` (a SQL date); needs the WORKING_DAY row in FROM. */
function ordinal(day: SQL): SQL {
	// An index outside the array reads null: the day is before or after every listed day.
	return sql`coalesce(${CAL}.ord[${day} - ${CAL}.lo + 1],
		${weekdaysTo(day)} + case when ${day} > ${CAL}.hi then ${CAL}.shift else 0 end)`;
}

/** `workingDaysBetween`: the working days d with start < d ≤ end, 0 when end is not after start. */
export function workingDaysBetweenSql(start: SQL, end: SQL): SQL<number> {
	return sql<number>`greatest(${ordinal(end)} - ${ordinal(start)}, 0)`;
}

/** A status as a SQL literal (the names are the domain's, letters and underscores). */
const status = (name: CaseStatus) => sql.raw(`'${name}'`);

/**
 * `caseStatus` of a case whose `accepted` and `completed` are timestamptz columns (completed
 * null while open) and `promised` its working days, open cases measured to `cutoff` (a SQL date).
 */
export function caseStatusSql(
	c: { accepted: SQLWrapper; completed: SQLWrapper; promised: SQLWrapper },
	cutoff: SQL
): SQL<CaseStatus> {
	const accepted = ordinal(localDateSql(c.accepted));
	return sql<CaseStatus>`case
		when ${c.completed} is not null then
			case when ${ordinal(localDateSql(c.completed))} - ${accepted} > ${c.promised}
				then ${status('late')} else ${status('on_time')} end
		when ${ordinal(cutoff)} - ${accepted} > ${c.promised} then ${status('open_overdue')}
		else ${status('open_not_due')}
	end`;
}

/**
 * Whether `caseStatusSql` is `status`, as a filter: open or completed is tested first, so that
 * a filter for open cases times only those (a few in a hundred).
 */
export function caseStatusIs(
	status: CaseStatus,
	c: { accepted: SQLWrapper; completed: SQLWrapper; promised: SQLWrapper },
	cutoff: SQL
): SQL {
	const open = status === 'open_overdue' || status === 'open_not_due';
	return sql`(${c.completed} is ${sql.raw(open ? 'null' : 'not null')}
		and ${caseStatusSql(c, cutoff)} = ${status})`;
}
