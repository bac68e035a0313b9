// Reading a CSV file too big to hold (a province's responses file has millions of rows) as a
// stream: the encoding is told from the first non-ASCII bytes (UTF-8 with or without BOM, else
// GBK/GB18030, as `decodeText` does for whole files), and records come out in batches with the
// physical line each starts on. Memory stays at a chunk and a batch whatever the file's size.
import { createHash } from 'node:crypto';
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { CsvError } from './csv';

export type StreamEncoding = 'utf-8' | 'gb18030';

/** The length of `bytes` without a UTF-8 sequence cut off at its end. */
function completeUtf8Length(bytes: Uint8Array): number {
	const n = bytes.length;
	for (let back = 1; back <= Math.min(3, n); back++) {
		const b = bytes[n - back]!;
		if (b < 0x80) return n; // ASCII: nothing cut off
		if (b >= 0xc0) {
			const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
			return need > back ? n - back : n;
		}
	}
	return n;
}

const asBuffer = (b: Uint8Array) =>
	Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Walks UTF-8 as the standard reads it (no overlong forms, no surrogates, nothing past
 * U+10FFFF): how many multi-byte sequences are valid, how many bytes start none, and where the
 * first such byte is (-1: none). A sequence cut off by the end of `bytes` counts as neither.
 * Only for deciding an encoding and for locating a problem: the hot path uses `isUtf8`.
 */
export function scanUtf8(bytes: Uint8Array): { valid: number; invalid: number; first: number } {
	let valid = 0;
	let invalid = 0;
	let first = -1;
	const n = bytes.length;
	for (let i = 0; i < n;) {
		const c = bytes[i]!;
		if (c < 0x80) {
			i++;
			continue;
		}
		const need =
			c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
		// The second byte's range depends on the first (overlong forms, surrogates, > U+10FFFF).
		const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
		const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
		let ok = need > 0;
		let j = 1;
		for (; ok && j <= need && i + j < n; j++) {
			const b = bytes[i + j]!;
			ok = j === 1 ? b >= lo && b <= hi : b >= 0x80 && b <= 0xbf;
		}
		if (ok && i + j >= n && j <= need) break; // cut off by the end
		if (ok) {
			valid++;
			i += need + 1;
		} else {
			if (first === -1) first = i;
			invalid++;
			i++;
		}
	}
	return { valid, invalid, first };
}

/**
 * Whether bytes that are not all valid UTF-8 were still meant as UTF-8: a UTF-8 file with a
 * damaged byte has more valid sequences than bad bytes, a GBK file about ten bad bytes to each
 * valid-looking sequence (a GBK character reads as valid UTF-8 by chance about one time in
 * twelve).
 */
function mostlyUtf8(bytes: Uint8Array): boolean {
	const { valid, invalid } = scanUtf8(bytes);
	return valid > invalid;
}

/**
 * The bytes are not valid UTF-8 where a UTF-8 file (declared by its BOM, or told by its first
 * non-ASCII bytes) should be. `text` is what decodes before the first bad byte, in the chunk
 * where it was found (earlier chunks were returned already).
 */
export class InvalidUtf8 extends Error {
	/** The physical line and the 0-based cell where the bad byte is, once the reader knows. */
	line = 0;
	cell = 0;
	constructor(readonly text: string) {
		super('the file is not valid UTF-8 throughout');
		this.name = 'InvalidUtf8';
	}
}

/**
 * Decodes chunks into text. While every byte so far is ASCII the encoding is open (ASCII reads
 * the same in both); the first chunk with other bytes decides it: UTF-8 when they are (mostly)
 * valid UTF-8, else GB18030, the superset of GBK. A UTF-8 file's bad bytes are never replaced:
 * `write` throws `InvalidUtf8` at the first.
 */
export class StreamDecoder {
	encoding: StreamEncoding | null = null;
	private utf8 = new TextDecoder('utf-8', { fatal: true });
	private gb: ReturnType<typeof iconv.getDecoder> | null = null;
	private carry: Uint8Array = new Uint8Array(0);
	/** A UTF-8 sequence cut off at the end of the last chunk (held by `utf8` meanwhile). */
	private tail: Uint8Array = new Uint8Array(0);
	private started = false;

