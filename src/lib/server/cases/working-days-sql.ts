// The working days d with start < d ≤ end (scoring.md §2.2) as a SQL expression over the
// calendar_day exceptions: Monday–Friday unless listed as a holiday, weekends only when listed
// as an adjusted workday. The same rule as `workingDaysBetween` in $lib/domain/working-days.
import { sql, type SQL } from 'drizzle-orm';

/** `start` and `end` are SQL `date` expressions; 0 when end is not after start. */
export function workingDaysSql(start: SQL, end: SQL): SQL<number> {
	return sql<number>`(select count(*)::int
		from generate_series((${start} + 1)::timestamp, (${end})::timestamp, interval '1 day') as g(d)
		left join calendar_day cd on cd.date = g.d::date
		where coalesce(cd.kind = 'workday', extract(isodow from g.d) < 6))`;
}
