// The problems of an import as a reader gets them: the first MAX_ROW_ERRORS by line (then by
// the file's column order), and how many more there are. A file of a million bad rows once
// turned into a 184 MB error page; now it is a thousand lines and "and 998,765 more".
import type { RowError } from '$lib/forms';
import { MAX_ROW_ERRORS } from './limits';

export type { RowError };

/**
 * Problems found in one pass over a file, in line order: the first `limit` kept, the rest
 * counted. (Kept in line order, the first `limit` of several passes are the first `limit` of
 * all of them: see `firstErrors`.)
 */
export class RowErrorList {
	readonly kept: RowError[] = [];
	more = 0;
	constructor(readonly limit = MAX_ROW_ERRORS) {}

	add(...errors: RowError[]): void {
		for (const e of errors) {
			if (this.kept.length < this.limit) this.kept.push(e);
			else this.more++;
		}
	}

	get count(): number {
		return this.kept.length + this.more;
	}
}

/** Errors by line, then in the order of the file's columns (others, such as `#7`, last). */
export function sortErrors<E extends RowError>(errors: E[], columns: readonly string[]): E[] {
	const order = (column: string) => {
		const i = columns.indexOf(column);
		return i === -1 ? columns.length : i;
	};
	return errors.sort((a, b) => a.line - b.line || order(a.column) - order(b.column));
}

/** The first problems of several passes together, sorted, and how many more there are. */
export function firstErrors(
	columns: readonly string[],
	...passes: RowErrorList[]
): { errors: RowError[]; moreErrors: number } {
	const limit = Math.min(...passes.map((p) => p.limit));
	const all = sortErrors(
		passes.flatMap((p) => p.kept),
		columns
	);
	const total = passes.reduce((n, p) => n + p.count, 0);
	const errors = all.slice(0, limit);
	return { errors, moreErrors: total - errors.length };
}
