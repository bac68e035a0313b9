// Turns a zod error into one message per form field, in the user's language, for
// `fail(400, { values, errors })`. zod's own messages are English-only and meant for developers.
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';

export type FieldErrors = Record<string, string>;

function messageFor(issue: z.core.$ZodIssue): string {
	switch (issue.code) {
		case 'invalid_type':
			// A form field that is missing, or a number field holding text.
			return issue.expected === 'number' || issue.expected === 'int'
				? m.form_whole_number()
				: m.common_required();
		case 'too_small': {
			const min = Number(issue.minimum);
			if (issue.origin === 'string')
				return min <= 1 ? m.common_required() : m.form_too_short({ min });
			return m.form_number_min({ min });
		}
		case 'too_big': {
			const max = Number(issue.maximum);
			return issue.origin === 'string' ? m.form_too_long({ max }) : m.form_number_max({ max });
		}
		case 'custom':
			// Refinements carry a message already localised when the schema ran.
			return issue.message;
		default:
			return m.form_invalid();
	}
}

/** The first problem of each field, keyed by the field's path (`a.b` for nested ones). */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.map(String).join('.') || '_form';
		out[key] ??= messageFor(issue);
	}
	return out;
}
