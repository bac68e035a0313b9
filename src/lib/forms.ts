// The one shape of a refused form (`$lib/server/forms` makes it, pages read it), shared by the
// server and the pages.
import type { FieldErrors } from '$lib/errors';

/** One bad row of an uploaded file: its line, the column, what is wrong. */
export interface RowError {
	line: number;
	column: string;
	message: string;
}

/** What every refused form hands back to its page. */
export interface FormFailure {
	/** Which form of the page was refused, on a page with several. */
	form?: string;
	/** What was typed, to fill the form again (never a password). */
	values: Record<string, string>;
	/** A message per field (`_form`: about the form as a whole). */
	errors: FieldErrors;
	/** An upload's bad rows, and how many more there are beyond those listed. */
	rowErrors?: RowError[];
	moreErrors?: number;
}

/**
 * A page's view of its action result for one of its forms (`name`; none on a one-form page):
 * the errors and typed values when that form was refused, else no errors and null values.
 */
export function failureOf(
	form: unknown,
	name?: string
): { errors: FieldErrors; values: Record<string, string> | null; rowErrors: RowError[] } {
	const f = form as Partial<FormFailure> | null | undefined;
	if (!f || !f.errors || (name !== undefined && f.form !== name))
		return { errors: {}, values: null, rowErrors: [] };
	return { errors: f.errors, values: f.values ?? null, rowErrors: f.rowErrors ?? [] };
}
