// Survey responses as other systems send them (`POST /api/v1/responses`) and as the responses
// file holds them (spec/exchange.md): the shape, the submission time, and what an answer may be.
// The API and the import share these rules, so a response is valid in one exactly when in the other.
import { z } from 'zod';
import { formatDate, parseLocalDateTime } from '$lib/domain/time';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';

export const RESPONSE_CHANNELS = ['field', 'phone', 'online', 'paper'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];

export const RESPONSE_KEY_MAX = 200;
export const CODE_MAX = 64;
export const TEXT_ANSWER_MAX = 4000;
/** 12 rating slots and a few text questions about many departments is far below this. */
export const MAX_ANSWERS = 2000;

export const RESPONSE_COLUMNS = [
	'response_key',
	'campaign_code',
	'channel',
	'submitted_at',
	'department_code',
	'question_code',
	'answer'
] as const;

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

/** What is wrong with a value, as a code; the server translates it with its parameters. */
export type ResponseProblem =
	| { code: 'required' }
	| { code: 'too_long'; max: number }
	| { code: 'type'; expected: 'object' | 'text' | 'list' }
	| { code: 'unknown_field' }
	| { code: 'nul' }
	| { code: 'channel'; value: string }
	| { code: 'submitted_at'; value: string }
	| { code: 'no_answers' }
	| { code: 'too_many_answers'; max: number };

/** A text that must be there: trimmed, non-empty, at most `max` characters, no NUL. */
function text(max: number) {
	return z.unknown().transform((v, ctx) => {
		const problem = (p: ResponseProblem) => {
			ctx.addIssue({ code: 'custom', message: JSON.stringify(p) });
			return z.NEVER;
		};
		if (v === undefined || v === null) return problem({ code: 'required' });
		if (typeof v !== 'string') return problem({ code: 'type', expected: 'text' });
		const t = v.trim();
		if (t === '') return problem({ code: 'required' });
		if (t.length > max) return problem({ code: 'too_long', max });
		if (t.includes('\0')) return problem({ code: 'nul' });
		return t;
	});
}

const problemIssue = (p: ResponseProblem) => JSON.stringify(p);

const answerSchema = z.strictObject(
	{
		department_code: text(CODE_MAX),
		question_code: text(CODE_MAX),
		// Checked against the question's kind once the questionnaire is known.
		answer: z.unknown()
	},
	{ error: problemIssue({ code: 'type', expected: 'object' }) }
);

/** The body of `POST /api/v1/responses`, before the campaign, questions and departments are known. */
export const responseBodySchema = z.strictObject(
	{
		response_key: text(RESPONSE_KEY_MAX),
		campaign_code: text(CODE_MAX),
		channel: text(16).transform((v, ctx) => {
			if ((RESPONSE_CHANNELS as readonly string[]).includes(v)) return v as ResponseChannel;
			ctx.addIssue({ code: 'custom', message: problemIssue({ code: 'channel', value: v }) });
			return z.NEVER;
		}),
		submitted_at: text(64).transform((v, ctx) => {
			const at = parseSubmittedAt(v);
			if (at) return at;
			ctx.addIssue({ code: 'custom', message: problemIssue({ code: 'submitted_at', value: v }) });
			return z.NEVER;
		}),
		answers: z
			.array(answerSchema, {
				error: (issue) =>
					problemIssue(
						issue.input === undefined ? { code: 'required' } : { code: 'type', expected: 'list' }
					)
			})
			.min(1, problemIssue({ code: 'no_answers' }))
			.max(MAX_ANSWERS, problemIssue({ code: 'too_many_answers', max: MAX_ANSWERS }))
	},
	{ error: problemIssue({ code: 'type', expected: 'object' }) }
);
export type ResponseBody = z.output<typeof responseBodySchema>;

/** The problem a schema issue carries (every issue of `responseBodySchema` carries one). */
export function problemOf(issue: z.core.$ZodIssue): ResponseProblem {
	if (issue.code === 'unrecognized_keys') return { code: 'unknown_field' };
	try {
		const p = JSON.parse(issue.message) as ResponseProblem;
		if (p && typeof p === 'object' && 'code' in p) return p;
	} catch {
		// zod's own message: a shape we did not anticipate
	}
	return { code: 'type', expected: 'object' };
}

/**
 * A rating answer: a whole number 0–5 (0 = don't know). The API sends a JSON number; a file
 * cell (and a lenient client) a string of one digit.
 */
export function ratingLevel(answer: unknown): number | null {
	if (typeof answer === 'number')
		return Number.isInteger(answer) && answer >= 0 && answer <= 5 ? answer : null;
	if (typeof answer === 'string' && /^\s*[0-5]\s*$/.test(answer)) return Number(answer.trim());
	return null;
}

/** A text answer: non-empty text of at most TEXT_ANSWER_MAX characters, without NUL. */
export function textAnswer(answer: unknown): string | null {
	if (typeof answer !== 'string') return null;
	const t = answer.trim();
	if (t === '' || t.length > TEXT_ANSWER_MAX || t.includes('\0')) return null;
	return t;
}
