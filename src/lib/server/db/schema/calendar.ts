// The working-day calendar service cases are timed against (scoring.md §2.2).
import { date, pgEnum, pgTable, timestamp } from 'drizzle-orm/pg-core';

export const calendarDayKind = pgEnum('calendar_day_kind', ['holiday', 'workday']);

/**
 * Exceptions to Monday–Friday: a `holiday` on a weekday, or an adjusted `workday` (调休上班) on
 * a weekend. Days not listed follow the week.
 */
export const calendarDay = pgTable('calendar_day', {
	date: date('date', { mode: 'string' }).primaryKey(),
	kind: calendarDayKind('kind').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});
export type CalendarDay = typeof calendarDay.$inferSelect;
