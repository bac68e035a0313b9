// The free-text search of the list pages: a term found anywhere in any of some columns, ignoring
// case, with the term's `%` and `_` taken literally.
import { ilike, or, type Column, type SQL } from 'drizzle-orm';

/** A LIKE pattern for values containing `term`: `%` and `_` in it are not wildcards. */
export function containing(term: string): string {
	return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Rows where any of `columns` contains `term`; no condition at all for no term or ''. */
export function containsAny(term: string | undefined, columns: readonly Column[]): SQL | undefined {
	if (!term) return undefined;
	const pattern = containing(term);
	return or(...columns.map((c) => ilike(c, pattern)));
}
