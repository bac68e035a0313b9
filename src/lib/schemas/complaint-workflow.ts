// Input schemas of the complaint workflow: the public form, a supervisor's entry of a complaint
// taken by another channel, the tracking page, and each action's form. Problems are codes of
// `$lib/errors`.
import { z } from 'zod';
import { checkbox } from './form-values';
import {
	COMPLAINT_CATEGORIES,
	COMPLAINT_CHANNELS,
	COMPLAINT_VERDICTS,
	SANCTIONS,
	TRACKING_CODE_LENGTH,
	normalizeTrackingCode,
	type ComplaintAction
} from '$lib/domain/complaints';
import { parseLocalDateTime } from '$lib/domain/time';
import { dateSchema } from './calendar';
import { CODE_MAX } from './departments';

export const COMPLAINT_TEXT_MAX = 4000;
export const COMPLAINANT_NAME_MAX = 50;
export const COMPLAINANT_CONTACT_MAX = 100;
export const NOTE_MAX = 2000;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const requiredText = (max: number) =>
	z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long');
const optionalText = (max: number) =>
	z.preprocess(blankToUndefined, z.string().trim().max(max, 'too_long').optional());

/** A phone number (digits, spaces, hyphens, a leading +) or an e-mail address. */
const CONTACT_PATTERN = /^(\+?[0-9][0-9 -]{4,}[0-9]|[^\s@]+@[^\s@]+\.[^\s@]+)$/;

/** What the public form asks: whom and what about, and who complains (or nobody). */
const complaintFields = {
	department_code: requiredText(CODE_MAX),
	category: z.enum(COMPLAINT_CATEGORIES, { error: 'required' }),
	summary: requiredText(COMPLAINT_TEXT_MAX),
	anonymous: checkbox,
	name: optionalText(COMPLAINANT_NAME_MAX),
	contact: z.preprocess(
		blankToUndefined,
		z
			.string()
			.trim()
			.max(COMPLAINANT_CONTACT_MAX, 'too_long')
			.regex(CONTACT_PATTERN, 'complaint_contact')
			.optional()
	)
};

/** A named complaint needs the name; an anonymous one keeps none (a contact it may keep). */
function named(v: { anonymous: boolean; name?: string }, ctx: z.core.$RefinementCtx<unknown>) {
	if (!v.anonymous && !v.name)
		ctx.addIssue({ code: 'custom', message: 'complaint_name_required', path: ['name'] });
}

const formOf = <T extends z.infer<z.ZodObject<typeof complaintFields>>>(v: T) => ({
	department_code: v.department_code,
	category: v.category,
	summary: v.summary,
	anonymous: v.anonymous,
	name: v.anonymous ? undefined : v.name,
	contact: v.contact
});

export const complaintFormSchema = z.object(complaintFields).superRefine(named).transform(formOf);
export type ComplaintFormInput = z.infer<typeof complaintFormSchema>;

/** A local date and time `YYYY-MM-DD HH:mm` (or with seconds), as an instant. */
const localDateTime = z
	.string()
	.trim()
	.transform((v, ctx) => {
		const at = parseLocalDateTime(v.replace('T', ' '));
		if (!at) {
			ctx.addIssue({ code: 'custom', message: 'date_time', params: { value: v } });
			return z.NEVER;
		}
		return at;
	});

/**
 * A supervisor's entry: the same fields, the channel it came by and when it came (default:
 * now; `YYYY-MM-DD HH:mm`, or a `datetime-local` field's value).
 */
export const complaintEntrySchema = z
	.object({
		...complaintFields,
		channel: z.enum(
			COMPLAINT_CHANNELS.filter((c) => c !== 'online'),
			{ error: 'required' }
		),
		received_at: z.preprocess(blankToUndefined, localDateTime.optional())
	})
	.superRefine(named)
	.transform((v) => ({ form: formOf(v), channel: v.channel, received_at: v.received_at }));

/** The tracking page: the complaint's number and its secret code (however typed). */
export const trackingSchema = z.object({
	no: requiredText(40),
	code: z
		.string({ error: 'required' })
		.transform(normalizeTrackingCode)
		.refine((v) => v.length === TRACKING_CODE_LENGTH, 'complaint_tracking_invalid')
});

/** Each action's form (what the supervisor, or the department, says with it). */
export const complaintActionSchemas = {
	accept: z.object({}),
	reject: z.object({ reason: requiredText(NOTE_MAX) }),
	assign: z.object({ assignee: z.coerce.number({ error: 'required' }).int().positive() }),
	request_response: z.object({ note: optionalText(NOTE_MAX) }),
	respond: z.object({ response: requiredText(COMPLAINT_TEXT_MAX) }),
	conclude: z.object({
		verdict: z.enum(COMPLAINT_VERDICTS, { error: 'required' }),
		findings: requiredText(COMPLAINT_TEXT_MAX)
	}),
	sanction: z.object({
		kind: z.enum(SANCTIONS, { error: 'required' }),
		note: optionalText(NOTE_MAX),
		decided_on: dateSchema
	}),
	extend: z.object({ reason: requiredText(NOTE_MAX) }),
	give_feedback: z.object({ feedback: requiredText(COMPLAINT_TEXT_MAX) }),
	close: z.object({})
} as const satisfies Record<ComplaintAction, z.ZodType>;

export type ComplaintActionInput<A extends ComplaintAction> = z.infer<
	(typeof complaintActionSchemas)[A]
>;
