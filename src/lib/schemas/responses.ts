// Survey responses as other systems send them (`POST /api/v1/responses`) and as the responses
// file holds them (spec/exchange.md): the shape, the limits, the submission time and what an
// answer may be. These are the ONE declaration of a response's rules: the API checks them in
// TypeScript, the import renders the same constants into SQL (surveys/import/rules.ts), and
// tests/integration/response-rules.test.ts feeds the same bad responses through both and
// expects the same problem codes and messages.
import { z } from 'zod';
import { RESPONSE_CHANNELS, type ResponseChannel } from '$lib/domain/campaigns';
import { CONTROL_RANGES } from '$lib/domain/text';
import { formatDate, parseLocalDateTime } from '$lib/domain/time';
import { issueCode, problem, type Params, type ProblemCode } from '$lib/errors';
import { RESPONSE_KEY_MAX, TEXT_ANSWER_MAX } from '$lib/domain/response-limits';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';

export { RESPONSE_CHANNELS, type ResponseChannel };

export const RESPONSE_COLUMNS = [
	'response_key',
	'campaign_code',
	'channel',
	'submitted_at',
	'department_code',
	'question_code',
	'answer'
] as const;
export type ResponseColumn = (typeof RESPONSE_COLUMNS)[number];

/** The longest each text field may be, after trimming (a text answer: TEXT_ANSWER_MAX). */
export const FIELD_MAX = {
	response_key: RESPONSE_KEY_MAX,
	campaign_code: 64,
	channel: 16,
	submitted_at: 64,
	department_code: 64,
	question_code: 64
} as const satisfies Record<Exclude<ResponseColumn, 'answer'>, number>;
export { RESPONSE_KEY_MAX, TEXT_ANSWER_MAX };
/** 12 rating slots and a few text questions about many departments is far below this. */
export const MAX_ANSWERS = 2000;
/** A rating answer is a whole level from 0 (don't know) to 5. */
export const RATING_LEVELS = [0, 1, 2, 3, 4, 5] as const;

/**
 * What `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator): every text of
 * a response is compared and stored trimmed, in SQL (`btrim` with these) as in TypeScript. A
 * unit test checks this list against `trim` itself.
 */
export const TRIMMED_CODE_POINTS: readonly number[] = [
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
	0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff
];

/**
 * Code points a response key must not contain: the control characters (C0, DEL and C1). Two
 * keys that differ only in one would look the same to a person; a lone surrogate (which only
 * JSON can carry) is refused as well, since the database would store it as U+FFFD and so merge
 * `"\ud800x"` and `"\udc00x"` into one key.
 */
export const KEY_CONTROL_RANGES = CONTROL_RANGES;
const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
const KEY_FORBIDDEN = new RegExp(
	`[${KEY_CONTROL_RANGES.map(([a, b]) => `${hex(a)}-${hex(b)}`).join('')}]|\\p{Cs}`,
	'u'
);

/**
 * A text's length in characters (code points), as PostgreSQL's `length` counts it, so that a
 * limit means the same in the API and in the import (an emoji is one, not two).
 */
export function textLength(text: string): number {
	let n = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		// A high surrogate followed by a low one is one character.
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) i++;
		}
		n++;
	}
	return n;
}

/** Whether a (trimmed, non-empty) response key has only characters a key may have. */
export function keyAllowed(key: string): boolean {
	return !KEY_FORBIDDEN.test(key);
}

const WITH_OFFSET =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i;

/**
 * A submission time: local Asia/Shanghai `YYYY-MM-DD HH:mm[:ss]` as every file of
 * spec/exchange.md writes it (`parseLocalDateTime`), or ISO 8601 with `Z` or an offset, as other
 * systems send it. Null when it is no real moment, or outside the years the programme accepts.
 */
