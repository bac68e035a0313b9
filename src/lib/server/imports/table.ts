// A record file as rows of named cells, whatever the clerk sent: a CSV (UTF-8 or GBK) or an
// Excel workbook (.xlsx, read directly), told apart by content (`sniff`), not by name. The header
// names each column by its code (`name_zh`, any case) or by its Chinese label of the template
// (`中文名称`); a header wider than MAX_COLUMNS is refused before any row is read. Problems are
// codes of `$lib/errors` worded in the reader's language; a problem with the file as a whole
// (not a table, too large) is reported on line 0.
import { textProblem } from '$lib/domain/text';
import { isDomainError, messageOf, type Params, type ProblemCode } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';
import { decodeText, splitCsv, type TextEncoding } from './csv';
import { MAX_COLUMNS, megabytes } from './limits';
import type { StreamProblem, StreamRecord } from './csv-stream';
import { RowErrorList, type RowError } from './row-errors';
import { sniff } from './sniff';
import { xlsxRows } from './xlsx';

export interface TableSpec {
	/** The file's columns, in the spec's order; each must be in the header unless optional. */
	columns: readonly string[];
	/** Columns a file may leave out (added to a format later): their cells are then absent. */
	optionalColumns?: readonly string[];
	/** Each column's Chinese header label (the template's), accepted instead of its code. */
	headerLabels: Readonly<Record<string, string>>;
	/** The size cap of the file; also of the text of an XLSX file's sheet. */
	maxBytes: number;
}

export interface TableRecord {
	/** The physical line (CSV) or row number (XLSX) the record starts on; header = 1. */
	line: number;
	/** Cells by column, untrimmed; missing trailing cells are absent. */
	values: Record<string, string>;
}

export interface Table {
	format: 'csv' | 'xlsx';
	/** A CSV's encoding; null for a workbook. */
	encoding: TextEncoding | null;
	/** The header as the columns it names (codes). */
	header: string[];
	records: TableRecord[];
	/** Problems of the file, its header or a record's shape (the first MAX_ROW_ERRORS). */
	errors: RowErrorList;
	/** No record was read: the file or its header is unusable. */
	headerOk: boolean;
	/** Data records in the file, readable or not. */
	rows: number;
}

/** A header cell as compared: trimmed, lower case, half-width brackets, no inner spaces. */
function headerKey(cell: string): string {
	return cell
		.trim()
		.toLowerCase()
		.replace(/（/g, '(')
		.replace(/）/g, ')')
		.replace(/[\s\u3000]+/g, '');
}

const isBlank = (cell: string) => cell.trim() === '';

/** Cells without the empty ones Excel leaves at the end of a row (its used range). */
function withoutTrailingBlanks(cells: string[]): string[] {
	let end = cells.length;
	while (end > 0 && isBlank(cells[end - 1]!)) end--;
	return end === cells.length ? cells : cells.slice(0, end);
}

/**
 * The header's columns by position, or its problems: a cell naming no column, a column named
 * twice or not at all, a cell that is not acceptable text, a header wider than MAX_COLUMNS.
 */
export function checkHeader(
	record: StreamRecord,
	spec: Pick<TableSpec, 'columns' | 'headerLabels' | 'optionalColumns'>,
	locale: Locale
): { header: string[] } | { errors: RowError[] } {
	const { line } = record;
	const error = (column: string, code: ProblemCode, params: Params = {}): RowError => ({
		line,
		column,
		message: messageOf(code, params, locale)
	});
	const cells = withoutTrailingBlanks(record.cells);
	if (cells.length > MAX_COLUMNS)
		return {
			errors: [error('', 'header_too_many_columns', { count: cells.length, max: MAX_COLUMNS })]
		};
	const byKey = new Map<string, string>();
	for (const column of spec.columns) {
		byKey.set(headerKey(column), column);
		const label = spec.headerLabels[column];
		if (label) byKey.set(headerKey(label), column);
	}
	const errors: RowError[] = [];
	const header: string[] = [];
	cells.forEach((cell, i) => {
		const bad = textProblem(cell.trim());
		const column = byKey.get(headerKey(cell));
		const shown = cell.trim().toLowerCase();
		if (bad)
			errors.push(
				error(`#${i + 1}`, bad.problem === 'unreadable' ? 'text_unreadable' : 'text_character', {
					position: bad.position,
					char: bad.char
				})
			);
		else if (isBlank(cell))
			errors.push(error(`#${i + 1}`, 'header_empty_column', { position: i + 1 }));
		else if (column === undefined)
			errors.push(
				error(shown, 'header_unknown_column', { column: shown, expected: spec.columns.join(', ') })
			);
		else if (header.includes(column))
			errors.push(error(column, 'header_duplicate_column', { column }));
		header.push(column ?? '');
	});
	for (const column of spec.columns)
		if (!header.includes(column) && !spec.optionalColumns?.includes(column))
			errors.push(error(column, 'header_missing_column', { column }));
	return errors.length > 0 ? { errors } : { header };
}

