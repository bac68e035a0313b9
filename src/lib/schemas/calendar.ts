// Input schemas for the working-day calendar: a day and its kind, from the page and the CLI.
// Problems are codes of `$lib/errors`, worded in the reader's language when shown.
import { z } from 'zod';
import { startOfDay } from '$lib/domain/time';

export const CALENDAR_KINDS = ['holiday', 'workday'] as const;
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
