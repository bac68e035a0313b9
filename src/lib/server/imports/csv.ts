// Reading the CSV files clerks upload, whole (the record files are thousands of rows, and their
// size is capped before this): decoding — UTF-8 with or without BOM, else GBK/GB18030 as Excel on
// a Chinese Windows saves — and splitting into records with the physical line each starts on
// (`CsvSplitter`, the responses import's own splitter). Bytes that are not valid in the encoding
// the file declares or shows are never silently replaced: they come out as U+FFFD, which every
// cell's text check (`$lib/domain/text`) reports with its line, column and position.
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import type { RowError } from '$lib/forms';
import { CsvSplitter, type StreamProblem, type StreamRecord } from './csv-stream';

/** One problem in a file: the physical line (header = 1), the column name, and what is wrong. */
export type CsvError = RowError;

export type TextEncoding = 'utf-8' | 'gb18030';

/** The file's SHA-256, for the audit entry (node's, twenty times the speed of a JS one). */
export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

const hasBom = (b: Uint8Array) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/**
 * How much of `bytes` reads as UTF-8: multi-byte sequences that are valid, and places where the
 * bytes are not (a run of bad bytes counts once). Chinese text in GBK has about as many bad
 * places as valid sequences (0.8 valid per bad place over all the messages of this product); a
 * UTF-8 file with a damaged byte has a handful of bad places among thousands of valid ones.
 */
function utf8Evidence(bytes: Uint8Array): { valid: number; invalid: number } {
	let valid = 0;
	let invalid = 0;
	let inRun = false;
	for (let i = 0; i < bytes.length;) {
		const b = bytes[i]!;
		if (b < 0x80) {
			i++;
			inRun = false;
			continue;
		}
		const need =
			b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
		let ok = need > 0;
		for (let k = 1; ok && k <= need; k++)
			ok = i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
		if (ok) {
			valid++;
			i += need + 1;
			inRun = false;
		} else {
			if (!inRun) invalid++;
			inRun = true;
			i++;
		}
	}
	return { valid, invalid };
}

/**
 * The text of a file and the encoding it was read in. UTF-8 when declared (BOM) or when the
 * bytes are valid UTF-8 — or nearly: a UTF-8 file with a damaged byte or two among many Chinese
 * characters is still UTF-8, its bad bytes U+FFFD (reported, never stored). Else GB18030, the
 * superset of GBK: Chinese text in GBK is almost never valid UTF-8, and reads as mostly invalid
 * sequences; bytes GB18030 cannot read either are U+FFFD too.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
	if (hasBom(bytes))
		return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
	} catch {
		// Not valid UTF-8 throughout: a damaged UTF-8 file, or GBK.
	}
	const { valid, invalid } = utf8Evidence(bytes);
	if (valid >= 4 * invalid)
		return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
	return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' };
}

/**
 * The records of a CSV text, in file order: each record's cells (untrimmed) and the physical
 * line it starts on, or the problem of a record whose quoting is broken (the others are read
 * on). Blank lines and lines of empty cells are skipped; line endings may be any.
 */
export function splitCsv(text: string): (StreamRecord | StreamProblem)[] {
	const splitter = new CsvSplitter();
	const normalised = text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
	return [...splitter.push(normalised), ...splitter.end()];
}
