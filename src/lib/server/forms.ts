// The one way a form action reads its input and answers (conventions.md: parse with the schema →
// `fail(400, …)` with field errors in the user's language → call the verb → `redirect(303, …)`).
// Every refused form hands the page the same shape, `FormFailure` of `$lib/forms`; a page with
// several forms tells them apart by `form`.
import { error, fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import type { FormFailure } from '$lib/forms';
import { m } from '$lib/paraglide/messages';
import {
	describeDetail,
	fieldErrors,
	httpStatusOf,
	isDomainError,
	messageOf,
	type DomainError,
	type FieldErrors
} from '$lib/errors';

export type { FormFailure };

export type Refusal = ActionFailure<FormFailure>;

/** A form as read: what it says, and either its valid data or the failure to return. */
export type FormInput<T> =
	| { ok: true; data: T; form?: string; values: Record<string, string>; formData: FormData }
	| { ok: false; failure: Refusal };

/** Fields whose value is never sent back to the browser. */
const SECRET = /password|secret|token|current|repeat/i;

/**
 * Reads a posted form and validates it with `schema`. The typed text of every field but secret
 * ones comes back in `values`, to fill the form again when it is refused.
 */
export async function readForm<S extends z.ZodType>(
	event: Pick<RequestEvent, 'request'>,
	schema: S,
	opts: { form?: string } = {}
): Promise<FormInput<z.output<S>>> {
	const formData = await event.request.formData();
	const values: Record<string, string> = {};
	// A field sent several times (a group of checkboxes) is read as the list of its values, and
	// sent back joined by newlines.
	const raw: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
	for (const key of new Set(formData.keys())) {
		const all = formData.getAll(key);
		raw[key] = all.length === 1 ? all[0]! : all;
		const texts = all.filter((v) => typeof v === 'string');
		if (texts.length > 0 && !SECRET.test(key)) values[key] = texts.join('\n');
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success)
		return { ok: false, failure: refuse({ form: opts.form, values }, fieldErrors(parsed.error)) };
	return { ok: true, data: parsed.data, form: opts.form, values, formData };
}

/** The form refused with these messages (status 400 unless another fits better). */
export function refuse(
	input: { form?: string; values?: Record<string, string> },
	errors: FieldErrors,
	extra: Pick<FormFailure, 'rowErrors' | 'moreErrors'> = {},
	status = 400
): Refusal {
	const failure: FormFailure = { values: input.values ?? {}, errors, ...extra };
	if (input.form !== undefined) failure.form = input.form;
	return fail(status, failure);
}

/**
 * What a form says of a refusal, by field: its message beside its field (or atop the form). A
 * refusal of one field for problems of its parts (`attachments` for `attachments.0`, …) says each
 * of them there, not only that the field was refused.
 */
export function refusalMessages(e: DomainError): FieldErrors {
	const parts =
		e.field !== undefined &&
		e.details.length > 0 &&
		e.details.every((d) => d.field === e.field || d.field?.startsWith(`${e.field}.`));
	return {
		[e.field ?? '_form']: parts
			? e.details.map((d) => describeDetail(d).message).join(' ')
			: messageOf(e.code, e.params)
	};
}

/**
 * Runs a verb for a valid form. A `DomainError` becomes the form's failure, next to its field
 * (or atop the form); one that says the page's own subject is gone (`…_not_found` without a
 * field) is the 404 page. Anything else is a bug and propagates to `handleError`.
 */
export async function attempt<T>(
	input: { form?: string; values?: Record<string, string> },
	run: () => Promise<T>
): Promise<{ ok: true; result: T } | { ok: false; failure: Refusal }> {
	try {
		return { ok: true, result: await run() };
	} catch (e) {
		if (!isDomainError(e)) throw e;
		const message = messageOf(e.code, e.params);
		const status = httpStatusOf(e.code);
		if (status === 404 && !e.field) error(404, message);
		return {
			ok: false,
			failure: refuse(input, refusalMessages(e), {}, status === 409 ? 409 : 400)
		};
	}
}

/** `attempt`, then on success the redirect after POST to `then` (a path, or one from the result). */
export async function submit<T>(
	input: { form?: string; values?: Record<string, string> },
	run: () => Promise<T>,
	then: string | ((result: T) => string)
): Promise<Refusal> {
	const r = await attempt(input, run);
	if (!r.ok) return r.failure;
	redirect(303, typeof then === 'string' ? then : then(r.result));
}

/**
 * A refused password or code beside its field: how long to wait when throttled (429), else
 * `wrong`. Nothing typed is sent back.
 */
export function refuseAttempt(
	form: string | undefined,
	field: string,
	r: { reason: 'throttled'; retryAfter: number } | { reason: 'invalid' },
	wrong: string
): Refusal {
	return r.reason === 'throttled'
		? refuse({ form }, { [field]: m.auth_throttled({ seconds: r.retryAfter }) }, {}, 429)
		: refuse({ form }, { [field]: wrong });
}