	write(chunk: Uint8Array): string {
		if (this.encoding === 'gb18030') return this.gb!.write(asBuffer(chunk));
		if (this.encoding === 'utf-8') return this.utf8Write(chunk);
		let bytes = chunk;
		if (this.carry.length > 0) {
			bytes = new Uint8Array(this.carry.length + chunk.length);
			bytes.set(this.carry);
			bytes.set(chunk, this.carry.length);
		}
		if (!this.started) {
			this.started = true;
			if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
				this.encoding = 'utf-8';
				return this.utf8Write(bytes.subarray(3));
			}
		}
		if (isAscii(bytes)) {
			this.carry = new Uint8Array(0);
			return asBuffer(bytes).toString('latin1');
		}
		const end = completeUtf8Length(bytes);
		const head = bytes.subarray(0, end);
		if (!isUtf8(head) && !mostlyUtf8(head)) {
			this.encoding = 'gb18030';
			this.gb = iconv.getDecoder('gb18030');
			this.carry = new Uint8Array(0);
			return this.gb.write(asBuffer(bytes));
		}
		if (isAscii(head)) {
			// The only other bytes are an unfinished sequence at the end: wait for the rest.
			this.carry = bytes.slice(end);
			return asBuffer(head).toString('latin1');
		}
		this.encoding = 'utf-8';
		this.carry = new Uint8Array(0);
		return this.utf8Write(bytes);
	}

	end(): string {
		if (this.encoding === 'gb18030') return this.gb!.end() ?? '';
		if (this.encoding === 'utf-8') {
			try {
				return this.utf8.decode();
			} catch {
				throw new InvalidUtf8('');
			}
		}
		if (this.carry.length === 0) return '';
		// A file that ends inside its first non-ASCII sequence: whatever it is, GB18030 reads it.
		this.encoding = 'gb18030';
		return iconv.decode(Buffer.from(this.carry), 'gb18030');
	}

	private utf8Write(bytes: Uint8Array): string {
		try {
			const text = this.utf8.decode(bytes, { stream: true });
			const end = completeUtf8Length(bytes);
			this.tail = end < bytes.length ? bytes.slice(end) : new Uint8Array(0);
			return text;
		} catch {
			// Where exactly: the text before the first bad byte, counting the cut-off tail.
			const all = new Uint8Array(this.tail.length + bytes.length);
			all.set(this.tail);
			all.set(bytes, this.tail.length);
			const { first } = scanUtf8(all);
			const upTo = first === -1 ? completeUtf8Length(all) : first;
			throw new InvalidUtf8(new TextDecoder('utf-8').decode(all.subarray(0, upTo)));
		}
	}
}

export interface StreamRecord {
	/** The physical line the record starts on (header = 1). */
	line: number;
	cells: string[];
}

export interface StreamProblem {
	line: number;
	problem: 'bad_quote' | 'quote_not_closed';
}

/**
 * Splits text into CSV records (RFC 4180: `"` quotes, `""` inside quotes, cells may span lines).
 * Text arrives in pieces; `push` returns the records completed so far. Line endings must already
 * be `\n`. Blank lines and lines of empty cells are skipped (spreadsheets leave them).
 */
export class CsvSplitter {
	private buf = '';
	/** Physical lines consumed so far. */
	private line = 0;

	push(text: string): (StreamRecord | StreamProblem)[] {
		this.buf = this.buf.length > 0 ? this.buf + text : text;
		return this.drain(false);
	}

	end(): (StreamRecord | StreamProblem)[] {
		return this.drain(true);
	}

	/** The line and 0-based cell at the end of the text pushed so far (inside a record or not). */
	position(): { line: number; cell: number } {
		let line = this.line + 1;
		let cell = 0;
		let quoted = false;
		for (let i = 0; i < this.buf.length; i++) {
			const c = this.buf.charCodeAt(i);
			if (c === 34) quoted = !quoted;
			else if (c === 10) {
				line++;
				if (!quoted) cell = 0;
			} else if (c === 44 && !quoted) cell++;
		}
		return { line, cell };
	}