export function parseSubmittedAt(raw: string): Date | null {
	const text = raw.trim();
	const match = WITH_OFFSET.exec(text);
	let at: Date | null;
	if (!match) at = parseLocalDateTime(text);
	else {
		const [, y, mo, d, h, mi, s = '0', frac = '', zulu, sign, oh, om] = match;
		const local = parseLocalDateTime(`${y}-${mo}-${d} ${h}:${mi}:${s}`);
		const hours = Number(oh ?? 0);
		const minutes = Number(om ?? 0);
		if (!local || hours > 14 || minutes > 59) return null;
		// `local` read the wall time as +08:00; move it to the offset given.
		const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
		const ms = Number(frac.padEnd(3, '0').slice(0, 3));
		at = new Date(local.getTime() + (8 * 60 - offset) * 60_000 + ms);
	}
	if (!at) return null;
	const year = Number(formatDate(at).slice(0, 4));
	return year >= MIN_YEAR && year <= MAX_YEAR ? at : null;
}

/** What a campaign is, as far as the submission time of its responses goes. */
export interface CampaignDates {
	year: number;
	/** `YYYY-MM-DD`, inclusive; null when the campaign has no such date. */
	opensOn: string | null;
	closesOn: string | null;
}

/**
 * The local days a campaign's responses may be submitted on, both inclusive: its year, narrowed
 * by its opening and closing dates when it has them.
 */
export function submissionWindow(c: CampaignDates): { first: string; last: string } {
	const first = `${String(c.year).padStart(4, '0')}-01-01`;
	const last = `${String(c.year).padStart(4, '0')}-12-31`;
	return {
		first: c.opensOn && c.opensOn > first ? c.opensOn : first,
		last: c.closesOn && c.closesOn < last ? c.closesOn : last
	};
}

/** Whether a submission at `at` falls outside its campaign: outside the year, or the dates. */
export function submissionProblem(at: Date, c: CampaignDates): ResponseProblem | null {
	const day = formatDate(at);
	if (Number(day.slice(0, 4)) !== c.year)
		return { code: 'response_outside_year', params: { year: c.year } };
	const { first, last } = submissionWindow(c);
	if (day < first || day > last)
		return { code: 'response_outside_campaign', params: { first, last } };
	return null;
}

/** Whether a campaign takes responses by this channel: it must be one of its `channels`. */
export function channelProblem(
	channel: ResponseChannel,
	c: { code: string; channels: readonly ResponseChannel[] }
): ResponseProblem | null {
	if (c.channels.includes(channel)) return null;
	return {
		code: 'response_channel_not_allowed',
		params: { campaign: c.code, value: channel, channels: c.channels.join(', ') }
	};
}

/** What is wrong with a response: a code of `$lib/errors` and the values its message names. */
export interface ResponseProblem {
	code: ProblemCode;
	params?: Params;
}

/**
 * A field's value, or what is wrong with it. The body's shape (an object of the known fields,
 * texts where texts belong, a list of answers) is the schema's to refuse; what a value is wrong
 * about is carried out in the output instead, so that `submitResponse` reports every problem of
 * a response at once, as the import reports every problem of its rows.
 */
export type Field<T = string> = { value: T; problem?: undefined } | { problem: ResponseProblem };

const fail = (p: ResponseProblem): Field<never> => ({ problem: p });

/** A text that must be there: trimmed, non-empty, at most `max` characters, no NUL. */
function text(max: number) {
	return z
		.unknown()
		.optional()
		.transform((v, ctx): Field => {
			if (v === undefined || v === null) return fail({ code: 'required' });
			if (typeof v !== 'string') return problem(ctx, 'response_type', { expected: 'text' });
			const t = v.trim();
			if (t === '') return fail({ code: 'required' });
			if (t.includes('\0')) return fail({ code: 'response_nul' });
			if (textLength(t) > max) return fail({ code: 'too_long', params: { max } });
			return { value: t };
		});
}

/** A text field checked further by `rule` (a value or a problem) once it is a text. */
const then =
	<T>(rule: (v: string) => Field<T>) =>
	(f: Field): Field<T> =>
		f.problem ? f : rule(f.value);

const ANSWER_FIELDS = ['department_code', 'question_code', 'answer'];
const BODY_FIELDS = ['response_key', 'campaign_code', 'channel', 'submitted_at', 'answers'];

const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The body without the fields a response does not have, and their paths: an unknown field is a
 * problem of its own, reported with the others rather than instead of them.
 */
