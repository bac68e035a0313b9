// Reading an Excel workbook (.xlsx) as an import reads a CSV: the first sheet's rows, each cell as
// the text a CSV saved from it would hold, with the sheet's row numbers as line numbers. Dates
// come out as `YYYY-MM-DD`, date-times as `YYYY-MM-DD HH:mm:ss` (the sheet's wall-clock time,
// which imports read as Beijing time), numbers without binary float noise (0.1 + 0.2 is `0.3`),
// booleans as `true`/`false`, empty cells empty. The workbook is streamed (exceljs's reader),
// so a responses workbook of a million rows never sits in memory whole.
import { Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '$lib/errors';
import { sniff } from './sniff';

export interface SheetRow {
	/** The sheet's row number (the header is usually 1). */
	line: number;
	/** Cells from column A, as text; trailing empty cells dropped. */
	cells: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date cell as text. exceljs gives the sheet's wall-clock time as a UTC instant; Excel keeps
 * times as fractions of a day, so they are rounded to the second (09:30:15 may be 09:30:14.9996).
 */
function dateText(d: Date): string {
	const t = new Date(Math.round(d.getTime() / 1000) * 1000);
	const day = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
	const h = t.getUTCHours();
	const mi = t.getUTCMinutes();
	const s = t.getUTCSeconds();
	return h === 0 && mi === 0 && s === 0 ? day : `${day} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** A number as a person reads it: 15 significant digits, what Excel itself shows at most. */
function numberText(n: number): string {
	if (!Number.isFinite(n)) return String(n);
	return String(Number(n.toPrecision(15)));
}

/** The text of one cell value as exceljs reads it. */
export function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return numberText(value);
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : dateText(value);
	if (typeof value === 'object') {
		const v = value as {
			richText?: { text: string }[];
			text?: unknown;
			result?: unknown;
			formula?: unknown;
			sharedFormula?: unknown;
			error?: unknown;
		};
		if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
		// A formula: its cached result (what Excel shows); a hyperlink: its text.
		if ('formula' in v || 'sharedFormula' in v || 'result' in v) return cellText(v.result);
		if ('text' in v) return cellText(v.text);
		if (typeof v.error === 'string') return v.error;
	}
	return '';
}

/**
 * Mends the zip reader exceljs pipes the workbook into (unzipper's `Parse`). On its writable
 * side's 'finish' it emits 'end' at once, while entries it has read may still wait in its
 * readable buffer (exceljs pauses it while it reads a part); exceljs then stops at that 'end',
 * the waiting entries (the workbook, its styles, a sheet) never read: now and then, under load,
 * a good workbook read as no table, or its dates as numbers. The mended reader ends the proper
 * way, after what it holds has been read.
 */
export function mendZipEnd(zip: Writable & Readable): void {
	const early = zip.listeners('finish').filter((l) => /emit\(\s*['"]end['"]\s*\)/.test(String(l)));
	if (early.length !== 1)
		throw new Error('The zip reader of exceljs (unzipper Parse) changed: review mendZipEnd.');
	zip.removeListener('finish', early[0] as (...args: unknown[]) => void);
	// Once everything pushed before it is read: 'end' (a second push(null) is ignored).
	zip.on('finish', () => zip.push(null));
}

function toStream(source: Uint8Array | AsyncIterable<Uint8Array>): Readable {
	const stream =
		source instanceof Uint8Array
			? Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)])
			: Readable.from(source);
	// The workbook reader pipes this stream into its zip reader, the one place to reach it.
	const pipe = stream.pipe.bind(stream);
	stream.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }) => {
		mendZipEnd(destination as unknown as Writable & Readable);
		return pipe(destination, options);
	};
	return stream;
}

/** exceljs's sheet reader, as much as is used here. */
interface SheetReader extends AsyncIterable<{ number: number; values: unknown }> {
	name: string;
}

/**
 * The rows of the workbook's first sheet (the first tab), blank rows skipped. Throws a
 * `DomainError('file_not_a_table')` when the bytes are no workbook (a damaged file, a `.docx`,
 * another zip).
 */
export async function* xlsxRows(
	source: Uint8Array | AsyncIterable<Uint8Array>
): AsyncGenerator<SheetRow> {
	const reader = new ExcelJS.stream.xlsx.WorkbookReader(toStream(source), {
		sharedStrings: 'cache',
		styles: 'cache', // tells date cells from numbers
		hyperlinks: 'ignore',
		worksheets: 'emit',
		entries: 'ignore'
	});
	let found = false;
	try {
		for await (const sheet of reader as unknown as AsyncIterable<SheetReader>) {
			// The workbook lists its tabs in order; without that list, the first sheet read.
			const model = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model;
			const first = model?.sheets?.[0]?.name;
			if (found || (first !== undefined && sheet.name !== first)) {
				for await (const row of sheet) void row; // drained, or the archive stalls
				continue;
			}
			found = true;
			for await (const row of sheet) {
				const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
				// `values` is indexed by column number: [0] is always empty.
				const cells: string[] = [];
				for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
				while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
				if (cells.length > 0) yield { line: row.number, cells };
			}
		}
	} catch (e) {
		if (e instanceof DomainError) throw e;
		throw new DomainError('file_not_a_table');
	}
	if (!found) throw new DomainError('file_not_a_table');
}

const LF = '\n';

/** One CSV cell: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvCell(text: string): string {
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The first sheet of a workbook as the bytes of a UTF-8 CSV file, for a reader of CSV streams
 * (the responses import: `importResponses(db, xlsxToCsv(bytes), …)`). A blank line stands for
 * each blank row, so that line numbers are the sheet's row numbers (unless a cell itself holds
 * a line break, which moves the rows after it down as it does in a CSV). Throws
 * `DomainError('file_not_a_table')` as `xlsxRows` does.
 */
export async function* xlsxToCsv(
	source: Uint8Array | AsyncIterable<Uint8Array>
): AsyncGenerator<Uint8Array> {
	const encoder = new TextEncoder();
	let line = 1;
	let batch = '';
	for await (const row of xlsxRows(source)) {
		// Blank rows before this one: the line breaks that keep the numbering.
		batch += LF.repeat(Math.max(0, row.line - line));
		batch += row.cells.map(csvCell).join(',') + LF;
		line = row.line + 1 + (row.cells.join('').match(/\r\n|\r|\n/g)?.length ?? 0);
		if (batch.length >= 1 << 16) {
			yield encoder.encode(batch);
			batch = '';
		}
	}
	if (batch.length > 0) yield encoder.encode(batch);
}

/**
 * A file as a reader of CSV streams takes it: a CSV as it is, a workbook's first sheet as CSV
 * (`xlsxToCsv`); anything else is refused with `DomainError('file_not_a_table')`. For a file
 * that is streamed from disk, `sniff` its first bytes and pass the stream to `xlsxToCsv`.
 */
export function asCsvSource(bytes: Uint8Array): Uint8Array | AsyncGenerator<Uint8Array> {
	switch (sniff(bytes)) {
		case 'csv':
			return bytes;
		case 'xlsx':
			return xlsxToCsv(bytes);
		case 'not_a_table':
			throw new DomainError('file_not_a_table');
	}
}