	private drain(final: boolean): (StreamRecord | StreamProblem)[] {
		const s = this.buf;
		const out: (StreamRecord | StreamProblem)[] = [];
		let pos = 0;
		// The next quote at or after `pos`, found once per quote rather than once per line.
		let quote = s.indexOf('"');
		while (pos < s.length) {
			const nl = s.indexOf('\n', pos);
			if (nl === -1 && !final) break;
			const lineEnd = nl === -1 ? s.length : nl;
			if (quote !== -1 && quote < pos) quote = s.indexOf('"', pos);
			if (quote === -1 || quote > lineEnd) {
				// The common case: no quote on this line, cells are what is between commas.
				this.line++;
				const text = s.slice(pos, lineEnd);
				pos = lineEnd + 1;
				if (text.length > 0 && !isBlankRecord(text))
					out.push({ line: this.line, cells: text.split(',') });
				continue;
			}
			const r = parseQuoted(s, pos, final);
			if (r === null) break; // unfinished: wait for more text
			const start = this.line + 1;
			this.line += r.newlines + 1;
			pos = r.next;
			if ('problem' in r) out.push({ line: start, problem: r.problem });
			else if (!r.cells.every((c) => c.trim() === '')) out.push({ line: start, cells: r.cells });
		}
		this.buf = pos >= s.length ? '' : s.slice(pos);
		return out;
	}
}

function isBlankRecord(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		// comma, space, tab
		if (c !== 44 && c !== 32 && c !== 9) return false;
	}
	return true;
}

function countNewlines(s: string, from: number, to: number): number {
	let n = 0;
	for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
	return n;
}

type Parsed =
	| { cells: string[]; next: number; newlines: number }
	| { problem: StreamProblem['problem']; next: number; newlines: number };

/**
 * Parses one record that has a quote, from `start`. Null when the text ends before the record
 * does (and more may come). `next` is just after the record's line break; `newlines` counts the
 * line breaks inside it (not the one that ends it).
 */
function parseQuoted(s: string, start: number, final: boolean): Parsed | null {
	const cells: string[] = [];
	let i = start;
	let newlines = 0;
	// After a problem, the rest of the physical line is skipped.
	const skipLine = (from: number, problem: StreamProblem['problem']): Parsed | null => {
		const nl = s.indexOf('\n', from);
		if (nl === -1 && !final) return null;
		return { problem, next: nl === -1 ? s.length : nl + 1, newlines };
	};
	for (;;) {
		if (s.charCodeAt(i) === 34 /* " */) {
			let cell = '';
			let j = i + 1;
			for (;;) {
				const q = s.indexOf('"', j);
				if (q === -1) {
					if (!final) return null;
					return {
						problem: 'quote_not_closed',
						next: s.length,
						newlines: newlines + countNewlines(s, i, s.length)
					};
				}
				if (q + 1 >= s.length && !final) return null; // is it `""`? wait and see
				newlines += countNewlines(s, j, q);
				cell += s.slice(j, q);
				if (s.charCodeAt(q + 1) === 34) {
					cell += '"';
					j = q + 2;
					continue;
				}
				i = q + 1;
				break;
			}
			cells.push(cell);
			if (i >= s.length) return { cells, next: i, newlines };
			const c = s.charCodeAt(i);
			if (c === 44 /* , */) {
				i++;
				continue;
			}
			if (c === 10 /* \n */) return { cells, next: i + 1, newlines };
			return skipLine(i, 'bad_quote');
		}
		// An unquoted cell: up to the next comma or line break; a quote inside it is an error.
		let j = i;
		while (j < s.length) {
			const c = s.charCodeAt(j);
			if (c === 44 || c === 10) break;
			if (c === 34) return skipLine(j, 'bad_quote');
			j++;
		}
		if (j >= s.length && !final) return null;
		cells.push(s.slice(i, j));
		if (j >= s.length) return { cells, next: j, newlines };
		if (s.charCodeAt(j) === 10) return { cells, next: j + 1, newlines };
		i = j + 1;
	}
}