export function withoutUnknownFields(body: unknown): { body: unknown; unknown: string[] } {
	if (!isRecord(body)) return { body, unknown: [] };
	const unknown = Object.keys(body).filter((k) => !BODY_FIELDS.includes(k));
	const known = (o: Record<string, unknown>, fields: string[]) =>
		Object.fromEntries(Object.entries(o).filter(([k]) => fields.includes(k)));
	const out = known(body, BODY_FIELDS);
	if (Array.isArray(body.answers))
		out.answers = body.answers.map((a: unknown, i) => {
			if (!isRecord(a)) return a;
			for (const k of Object.keys(a))
				if (!ANSWER_FIELDS.includes(k)) unknown.push(`answers.${i}.${k}`);
			return known(a, ANSWER_FIELDS);
		});
	return { body: out, unknown };
}

const answerSchema = z.strictObject(
	{
		department_code: text(FIELD_MAX.department_code),
		question_code: text(FIELD_MAX.question_code),
		// Checked against the question's kind once the questionnaire is known.
		answer: z.unknown()
	},
	{ error: 'response_type' }
);

/** The body of `POST /api/v1/responses`, before the campaign, questions and departments are known. */
export const responseBodySchema = z.strictObject(
	{
		response_key: text(FIELD_MAX.response_key).transform(
			then((v) => (keyAllowed(v) ? { value: v } : fail({ code: 'response_key_characters' })))
		),
		campaign_code: text(FIELD_MAX.campaign_code),
		channel: text(FIELD_MAX.channel).transform(
			then((v) =>
				(RESPONSE_CHANNELS as readonly string[]).includes(v)
					? { value: v as ResponseChannel }
					: fail({ code: 'response_channel', params: { value: v } })
			)
		),
		submitted_at: text(FIELD_MAX.submitted_at).transform(
			then((v) => {
				const at = parseSubmittedAt(v);
				return at ? { value: at } : fail({ code: 'response_submitted_at', params: { value: v } });
			})
		),
		answers: z
			.array(answerSchema, { error: 'response_type' })
			.min(1, 'response_no_answers')
			.max(MAX_ANSWERS, 'response_too_many_answers')
			// Missing, it is a problem of the value, as a missing text is (see `check`).
			.optional()
	},
	{ error: 'response_type' }
);
export type ResponseBody = z.output<typeof responseBodySchema>;

/**
 * The problem a schema issue carries: its message is the code (every issue of
 * `responseBodySchema` names one); the values come from the issue.
 */
export function problemOf(issue: z.core.$ZodIssue): ResponseProblem {
	const code = issueCode(issue);
	if (code === 'response_type') {
		if (issue.code === 'custom') return { code, params: issue.params as Params };
		const list = issue.code === 'invalid_type' && issue.expected === 'array';
		return { code, params: { expected: list ? 'list' : 'object' } };
	}
	if (code === 'response_too_many_answers') return { code, params: { max: MAX_ANSWERS } };
	return { code };
}

/**
 * A rating answer: a whole number 0–5 (0 = don't know). The API sends a JSON number; a file
 * cell (and a lenient client) a string of one digit.
 */
export function ratingLevel(answer: unknown): number | null {
	if (typeof answer === 'number')
		return Number.isInteger(answer) && answer >= 0 && answer <= 5 ? answer : null;
	if (typeof answer === 'string') {
		const t = answer.trim();
		if (t.length === 1 && t >= '0' && t <= '5') return Number(t);
	}
	return null;
}

/**
 * A choice answer as option codes, or null when it is none: a single choice is one option's code
 * (a JSON string); a multiple choice a non-empty list of distinct option codes (a JSON array).
 */
export function choiceAnswer(
	answer: unknown,
	kind: 'single' | 'multiple',
	options: readonly string[]
): string[] | null {
	const given = kind === 'single' ? [answer] : Array.isArray(answer) ? answer : [];
	const codes = given.map((c) => (typeof c === 'string' ? c.trim() : null));
	if (codes.length === 0 || new Set(codes).size !== codes.length) return null;
	return codes.every((c): c is string => c !== null && options.includes(c)) ? codes : null;
}

/** A text answer: non-empty text of at most TEXT_ANSWER_MAX characters, without NUL. */
export function textAnswer(answer: unknown): string | null {
	if (typeof answer !== 'string') return null;
	const t = answer.trim();
	if (t === '' || textLength(t) > TEXT_ANSWER_MAX || t.includes('\0')) return null;
	return t;
}
