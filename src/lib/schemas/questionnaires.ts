// Input schemas of the questionnaire builder: a new questionnaire (code and titles) and a
// version's questions as the builder's form posts them. The form works without JavaScript, so
// it names every field by its place (`q.0.code`, `q.0.o.1.textZh`) and errors come back under
// the same names, beside their fields.
import { z } from 'zod';
import {
	isChoice,
	MAX_RATING_QUESTIONS,
	MIN_OPTIONS,
	QUESTION_KINDS,
	RATING_DIMENSIONS,
	type Draft,
	type DraftEdit,
	type DraftOption,
	type DraftQuestion,
	type QuestionKind,
	type RatingDimension
} from '$lib/domain/questionnaires';
import { problem } from '$lib/errors';
import { QUESTIONNAIRE_CODE_MAX } from './campaigns';

/** Codes of questionnaires, questions and options: they appear in URLs, files and the API. */
export const QUESTIONNAIRE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const QUESTION_CODE_MAX = 64;
export const QUESTIONNAIRE_TITLE_MAX = 200;
export const QUESTION_TEXT_MAX = 500;
export const OPTION_TEXT_MAX = 200;
/** More would not fit a respondent's phone screen; a form of this many is already long. */
export const MAX_QUESTIONS = 40;
export const MAX_OPTIONS = 20;

/** Codes that would collide with pages under /questionnaires/. */
const RESERVED_CODES: readonly string[] = ['new'];

export const isValidQuestionnaireCode = (code: string) =>
	code.length <= QUESTIONNAIRE_CODE_MAX &&
	QUESTIONNAIRE_CODE_PATTERN.test(code) &&
	!RESERVED_CODES.includes(code.toLowerCase());

const title = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.max(QUESTIONNAIRE_TITLE_MAX);

export const createQuestionnaireSchema = z.object({
	code: z
		.string({ error: 'required' })
		.trim()
		.min(1, 'required')
		.max(QUESTIONNAIRE_CODE_MAX)
		.refine(isValidQuestionnaireCode, 'questionnaire_code_format'),
	titleZh: title,
	titleEn: title
});
export type CreateQuestionnaireInput = z.output<typeof createQuestionnaireSchema>;

/** The form field of a question's property, or of one of its options' properties. */
export const questionField = (i: number, name: keyof DraftQuestion) => `q.${i}.${name}`;
export const optionField = (i: number, j: number, name: keyof DraftOption) =>
	`q.${i}.o.${j}.${name}`;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Indices present among fields `prefix<n>.…`, in order. */
