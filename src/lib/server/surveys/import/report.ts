// What an import tells its caller: the result, the problems found (the first `limit` of them
// listed, all of them counted), and progress as rows are read.
import type { Locale } from '$lib/paraglide/runtime';
import { RESPONSE_COLUMNS, type ResponseProblem } from '$lib/schemas/responses';
import type { StreamEncoding } from '$lib/server/imports/csv-stream';
import { messageOf } from '$lib/errors';

/** One problem of the file: its physical line (header = 1), column, code and wording. */
export interface RowError {
	line: number;
	column: string;
	/** A problem code of `$lib/errors`, or one of the file's reading (a quote, a header, bytes). */
	code: string;
	message: string;
}

export type ResponseImportResult =
	| {
			ok: true;
			/** Answer rows read (the header and blank lines not counted). */
			rows: number;
			/** Distinct response keys in the file. */
			responses: number;
			/** Responses written now. */
			created: number;
			/** Responses stored before with the same content: left as they are. */
			existing: number;
			sha256: string;
			encoding: StreamEncoding;
	  }
	| {
			ok: false;
			rows: number;
			/** The first `errorLimit` problems, by line. */
			errors: RowError[];
			/** How many more problems there are beyond those listed. */
			moreErrors: number;
			sha256: string;
			encoding: StreamEncoding;
	  };

/** The import is refused: carries the result out of the transaction, which rolls back. */
export class Refused extends Error {
	constructor(readonly result: ResponseImportResult & { ok: false }) {
		super('import refused');
	}
}

const COLUMN_ORDER = new Map<string, number>(RESPONSE_COLUMNS.map((c, i) => [c, i]));
const columnOrder = (c: string) => COLUMN_ORDER.get(c) ?? RESPONSE_COLUMNS.length;

/** Problems found, the first `limit` of them kept. */
export class ErrorSink {
	readonly errors: RowError[] = [];
	more = 0;
	constructor(
		readonly limit: number,
		readonly locale: Locale
	) {}

	/** A problem of the file's reading, already worded. */
	add(line: number, column: string, code: string, message: string) {
		if (this.errors.length < this.limit) this.errors.push({ line, column, code, message });
		else this.more++;
	}

	/** A response's problem, worded as the API words it. */
	problem(line: number, column: string, p: ResponseProblem) {
		if (this.errors.length < this.limit)
			this.errors.push({
				line,
				column,
				code: p.code,
				message: messageOf(p.code, p.params, this.locale)
			});
		else this.more++;
	}

	get count() {
		return this.errors.length + this.more;
	}

	/** Room left in the list. */
	get room() {
		return Math.max(0, this.limit - this.errors.length);
	}

	sorted(): RowError[] {
		return this.errors.sort(
			(a, b) => a.line - b.line || columnOrder(a.column) - columnOrder(b.column)
		);
	}
}

/** Calls `onProgress` at every multiple of `every` rows passed. */
export class Progress {
	private reported = 0;
	constructor(
		private readonly every: number,
		private readonly report?: (rows: number) => void
	) {}
	at(rows: number) {
		if (!this.report) return;
		while (this.reported + this.every <= rows) this.report((this.reported += this.every));
	}
}
