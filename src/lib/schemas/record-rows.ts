// Cells of the record files of spec/exchange.md (departments, enterprises, holidays, findings,
// cases, complaints), shared by the file imports, the API and the CLI: a file gives strings, a
// JSON client may give numbers, booleans and null, and both go through the same parsing. Every
// cell is first checked to be acceptable text (`textProblem`: no NUL, control character, lone
// surrogate or undecodable byte). Enumerated values are read by their code or their Chinese
// label (市直部门, 属实, 是 …), from the one table of labels of each (`$lib/enumerations`).
// Problems are codes of `$lib/errors` with params, worded by `rowProblems` in the reader's
// language.
import { z } from 'zod';
import { textProblem, type TextRules } from '$lib/domain/text';
import { parseLocalDate, parseLocalDateTime } from '$lib/domain/time';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { YES_NO, type Enumeration } from '$lib/enumerations';
import { issueCode, issueMessage, messageOf, problem } from '$lib/errors';
import type { RowError } from '$lib/forms';
import type { Locale } from '$lib/paraglide/runtime';

export type { RowError };

/** A JSON value as the text a file would hold; other values stay and fail as `invalid`. */
function asText(v: unknown): unknown {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	if (typeof v === 'boolean') return String(v);
	return v;
}

type Ctx = z.core.$RefinementCtx<string>;

/**
 * A cell as trimmed text, refused when it holds what `textProblem` forbids (reported with the
 * character's position in the cell).
 */
const textCell = (rules: TextRules = {}) =>
	z.preprocess(
		asText,
		z.string({ error: 'invalid' }).transform((raw, ctx) => {
			const s = raw.trim();
			const bad = textProblem(s, rules);
			if (!bad) return s;
			const params = { position: bad.position, char: bad.char };
			return problem(
				ctx,
				bad.problem === 'unreadable' ? 'text_unreadable' : 'text_character',
				params
			);
		})
	);

const cell = textCell();

export const requiredText = (max: number, rules: TextRules = {}) =>
	textCell(rules).transform((s, ctx) => {
		if (s === '') return problem(ctx, 'required');
		if (s.length > max) return problem(ctx, 'too_long', { max });
		return s;
	});

export const optionalText = (max: number, rules: TextRules = {}) =>
	textCell(rules).transform((s, ctx) => (s.length > max ? problem(ctx, 'too_long', { max }) : s));

/** Record numbers (case_no, complaint_no): printable, no spaces, as other systems key them. */
export const KEY_MAX = 64;
const KEY_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._/#-]*$/u;
export const keyText = cell.transform((s, ctx) => {
	if (s === '') return problem(ctx, 'required');
	if (s.length > KEY_MAX) return problem(ctx, 'too_long', { max: KEY_MAX });
	if (!KEY_PATTERN.test(s)) return problem(ctx, 'key_format', { value: s });
	return s;
});

function toInstant(s: string, ctx: Ctx): Date {
	const d = parseLocalDateTime(s);
	const year = d ? Number(s.trim().slice(0, 4)) : NaN;
	if (!d || year < MIN_YEAR || year > MAX_YEAR) return problem(ctx, 'date_time', { value: s });
	return d;
}

/** `YYYY-MM-DD HH:mm[:ss]` or a bare date (its midnight), local Asia/Shanghai: the instant. */
export const requiredDateTime = cell.transform((s, ctx) =>
	s === '' ? problem(ctx, 'required') : toInstant(s, ctx)
);

export const optionalDateTime = cell.transform((s, ctx) => (s === '' ? null : toInstant(s, ctx)));

/** A local calendar date, `YYYY-MM-DD` (or as Excel re-saves it), as `YYYY-MM-DD`. */
export const dateCell = cell.transform((s, ctx) => {
	if (s === '') return problem(ctx, 'required');
	const ymd = parseLocalDate(s);
	const year = Number(ymd?.slice(0, 4));
	if (!ymd || year < MIN_YEAR || year > MAX_YEAR) return problem(ctx, 'date_value', { value: s });
	return ymd;
});

function readWholeNumber(s: string, ctx: Ctx, min: number, max: number): number {
	const n = /^[+]?\d+$/.test(s) ? Number(s) : NaN;
	if (!Number.isSafeInteger(n) || n < min || n > max)
		return problem(ctx, 'whole_number_range', { value: s, min, max });
	return n;
}

export const wholeNumber = (min: number, max: number) =>
	cell.transform((s, ctx) =>
		s === '' ? problem(ctx, 'required') : readWholeNumber(s, ctx, min, max)
	);

/** A whole number in [min, max], or empty (null). */
export const optionalWholeNumber = (min: number, max: number) =>
	cell.transform((s, ctx) => (s === '' ? null : readWholeNumber(s, ctx, min, max)));

// --- Enumerated values ------------------------------------------------------------------------

function readChoice<T extends string>(e: Enumeration<T>, s: string, ctx: Ctx): T {
	return e.read(s) ?? problem(ctx, 'choice', { value: s, choices: e.describe() });
}

/** One of `e`'s values, by code or label. */
export const choice = <T extends string>(e: Enumeration<T>) =>
	cell.transform((s, ctx): T => (s === '' ? problem(ctx, 'required') : readChoice(e, s, ctx)));

/** One of `e`'s values, by code or label, or empty (null). */
export const optionalChoice = <T extends string>(e: Enumeration<T>) =>
	cell.transform((s, ctx): T | null => (s === '' ? null : readChoice(e, s, ctx)));

export const booleanCell = cell.transform((s, ctx) => {
	if (s === '') return problem(ctx, 'required');
	const v = YES_NO.read(s);
	return v === null ? problem(ctx, 'boolean', { value: s }) : v === 'true';
});

// --- Rows -------------------------------------------------------------------------------------

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

/** Every problem of one row (each distinct one per column), in the order of `columns`. */
export function rowProblems(
	error: z.ZodError,
	line: number,
	columns: readonly string[],
	locale: Locale
): RowError[] {
	const seen = new Set<string>();
	const out: RowError[] = [];
	for (const issue of error.issues) {
		const column = issue.path.length ? String(issue.path[0]) : '';
		const message = problemMessage(issue, locale);
		const key = `${column}\u0000${message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push({ line, column, message });
	}
	const order = (c: string) => columns.indexOf(c);
	// A stable sort: several problems of one column keep the order they were found in.
	return out.sort((a, b) => order(a.column) - order(b.column));
}
