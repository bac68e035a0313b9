// The rectification forms: assign the city leader, the plan, a progress report, the closure,
// and the list's filters. Problems are codes of `$lib/errors`.
import { z } from 'zod';
import { pageNumber, yearFilter } from './query';

export const TEXT_MAX = 5000;
export const NOTE_MAX = 2000;

const text = (max: number) =>
	z.preprocess(
		(v) => (typeof v === 'string' ? v : ''),
		z.string().trim().min(1, 'required').max(max)
	);

export const assignLeaderSchema = z.object({
	leaderId: z.coerce
		.number({ error: 'rectification_not_a_leader' })
		.int('rectification_not_a_leader')
		.positive('rectification_not_a_leader')
});

export const planSchema = z.object({ plan: text(TEXT_MAX) });

export const reportSchema = z.object({ body: text(TEXT_MAX) });

export const closeSchema = z.object({
	note: text(NOTE_MAX),
	confirm: z.literal('yes', { error: 'confirm_required' })
});

export const rectificationListSchema = z.object({
	year: yearFilter,
	overdue: z
		.string()
		.optional()
		.transform((v) => v === 'on' || v === '1' || v === 'true')
		.catch(false),
	page: pageNumber
});
