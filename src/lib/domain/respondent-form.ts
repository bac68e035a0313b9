// The respondent's form without its check (which is $lib/schemas/respondent's, with zod): the
// questions it asks, the names of its fields, the levels offered. What the page itself needs to
// show the form, kept free of zod so that the page's first load stays small on a phone.
import { isChoice, type QuestionKind } from '$lib/domain/questionnaires';

/** A question as the respondent's form needs it. */
export interface FormQuestion {
	code: string;
	kind: QuestionKind;
	/** Whether it must be answered; when not said, ratings must and other kinds need not. */
	required?: boolean;
	/** A choice question's options. */
	options?: readonly { code: string }[];
}

/** Whether a question of the form must be answered. */
export const isRequired = (q: FormQuestion) => q.required ?? q.kind === 'rating';

/** The levels a respondent picks from, best first, and "don't know" (0). */
export const RESPONDENT_LEVELS = [5, 4, 3, 2, 1, 0] as const;

/**
 * The form field of a department's answer to a question: `r:` a rating (radio buttons), `c:` a
 * choice (radio buttons for single, a checkbox per option, the field repeated, for multiple),
 * `t:` a text (an input, or a text area for long text).
 */
export const answerField = (kind: FormQuestion['kind'], department: string, question: string) =>
	`${kind === 'rating' ? 'r' : isChoice(kind) ? 'c' : 't'}:${department}:${question}`;

export interface RespondentAnswers {
	response_key: string;
	/** The departments the respondent dealt with (and answers about). */
	departments: string[];
	answers: { department_code: string; question_code: string; answer: number | string | string[] }[];
}

/** A form's repeated field (`d`, the departments picked): none, one or several values. */
export function pickedOf(value: unknown): string[] {
	const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
	return [...new Set(all.filter((v): v is string => typeof v === 'string').map((v) => v.trim()))];
}