/** Normalises line endings across chunks: `\r\n` and a lone `\r` become `\n`. */
class LineEndings {
	private pendingCr = false;
	write(text: string): string {
		let t = text;
		if (this.pendingCr) t = '\r' + t;
		this.pendingCr = t.endsWith('\r');
		if (this.pendingCr) t = t.slice(0, -1);
		return t.indexOf('\r') === -1 ? t : t.replace(/\r\n?/g, '\n');
	}
	end(): string {
		const t = this.pendingCr ? '\n' : '';
		this.pendingCr = false;
		return t;
	}
}

export interface CsvStreamInfo {
	/** Decided at the first non-ASCII bytes; a pure ASCII file reads as UTF-8. */
	encoding(): StreamEncoding;
	/** SHA-256 of the bytes read, complete when the records are. */
	sha256(): string;
	bytes(): number;
}

/**
 * Reads a CSV byte stream into batches of records (and problems, in order). A UTF-8 file with a
 * bad byte: the records before it come out, then `InvalidUtf8` is thrown with its line and cell.
 */
export function csvRecords(source: AsyncIterable<Uint8Array>): {
	batches: AsyncGenerator<(StreamRecord | StreamProblem)[]>;
	info: CsvStreamInfo;
} {
	const decoder = new StreamDecoder();
	const endings = new LineEndings();
	const splitter = new CsvSplitter();
	const hash = createHash('sha256');
	let digest: string | null = null;
	let size = 0;
	async function* batches() {
		try {
			for await (const chunk of source) {
				hash.update(chunk);
				size += chunk.length;
				const records = splitter.push(endings.write(decoder.write(chunk)));
				if (records.length > 0) yield records;
			}
			const last = [
				...splitter.push(endings.write(decoder.end())),
				...splitter.push(endings.end())
			];
			digest = hash.digest('hex');
			last.push(...splitter.end());
			if (last.length > 0) yield last;
		} catch (e) {
			if (!(e instanceof InvalidUtf8)) throw e;
			const before = splitter.push(endings.write(e.text));
			if (before.length > 0) yield before;
			Object.assign(e, splitter.position());
			throw e;
		}
	}
	return {
		batches: batches(),
		info: {
			encoding: () => decoder.encoding ?? 'utf-8',
			sha256: () => digest ?? '',
			bytes: () => size
		}
	};
}

/** What is wrong with a record's quoting, in the user's language. */
export function problemMessage(p: StreamProblem['problem'], locale: Locale): string {
	return p === 'quote_not_closed'
		? m.imports_quote_not_closed({}, { locale })
		: m.imports_bad_quote({}, { locale });
}

export type HeaderError = CsvError & { code: string };

/**
 * Checks a header row as `readCsv` does: names trimmed and case-insensitive, every required
 * column present, none unknown or repeated. Returns each column's position, or the problems.
 */
export function checkHeader(
	record: StreamRecord,
	columns: readonly string[],
	locale: Locale
): { index: Map<string, number> } | { errors: HeaderError[] } {
	const o = { locale };
	const line = record.line;
	const header = record.cells.map((c) => c.trim().toLowerCase());
	const errors: HeaderError[] = [];
	const index = new Map<string, number>();
	header.forEach((column, i) => {
		if (column === '')
			errors.push({
				line,
				column: `#${i + 1}`,
				code: 'empty_column',
				message: m.imports_empty_column({ position: i + 1 }, o)
			});
		else if (index.has(column))
			errors.push({
				line,
				column,
				code: 'duplicate_column',
				message: m.imports_duplicate_column({ column }, o)
			});
		else if (!columns.includes(column))
			errors.push({
				line,
				column,
				code: 'unknown_column',
				message: m.imports_unknown_column({ column, expected: columns.join(', ') }, o)
			});
		if (column !== '' && !index.has(column)) index.set(column, i);
	});
	for (const column of columns)
		if (!index.has(column))
			errors.push({
				line,
				column,
				code: 'missing_column',
				message: m.imports_missing_column({ column }, o)
			});
	return errors.length > 0 ? { errors } : { index };
}

// ---------------------------------------------------------------------------------------------
// Handing a file's bytes to PostgreSQL's own CSV parser (`COPY … FROM STDIN (FORMAT csv)`):
// the bytes as UTF-8 whatever the file was written in, the header record split off (the caller
// checks it), and the body passed through with nothing but a look at what COPY would read
// differently from us.

