// Input schemas for the working-day calendar: a day and its kind, from the page and the CLI.
import { z } from 'zod';
import { startOfDay } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';

export const CALENDAR_KINDS = ['holiday', 'workday'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

/** A real local calendar date `YYYY-MM-DD`. */
export const dateSchema = z
	.string({ error: () => m.common_required() })
	.trim()
	.min(1)
	.refine((v) => startOfDay(v) !== null, { error: () => m.form_invalid_date() });

export const kindSchema = z
	.string({ error: () => m.common_required() })
	.refine((v): v is CalendarKind => (CALENDAR_KINDS as readonly string[]).includes(v), {
		error: () => m.calendar_error_kind()
	})
	.transform((v) => v as CalendarKind);

export const addDaySchema = z.object({ date: dateSchema, kind: kindSchema });
export type AddDayInput = z.infer<typeof addDaySchema>;

export const removeDaySchema = z.object({ date: dateSchema });
