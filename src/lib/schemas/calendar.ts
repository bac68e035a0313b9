// Input schemas for the working-day calendar: a day and its kind, from the page and the CLI.
// Problems are codes of `$lib/errors`, worded in the reader's language when shown.
import { z } from 'zod';
import { startOfDay } from '$lib/domain/time';
import { CALENDAR_KIND } from '$lib/enumerations';
import { choice, dateCell } from './record-rows';

export { CALENDAR_KIND };
export const CALENDAR_KINDS = CALENDAR_KIND.values;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

/** A real local calendar date `YYYY-MM-DD`. */
export const dateSchema = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.refine((v) => startOfDay(v) !== null, 'date');

export const kindSchema = z.enum(CALENDAR_KINDS, {
	error: (issue) => (issue.input === undefined || issue.input === '' ? 'required' : 'calendar_kind')
});

export const addDaySchema = z.object({ date: dateSchema, kind: kindSchema });
export type AddDayInput = z.infer<typeof addDaySchema>;

/** Removing a day changes how late cases and responses are: the box must be ticked. */
export const removeDaySchema = z.object({
	date: dateSchema,
	confirm: z.literal('yes', { error: 'confirm_required' })
});

// --- The holidays file (spec/exchange.md), keyed by date --------------------------------------

export const HOLIDAY_COLUMNS = ['date', 'kind'] as const;

/** The template's Chinese headers; a file may use them instead of the codes. */
export const HOLIDAY_HEADER_LABELS = {
	date: '日期',
	kind: '类型'
} as const satisfies Record<(typeof HOLIDAY_COLUMNS)[number], string>;

/** One row as the downloadable template shows it. */
export const HOLIDAY_EXAMPLE = {
	date: '2026-10-01',
	kind: 'holiday'
} as const satisfies Record<(typeof HOLIDAY_COLUMNS)[number], string>;

export const holidayRowSchema = z.object({ date: dateCell, kind: choice(CALENDAR_KIND) });
export type HolidayRow = z.output<typeof holidayRowSchema>;