const EMPTY = new Uint8Array(0);

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (a.length === 0) return b;
	if (b.length === 0) return a;
	const out = new Uint8Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

/**
 * The bytes of a file as UTF-8, decided as `StreamDecoder` decides: a BOM or UTF-8 at the
 * first non-ASCII bytes passes the bytes through untouched (PostgreSQL checks the rest), else
 * GB18030 (the superset of GBK) is decoded and re-encoded on the fly. A BOM is dropped.
 */
export class Utf8Transcoder {
	encoding: StreamEncoding | null = null;
	private gb: ReturnType<typeof iconv.getDecoder> | null = null;
	private carry: Uint8Array = EMPTY;
	private started = false;

	write(chunk: Uint8Array): Uint8Array {
		let bytes = concatBytes(this.carry, chunk);
		this.carry = EMPTY;
		if (!this.started) {
			if (bytes.length < 3) {
				this.carry = bytes.slice();
				return EMPTY;
			}
			this.started = true;
			if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
				this.encoding = 'utf-8';
				bytes = bytes.subarray(3);
			}
		}
		return this.convert(bytes);
	}

	end(): Uint8Array {
		const rest = this.carry;
		this.carry = EMPTY;
		this.started = true;
		let out = rest.length > 0 ? this.convert(rest) : EMPTY;
		// Still open: the file ends inside its first non-ASCII sequence; GB18030 reads anything.
		if (this.carry.length > 0) {
			out = concatBytes(out, Buffer.from(iconv.decode(Buffer.from(this.carry), 'gb18030'), 'utf8'));
			this.encoding = 'gb18030';
			this.carry = EMPTY;
		}
		if (this.encoding === 'gb18030' && this.gb)
			out = concatBytes(out, Buffer.from(this.gb.end() ?? '', 'utf8'));
		return out;
	}

	private convert(bytes: Uint8Array): Uint8Array {
		if (this.encoding === 'utf-8') return bytes;
		if (this.encoding === 'gb18030') return Buffer.from(this.gb!.write(asBuffer(bytes)), 'utf8');
		if (isAscii(bytes)) return bytes;
		const end = completeUtf8Length(bytes);
		const head = bytes.subarray(0, end);
		// Decided as `StreamDecoder` decides; a UTF-8 file's bad bytes pass to COPY, which refuses
		// them, and our own reader then says where they are.
		if (!isUtf8(head) && !mostlyUtf8(head)) {
			this.encoding = 'gb18030';
			this.gb = iconv.getDecoder('gb18030');
			return Buffer.from(this.gb.write(asBuffer(bytes)), 'utf8');
		}
		if (isAscii(head)) {
			// Only an unfinished sequence at the end: wait for the rest before deciding.
			this.carry = bytes.slice(end);
			return head;
		}
		this.encoding = 'utf-8';
		return bytes;
	}
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Splits the header record off UTF-8 bytes: blank lines before it are skipped, a quoted cell
 * may span lines. `push` returns the body bytes that follow the header (nothing until the
 * header is complete); `lines` is then the number of physical lines up to and including it.
 */
export class HeaderSplitter {
	/** The header record's text, without its line break; null until it is complete. */
	header: string | null = null;
	lines = 0;
	private pending: Uint8Array = EMPTY;

	push(bytes: Uint8Array): Uint8Array {
		if (this.header !== null) return bytes;
		this.pending = concatBytes(this.pending, bytes);
		// No line break in the first megabyte: no header we could read; stop looking.
		return this.scan(this.pending.length > 1 << 20);
	}

	end(): Uint8Array {
		if (this.header !== null) return EMPTY;
		return this.scan(true);
	}

	private scan(final: boolean): Uint8Array {
		const b = this.pending;
		let start = 0;
		let lines = 0;
		let quoted = false;
		let blank = true;
		for (let i = 0; i < b.length; i++) {
			const c = b[i]!;
			if (c === QUOTE) {
				quoted = !quoted;
				blank = false;
			} else if ((c === LF || c === CR) && !quoted) {
				if (c === CR && i + 1 >= b.length && !final) break; // `\r\n` split: wait
				const next = c === CR && b[i + 1] === LF ? i + 2 : i + 1;
				lines++;
				if (!blank) return this.found(start, i, next, lines);
				start = next;
				i = next - 1;
				blank = true;
			} else if (c === LF || c === CR) {
				lines++;
				if (c === CR && b[i + 1] === LF) i++;
			} else if (c !== 0x20 && c !== 0x09 && c !== 0x2c) blank = false;
		}
		if (!final) return EMPTY;
		// The file ends with its header (or has none): nothing follows.
		if (!blank) return this.found(start, b.length, b.length, lines + 1);
		this.pending = EMPTY;
		return EMPTY;
	}

