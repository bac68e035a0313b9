// Cells of the record files of spec/exchange.md (cases, complaints), shared by the CSV import,
// the API and the CLI: a file gives strings, a JSON client may give numbers, booleans and null,
// and both go through the same parsing. Problems are codes of `$lib/errors` with params, worded
// by `rowProblems` in the reader's language.
import { z } from 'zod';
import { parseLocalDateTime } from '$lib/domain/time';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { issueCode, issueMessage, messageOf, type Params, type ProblemCode } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';

/** One problem of one row: where (a file's line, or an index into a JSON array), which column. */
export interface RowError {
	line: number;
	column: string;
	message: string;
}

/** A JSON value as the text a file would hold; other values stay and fail as `invalid`. */
function asText(v: unknown): unknown {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	if (typeof v === 'boolean') return String(v);
	return v;
}

type Ctx = z.core.$RefinementCtx<string>;

function problem(ctx: Ctx, input: string, message: ProblemCode, params?: Params) {
	ctx.issues.push({ code: 'custom', message, input, params });
	return z.NEVER;
}

const cell = z.preprocess(
	asText,
	z.string({ error: 'invalid' }).transform((s) => s.trim())
);

export const requiredText = (max: number) =>
	cell.transform((s, ctx) => {
		if (s === '') return problem(ctx, s, 'required');
		if (s.length > max) return problem(ctx, s, 'too_long', { max });
		return s;
	});

export const optionalText = (max: number) =>
	cell.transform((s, ctx) => (s.length > max ? problem(ctx, s, 'too_long', { max }) : s));

/** Record numbers (case_no, complaint_no): printable, no spaces, as other systems key them. */
export const KEY_MAX = 64;
const KEY_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._/#-]*$/u;
export const keyText = cell.transform((s, ctx) => {
	if (s === '') return problem(ctx, s, 'required');
	if (s.length > KEY_MAX) return problem(ctx, s, 'too_long', { max: KEY_MAX });
	if (!KEY_PATTERN.test(s)) return problem(ctx, s, 'key_format', { value: s });
	return s;
});

function toInstant(s: string, ctx: Ctx): Date {
	const d = parseLocalDateTime(s);
	const year = d ? Number(s.trim().slice(0, 4)) : NaN;
	if (!d || year < MIN_YEAR || year > MAX_YEAR) return problem(ctx, s, 'date_time', { value: s });
	return d;
}

/** `YYYY-MM-DD HH:mm[:ss]`, local Asia/Shanghai: the instant it names. */
export const requiredDateTime = cell.transform((s, ctx) =>
	s === '' ? problem(ctx, s, 'required') : toInstant(s, ctx)
);

export const optionalDateTime = cell.transform((s, ctx) => (s === '' ? null : toInstant(s, ctx)));

export const wholeNumber = (min: number, max: number) =>
	cell.transform((s, ctx) => {
		if (s === '') return problem(ctx, s, 'required');
		const n = /^[+]?\d+$/.test(s) ? Number(s) : NaN;
		if (!Number.isSafeInteger(n) || n < min || n > max)
			return problem(ctx, s, 'whole_number_range', { value: s, min, max });
		return n;
	});

/** `true` or `false` (any case), as the files write them. */
export const booleanCell = cell.transform((s, ctx) => {
	if (s === '') return problem(ctx, s, 'required');
	const v = s.toLowerCase();
	if (v !== 'true' && v !== 'false') return problem(ctx, s, 'boolean', { value: s });
	return v === 'true';
});

/** One of `choices`, or empty (null) when `optional`. */
export const choice = <T extends string>(choices: readonly T[], optional = false) =>
	cell.transform((s, ctx): T | null => {
		if (s === '') return optional ? null : problem(ctx, s, 'required');
		const v = s.toLowerCase() as T;
		if (!choices.includes(v))
			return problem(ctx, s, 'choice', { value: s, choices: choices.join(', ') });
		return v;
	});

/** For an object refinement: run it only when the row is an object (its fields may be bad). */
export const whenObject = {
	when: (payload: { value: unknown }) =>
		typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value)
};

/** The message of one issue, in `locale`; a row that is no object at all says so. */
export function problemMessage(issue: z.core.$ZodIssue, locale: Locale): string {
	if (issue.path.length === 0 && issueCode(issue) === 'invalid')
		return messageOf('not_an_object', {}, locale);
	return issueMessage(issue, locale);
}

/** Every problem of one row (the first per column), in the order of `columns`. */
export function rowProblems(
	error: z.ZodError,
	line: number,
	columns: readonly string[],
	locale: Locale
): RowError[] {
	const byColumn = new Map<string, string>();
	for (const issue of error.issues) {
		const column = issue.path.length ? String(issue.path[0]) : '';
		if (!byColumn.has(column)) byColumn.set(column, problemMessage(issue, locale));
	}
	const order = (c: string) => {
		const i = columns.indexOf(c);
		return i === -1 ? -1 : i;
	};
	return [...byColumn]
		.sort(([a], [b]) => order(a) - order(b))
		.map(([column, message]) => ({ line, column, message }));
}
