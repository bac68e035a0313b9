// The working-day calendar: Monday–Friday, minus the listed holidays, plus the listed adjusted
// workdays (调休上班). Cases and complaint responses are timed against it (scoring.md §2.2, §2.3).
import { asc, between, eq, sql } from 'drizzle-orm';
import type { CalendarEntry } from '$lib/domain/working-days';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import { rows, type Executor } from '$lib/server/db';
import { calendarDay } from '$lib/server/db/schema';
import type { CalendarKind } from '$lib/schemas/calendar';

export type { CalendarEntry, CalendarKind };

/**
 * The listed days of a year, in date order: the calendar page's reader (`calendarOf` of
 * $lib/domain/working-days makes them a calendar). Cases and the year computation read the
 * calendar in SQL (`./working-days-sql`).
 */
export async function listYear(db: Executor, year: number): Promise<CalendarEntry[]> {
	return db
		.select({ date: calendarDay.date, kind: calendarDay.kind })
		.from(calendarDay)
		.where(between(calendarDay.date, `${year}-01-01`, `${year}-12-31`))
		.orderBy(asc(calendarDay.date));
}

/** The years that have listed days, newest first, with how many of each kind. */
export async function years(
	db: Executor
): Promise<{ year: number; holidays: number; workdays: number }[]> {
	const r = await rows<{ year: number; holidays: number; workdays: number }>(
		db,
		sql`select extract(year from date)::int as year,
				count(*) filter (where kind = 'holiday')::int as holidays,
				count(*) filter (where kind = 'workday')::int as workdays
			from calendar_day group by 1 order by 1 desc`
	);
	return r.map((x) => ({
		year: Number(x.year),
		holidays: Number(x.holidays),
		workdays: Number(x.workdays)
	}));
}

/** Lists a day; a day already listed is refused (remove it first to change its kind). */
export async function add(
	db: Executor,
	input: CalendarEntry,
	actor: audit.Actor
): Promise<CalendarEntry> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(calendarDay)
			.values({ date: input.date, kind: input.kind })
			.onConflictDoNothing({ target: calendarDay.date })
			.returning({ date: calendarDay.date, kind: calendarDay.kind });
		if (!row) {
			const [existing] = await tx
				.select({ kind: calendarDay.kind })
				.from(calendarDay)
				.where(eq(calendarDay.date, input.date));
			throw new DomainError(
				existing?.kind === input.kind ? 'calendar_day_exists' : 'calendar_day_listed_as_other',
				{ field: 'date' }
			);
		}
		await audit.record(tx, actor, {
			action: 'calendar.add',
			entity: 'calendar_day',
			entityId: row.date,
			changes: audit.diff(null, { date: row.date, kind: row.kind })
		});
		return row;
	});
}

/** Unlists a day: it follows the week again. */
export async function remove(
	db: Executor,
	date: string,
	actor: audit.Actor
): Promise<CalendarEntry> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.delete(calendarDay)
			.where(eq(calendarDay.date, date))
			.returning({ date: calendarDay.date, kind: calendarDay.kind });
		if (!row) throw new DomainError('calendar_day_not_found', { field: 'date' });
		await audit.record(tx, actor, {
			action: 'calendar.remove',
			entity: 'calendar_day',
			entityId: row.date,
			changes: audit.diff({ date: row.date, kind: row.kind }, null)
		});
		return row;
	});
}
