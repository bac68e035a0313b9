// The rectification forms: assign the city leader, the plan, a progress report, the closure,
// and the list's filters. Messages in the user's language.
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';

export const TEXT_MAX = 5000;
export const NOTE_MAX = 2000;

const text = (max: number) =>
	z.preprocess(
		(v) => (typeof v === 'string' ? v : ''),
		z
			.string()
			.trim()
			.min(1, { error: () => m.rectification_error_text_required() })
			.max(max, { error: () => m.rectification_error_text_too_long({ max }) })
	);

export const assignLeaderSchema = z.object({
	leaderId: z.coerce
		.number({ error: () => m.rectification_error_not_a_leader() })
		.int({ error: () => m.rectification_error_not_a_leader() })
		.positive({ error: () => m.rectification_error_not_a_leader() })
});

export const planSchema = z.object({ plan: text(TEXT_MAX) });

export const reportSchema = z.object({ body: text(TEXT_MAX) });

export const closeSchema = z.object({
	note: text(NOTE_MAX),
	confirm: z.literal('yes', { error: () => m.form_confirm_required() })
});

export const rectificationListSchema = z.object({
	year: z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR).optional().catch(undefined),
	overdue: z
		.string()
		.optional()
		.transform((v) => v === 'on' || v === '1' || v === 'true')
		.catch(false),
	page: z.coerce.number().int().min(1).max(100_000).catch(1)
});

/** The first message of each field of a refused form. */
export function formErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) out[String(issue.path[0] ?? '_form')] ??= issue.message;
	return out;
}
