// Reading the CSV files clerks upload: decoding (UTF-8 with or without BOM, else GBK/GB18030 as
// Excel on a Chinese Windows saves), parsing, header checks and the physical line of each record.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { parse, CsvError as ParseError } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

/** One problem in a file: the physical line (header = 1), the column name, and what is wrong. */
export interface CsvError {
	line: number;
	column: string;
	message: string;
}

export interface CsvRecord {
	/** The physical line the record starts on; a quoted cell may span several lines. */
	line: number;
	/** Values keyed by header column, untrimmed; missing trailing cells are absent. */
	values: Record<string, string>;
}

export interface CsvFile {
	encoding: 'utf-8' | 'gb18030';
	header: string[];
	records: CsvRecord[];
	/**
	 * Problems with the header or the shape of a record. With a header problem `records` is
	 * empty (its rows cannot be read); row-shape problems leave the other records readable.
	 */
	errors: CsvError[];
	headerOk: boolean;
}

export interface CsvOptions {
	/** Columns that must be in the header. */
	required: readonly string[];
	/** Columns that may be in the header; any other is reported as unknown. */
	optional?: readonly string[];
	locale: Locale;
}

export function sha256Hex(bytes: Uint8Array): string {
	return encodeHexLowerCase(sha256(bytes));
}

/**
 * UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else GB18030, the superset of GBK:
 * Chinese text in GBK is almost never valid UTF-8, so the strict decoder tells them apart.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: CsvFile['encoding'] } {
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
	}
}

/** Header cells compare trimmed and case-insensitive: `Code ` is `code`. */
function normaliseHeader(cell: string): string {
	return cell.trim().toLowerCase();
}

function parseErrorMessage(e: ParseError, locale: Locale): string {
	const o = { locale };
	switch (e.code) {
		case 'CSV_QUOTE_NOT_CLOSED':
			return m.imports_quote_not_closed({}, o);
		case 'CSV_INVALID_CLOSING_QUOTE':
		case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
			return m.imports_bad_quote({}, o);
		default:
			return m.imports_unreadable({}, o);
	}
}

/** Decodes and parses a whole file (imports are small: hundreds of rows, not millions). */
export function readCsv(bytes: Uint8Array, options: CsvOptions): CsvFile {
	const { locale } = options;
	const o = { locale };
	const { text: raw, encoding } = decodeText(bytes);
	// One line ending everywhere: a file edited on two systems mixes them, and a stray \r would
	// end up inside the last cell of a line.
	const text = raw.replace(/\r\n?/g, '\n');
	const errors: CsvError[] = [];

	let parsed: { record: string[]; raw: string; info: { lines: number } }[];
	try {
		// With `info` and `raw` each record comes wrapped; the typings only know plain arrays.
		parsed = parse(text, {
			info: true,
			raw: true,
			relax_column_count: true,
			skip_empty_lines: true
		}) as unknown as typeof parsed;
	} catch (e) {
		if (!(e instanceof ParseError)) throw e;
		const line = (e as unknown as { lines?: number }).lines ?? 1;
		return {
			encoding,
			header: [],
			records: [],
			errors: [{ line, column: '', message: parseErrorMessage(e, locale) }],
			headerOk: false
		};
	}

	// `info.lines` is the line a record ends on; it starts as many line breaks earlier as the
	// record holds (blank lines skipped before it are part of its raw text, not of the record).
	const startLine = (p: (typeof parsed)[number]) =>
		p.info.lines - (p.raw.replace(/^\n+/, '').replace(/\n$/, '').match(/\n/g)?.length ?? 0);

	const [first, ...rest] = parsed;
	if (!first) {
		return {
			encoding,
			header: [],
			records: [],
			errors: [{ line: 1, column: '', message: m.imports_empty_file({}, o) }],
			headerOk: false
		};
	}

	const headerLine = startLine(first);
	const header = first.record.map(normaliseHeader);
	const known = new Set([...options.required, ...(options.optional ?? [])]);
	const seen = new Set<string>();
	header.forEach((column, i) => {
		if (column === '') {
			errors.push({
				line: headerLine,
				column: `#${i + 1}`,
				message: m.imports_empty_column({ position: i + 1 }, o)
			});
		} else if (seen.has(column)) {
			errors.push({ line: headerLine, column, message: m.imports_duplicate_column({ column }, o) });
		} else if (!known.has(column)) {
			errors.push({
				line: headerLine,
				column,
				message: m.imports_unknown_column({ column, expected: [...known].join(', ') }, o)
			});
		}
		seen.add(column);
	});
	for (const column of options.required) {
		if (!seen.has(column))
			errors.push({ line: headerLine, column, message: m.imports_missing_column({ column }, o) });
	}
	if (errors.length > 0) return { encoding, header, records: [], errors, headerOk: false };

	const records: CsvRecord[] = [];
	for (const p of rest) {
		const line = startLine(p);
		// A line of empty cells (what spreadsheets leave below the data) is not a record.
		if (p.record.every((v) => v.trim() === '')) continue;
		if (p.record.length > header.length) {
			errors.push({
				line,
				column: `#${header.length + 1}`,
				message: m.imports_too_many_cells({ count: p.record.length, expected: header.length }, o)
			});
			continue;
		}
		const values: Record<string, string> = {};
		header.forEach((column, i) => {
			const v = p.record[i];
			if (v !== undefined) values[column] = v;
		});
		records.push({ line, values });
	}
	return { encoding, header, records, errors, headerOk: true };
}
