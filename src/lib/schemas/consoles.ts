// The supervisors' consoles' forms (phone, field, paper): each is the respondent's form
// (`respondentSchema`: departments picked, every rating answered) with the console's own fields
// — the unit called and the call's outcome, the visit and its enterprise, the paper form's number.
// One schema for the browser's check and the server's.
import { z } from 'zod';
import { ATTEMPT_OUTCOMES, INTERVIEW_OUTCOMES } from '$lib/domain/phone';
import { parseLocalDateTime } from '$lib/domain/time';
import { problem } from '$lib/errors';
import { usccCell } from './enterprises';
import { respondentSchema } from './respondent';
import {
	answerField,
	type FormQuestion,
	type RespondentAnswers
} from '$lib/domain/respondent-form';

/** A note on a call, and a visit id or paper form number: short texts. */
export const NOTE_MAX = 500;
export const VISIT_ID_MAX = 64;
export const FORM_NUMBER_MAX = 64;

const id = z.coerce.number({ error: 'invalid' }).int().positive();
const text = (max: number) => z.string().trim().max(max).optional().default('');
const required = (max: number) => z.string().trim().min(1).max(max);

/** A phone number reveal: the unit to dial. */
export const revealSchema = z.object({ unit: id });

/** A call without an interview; a call-back has its local date-time (`datetime-local`). */
export const attemptSchema = z
	.object({
		unit: id,
		outcome: z.enum(ATTEMPT_OUTCOMES),
		callbackAt: z.string().trim().optional().default(''),
		note: text(NOTE_MAX)
	})
	.transform((v, ctx) => {
		let callbackAt: Date | null = null;
		if (v.outcome === 'callback') {
			if (v.callbackAt === '') problem(ctx, 'required', {}, ['callbackAt']);
			else {
				callbackAt = parseLocalDateTime(v.callbackAt);
				if (!callbackAt) problem(ctx, 'date_time', { value: v.callbackAt }, ['callbackAt']);
			}
		}
		return { unit: v.unit, outcome: v.outcome, callbackAt, note: v.note };
	});

/**
 * The respondent's form plus `extra`'s fields: the issues of both are reported together, so
 * the page shows every problem at once.
 */
function withAnswers<T extends z.ZodType>(
	questions: readonly FormQuestion[],
	targets: readonly string[],
	extra: T
) {
	const answers = respondentSchema(questions, targets);
	return z
		.record(z.string(), z.unknown())
		.transform((form, ctx): RespondentAnswers & z.output<T> => {
			const a = answers.safeParse(form);
			const e = extra.safeParse(form);
			for (const r of [a, e])
				if (!r.success)
					for (const issue of r.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
			return { ...(a.data as RespondentAnswers), ...(e.data as object) } as RespondentAnswers &
				z.output<T>;
		});
}

/** The phone interview: the answers, the unit called, completed or partial. */
export const interviewSchema = (questions: readonly FormQuestion[], targets: readonly string[]) =>
	withAnswers(
		questions,
		targets,
		z.object({ unit: id, outcome: z.enum(INTERVIEW_OUTCOMES), note: text(NOTE_MAX) })
	);

/** The on-site appraisal: the answers, the visited enterprise (USCC) and the visit's id. */
export const fieldSchema = (questions: readonly FormQuestion[], targets: readonly string[]) =>
	withAnswers(questions, targets, z.object({ uscc: usccCell, visitId: required(VISIT_ID_MAX) }));

/**
 * A paper questionnaire keyed in: its answers under the form's number, which is the response
 * key (within the campaign; `paperResponseKey`).
 */
export const paperSchema = (questions: readonly FormQuestion[], targets: readonly string[]) =>
	z.preprocess(
		(form) => answeredAbout(form, questions, targets),
		withAnswers(questions, targets, z.object({ response_key: required(FORM_NUMBER_MAX) }))
	);

/**
 * The paper form's departments are those with any level typed (the sheet answers about them):
 * the form as the respondent's schema reads it, with those departments picked (`d`).
 */
function answeredAbout(
	form: unknown,
	questions: readonly FormQuestion[],
	targets: readonly string[]
): unknown {
	if (typeof form !== 'object' || form === null || Array.isArray(form)) return form;
	const values = form as Record<string, unknown>;
	const d = targets.filter((code) =>
		questions.some((q) => {
			const v = values[answerField(q.kind, code, q.code)];
			return typeof v === 'string' && v.trim() !== '';
		})
	);
	return { ...values, d };
}