/** The rows of a workbook's first sheet, as records; refused past `maxBytes` of text. */
async function* sheetRecords(bytes: Uint8Array, maxBytes: number): AsyncGenerator<StreamRecord> {
	let size = 0;
	for await (const row of xlsxRows(bytes)) {
		// What a CSV saved from the sheet would weigh: a cap on memory whatever the zip holds.
		for (const cell of row.cells) size += cell.length + 1;
		if (size > maxBytes) throw new SheetTooLarge();
		yield row;
	}
}

class SheetTooLarge extends Error {}

/**
 * Reads a record file: its kind by content, its text (CSV) or first sheet (XLSX), its header,
 * and every record as cells by column. Problems with a record's shape are reported beside the
 * readable records; with the file or its header, no record is read.
 */
export async function readTable(
	bytes: Uint8Array,
	spec: TableSpec,
	locale: Locale
): Promise<Table> {
	const kind = sniff(bytes);
	const table: Table = {
		format: kind === 'xlsx' ? 'xlsx' : 'csv',
		encoding: null,
		header: [],
		records: [],
		errors: new RowErrorList(),
		headerOk: false,
		rows: 0
	};
	const fileProblem = (code: ProblemCode, params: Params = {}, line = 0) => {
		table.errors.add({ line, column: '', message: messageOf(code, params, locale) });
		table.records = [];
		table.headerOk = false;
		return table;
	};
	if (kind === 'not_a_table') return fileProblem('file_not_a_table');

	let source: Iterable<StreamRecord | StreamProblem> | AsyncIterable<StreamRecord | StreamProblem>;
	if (kind === 'xlsx') source = sheetRecords(bytes, spec.maxBytes);
	else {
		const decoded = decodeText(bytes);
		table.encoding = decoded.encoding;
		source = splitCsv(decoded.text);
	}

	let header: string[] | null = null;
	try {
		for await (const r of source) {
			if (header === null) {
				if ('problem' in r) return fileProblem(quoteProblem(r), {}, r.line);
				const checked = checkHeader(r, spec, locale);
				if ('errors' in checked) {
					table.errors.add(...checked.errors);
					return table;
				}
				header = checked.header;
				table.header = header;
				table.headerOk = true;
				continue;
			}
			table.rows++;
			if ('problem' in r) {
				table.errors.add({
					line: r.line,
					column: '',
					message: messageOf(quoteProblem(r), {}, locale)
				});
				continue;
			}
			const cells = r.cells.length > header.length ? withoutTrailingBlanks(r.cells) : r.cells;
			if (cells.length > header.length) {
				const params = { count: cells.length, expected: header.length };
				table.errors.add({
					line: r.line,
					column: `#${header.length + 1}`,
					message: messageOf('row_too_many_cells', params, locale)
				});
				continue;
			}
			const values: Record<string, string> = {};
			cells.forEach((v, i) => (values[header![i]!] = v));
			table.records.push({ line: r.line, values });
		}
	} catch (e) {
		if (e instanceof SheetTooLarge)
			return fileProblem('sheet_too_large', { max: megabytes(spec.maxBytes) });
		if (isDomainError(e, 'file_not_a_table')) return fileProblem('file_not_a_table');
		throw e;
	}
	if (header === null) return fileProblem('file_empty', {}, 1);
	return table;
}

const quoteProblem = (p: StreamProblem): ProblemCode =>
	p.problem === 'quote_not_closed' ? 'csv_quote_not_closed' : 'csv_bad_quote';