function indices(form: Record<string, unknown>, prefix: string): number[] {
	const found = new Set<number>();
	const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}(\\d{1,3})\\.`);
	for (const key of Object.keys(form)) {
		const m = re.exec(key);
		if (m) found.add(Number(m[1]));
	}
	return [...found].sort((a, b) => a - b);
}

/**
 * The draft a posted builder form describes, as typed (nothing checked but the shape): the
 * questions in the order of their indices, a kind or dimension it does not know as the first
 * one. A choice question gets the rows its options need.
 */
export function draftOfForm(form: Record<string, unknown>): Draft {
	const questions = indices(form, 'q.').map((i): DraftQuestion => {
		const get = (name: keyof DraftQuestion) => str(form[questionField(i, name)]);
		const kind = (QUESTION_KINDS as readonly string[]).includes(get('kind'))
			? (get('kind') as QuestionKind)
			: 'rating';
		const dimension = (RATING_DIMENSIONS as readonly string[]).includes(get('dimension'))
			? (get('dimension') as RatingDimension)
			: '';
		const options = indices(form, `q.${i}.o.`).map((j) => ({
			code: str(form[optionField(i, j, 'code')]),
			textZh: str(form[optionField(i, j, 'textZh')]),
			textEn: str(form[optionField(i, j, 'textEn')])
		}));
		while (isChoice(kind) && options.length < MIN_OPTIONS)
			options.push({ code: '', textZh: '', textEn: '' });
		return {
			code: get('code'),
			kind,
			textZh: get('textZh'),
			textEn: get('textEn'),
			required: get('required') !== '',
			dimension: kind === 'rating' ? dimension || 'appraisal' : '',
			options: isChoice(kind) ? options : []
		};
	});
	return { titleZh: str(form.titleZh), titleEn: str(form.titleEn), questions };
}

/** A draft as the builder's form fields (the inverse of `draftOfForm`). */
export function fieldsOf(draft: Draft): Record<string, string> {
	const out: Record<string, string> = { titleZh: draft.titleZh, titleEn: draft.titleEn };
	draft.questions.forEach((q, i) => {
		out[questionField(i, 'code')] = q.code;
		out[questionField(i, 'kind')] = q.kind;
		out[questionField(i, 'textZh')] = q.textZh;
		out[questionField(i, 'textEn')] = q.textEn;
		out[questionField(i, 'dimension')] = q.dimension;
		if (q.required) out[questionField(i, 'required')] = 'on';
		q.options.forEach((o, j) => {
			out[optionField(i, j, 'code')] = o.code;
			out[optionField(i, j, 'textZh')] = o.textZh;
			out[optionField(i, j, 'textEn')] = o.textEn;
		});
	});
	return out;
}

/** The builder step a button posted (`intent`), or null for "save". */
export function editOfIntent(intent: unknown): DraftEdit | null {
	const [op, a, b] = str(intent).split(':');
	const n = (s: string | undefined) => (s !== undefined && /^\d{1,3}$/.test(s) ? Number(s) : -1);
	switch (op) {
		case 'add':
		case 'refresh':
			return { op };
		case 'remove':
		case 'up':
		case 'down':
		case 'add_option':
			return { op, question: n(a) };
		case 'remove_option':
			return { op, question: n(a), option: n(b) };
		default:
			return null;
	}
}

/** A valid question, its texts trimmed, ready to be stored. */
export interface VersionQuestion {
	code: string;
	kind: QuestionKind;
	textZh: string;
	textEn: string;
	required: boolean;
	dimension: RatingDimension | null;
	options: DraftOption[];
}

export interface VersionInput {
	titleZh: string;
	titleEn: string;
	questions: VersionQuestion[];
}

/**
 * A version's questions as the builder posts them, checked: titles; at least one question, at
 * most MAX_QUESTIONS; codes well-formed and unique; both texts; a rating's dimension, and at most
 * MAX_RATING_QUESTIONS ratings (a response has that many rating slots); a choice question's
 * options, at least MIN_OPTIONS, with unique codes and both texts. Errors are keyed by the
 * builder's field names.
 */
export const versionSchema = z
	.record(z.string(), z.unknown())
	.transform((form, ctx): VersionInput => {
		const draft = draftOfForm(form);
		const need = (value: string, max: number, path: string) => {
			const t = value.trim();
			if (t === '') problem(ctx, 'required', {}, [path]);
			else if (t.length > max) problem(ctx, 'too_long', { max }, [path]);
			return t;
		};
		const code = (value: string, path: string, seen: Set<string>) => {
			const t = value.trim();
			if (t === '') problem(ctx, 'required', {}, [path]);
			else if (t.length > QUESTION_CODE_MAX || !QUESTIONNAIRE_CODE_PATTERN.test(t))
				problem(ctx, 'questionnaire_code_format', {}, [path]);
			else if (seen.has(t)) problem(ctx, 'questionnaire_code_repeated', { code: t }, [path]);
			seen.add(t);
			return t;
		};
		const titleZh = need(draft.titleZh, QUESTIONNAIRE_TITLE_MAX, 'titleZh');
		const titleEn = need(draft.titleEn, QUESTIONNAIRE_TITLE_MAX, 'titleEn');
		if (draft.questions.length === 0) problem(ctx, 'questionnaire_no_questions', {}, ['_form']);
		if (draft.questions.length > MAX_QUESTIONS)
			problem(ctx, 'questionnaire_too_many_questions', { max: MAX_QUESTIONS }, ['_form']);
		const codes = new Set<string>();
		let ratings = 0;
		const questions = draft.questions.map((q, i): VersionQuestion => {
			const field = (name: keyof DraftQuestion) => questionField(i, name);
			if (q.kind === 'rating' && ++ratings > MAX_RATING_QUESTIONS)
				problem(ctx, 'questionnaire_too_many_ratings', { max: MAX_RATING_QUESTIONS }, [
					field('kind')
				]);
			const optionCodes = new Set<string>();
			if (isChoice(q.kind) && q.options.length > MAX_OPTIONS)
				problem(ctx, 'too_long', { max: MAX_OPTIONS }, [field('options')]);
			return {
				code: code(q.code, field('code'), codes),
				kind: q.kind,
				textZh: need(q.textZh, QUESTION_TEXT_MAX, field('textZh')),
				textEn: need(q.textEn, QUESTION_TEXT_MAX, field('textEn')),
				required: q.required,
				dimension: q.kind === 'rating' ? q.dimension || 'appraisal' : null,
				options: q.options.map((o, j) => ({
					code: code(o.code, optionField(i, j, 'code'), optionCodes),
					textZh: need(o.textZh, OPTION_TEXT_MAX, optionField(i, j, 'textZh')),
					textEn: need(o.textEn, OPTION_TEXT_MAX, optionField(i, j, 'textEn'))
				}))
			};
		});
		return { titleZh, titleEn, questions };
	});