	private found(start: number, end: number, next: number, lines: number): Uint8Array {
		this.header = Buffer.from(this.pending.buffer, this.pending.byteOffset + start, end - start)
			.toString('utf8')
			.replace(/\r\n?/g, '\n');
		this.lines = lines;
		const rest = this.pending.subarray(next);
		this.pending = EMPTY;
		return rest;
	}
}

/** The header record's cells, as `checkHeader` takes them. */
export function headerRecord(text: string, line: number): StreamRecord | StreamProblem {
	const splitter = new CsvSplitter();
	const records = [...splitter.push(text + '\n'), ...splitter.end()];
	const first = records[0] ?? { line: 1, cells: [''] };
	return { ...first, line };
}

/** PostgreSQL's COPY would read the data differently from the file: see `BodyFilter`. */
export class CopyWouldDiffer extends Error {
	constructor() {
		super('a line COPY reads as the end of the data');
		this.name = 'CopyWouldDiffer';
	}
}

/**
 * The body bytes as COPY gets them: trailing blank lines (which COPY would read as a row of
 * missing cells) held back and dropped at the end, the line breaks counted (for progress), and
 * a line `\.` — the end-of-data marker of COPY FROM STDIN — refused with `CopyWouldDiffer`.
 */
export class BodyFilter {
	/** Line feeds passed so far. */
	newlines = 0;
	private held: Uint8Array = EMPTY;
	private sent = false;
	/** The last two bytes passed (line start at the beginning). */
	private tail0 = LF;
	private tail1 = LF;

	push(bytes: Uint8Array): Uint8Array {
		if (bytes.length === 0) return EMPTY;
		let last = bytes.length - 1;
		while (last >= 0) {
			const c = bytes[last]!;
			if (c !== LF && c !== CR && c !== 0x20 && c !== 0x09) break;
			last--;
		}
		if (last < 0 && this.held.length < 1 << 16) {
			this.held = concatBytes(this.held, bytes.slice());
			return EMPTY;
		}
		const out = concatBytes(this.held, bytes.subarray(0, last + 1));
		this.held = last + 1 < bytes.length ? bytes.slice(last + 1) : EMPTY;
		this.inspect(out);
		return out;
	}

	/** The bytes to send last: a final line break when there was a body at all. */
	end(): Uint8Array {
		this.held = EMPTY;
		return this.sent ? new Uint8Array([LF]) : EMPTY;
	}

	private inspect(out: Uint8Array) {
		if (out.length === 0) return;
		this.sent = true;
		const buf = asBuffer(out);
		for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) this.newlines++;
		const lineStart = (c: number) => c === LF || c === CR;
		const lineEnd = (i: number) => i >= out.length || out[i] === LF || out[i] === CR;
		// `\.` across the previous chunk's end, then inside this one.
		if (this.tail1 === 0x5c && out[0] === 0x2e && lineStart(this.tail0) && lineEnd(1))
			throw new CopyWouldDiffer();
		for (let i = buf.indexOf('\\.'); i !== -1; i = buf.indexOf('\\.', i + 1)) {
			const before = i === 0 ? this.tail1 : out[i - 1]!;
			if (lineStart(before) && lineEnd(i + 2)) throw new CopyWouldDiffer();
		}
		if (
			out[out.length - 1] === 0x5c &&
			lineStart(out.length > 1 ? out[out.length - 2]! : this.tail1)
		)
			throw new CopyWouldDiffer(); // `\` at a line start, what follows unknown: be safe
		this.tail0 = out.length > 1 ? out[out.length - 2]! : this.tail1;
		this.tail1 = out[out.length - 1]!;
	}
}
