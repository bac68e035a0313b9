// What a file is, by its first bytes rather than its name (a clerk's `.csv` may be an Excel
// workbook renamed, a `.xlsx` sent where a CSV was asked for, a photo of the list): a CSV text,
// an XLSX workbook (a zip), or nothing an import reads. Every import path asks this first, so a
// picture gets "this is not a CSV file" instead of "line 2: cannot read this line".

export type FileKind = 'csv' | 'xlsx' | 'not_a_table';

/** How many leading bytes `sniff` looks at; pass at least these (the whole file is fine). */
export const SNIFF_BYTES = 4096;

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
	b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Formats no import reads, by their magic numbers. */
const NOT_A_TABLE: readonly (readonly number[])[] = [
	[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], // OLE2: old .xls/.doc, encrypted .xlsx
	ascii('%PDF-'),
	[0x89, 0x50, 0x4e, 0x47], // PNG
	[0xff, 0xd8, 0xff], // JPEG
	ascii('GIF8'),
	[0x49, 0x49, 0x2a, 0x00], // TIFF, little-endian
	[0x4d, 0x4d, 0x00, 0x2a], // TIFF, big-endian
	[0x1f, 0x8b], // gzip
	[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
	ascii('Rar!'),
	[0xff, 0xfe], // UTF-16 LE BOM: Excel's "Unicode text" (tab-separated), not CSV
	[0xfe, 0xff] // UTF-16 BE BOM
];

/**
 * `xlsx` for a zip (an Office Open XML workbook; one that turns out to be another kind of zip
 * is refused when read), `not_a_table` for a known binary format or bytes that are mostly
 * control characters (an image or archive of a kind not listed), else `csv`.
 */
export function sniff(head: Uint8Array): FileKind {
	const b = head.subarray(0, SNIFF_BYTES);
	if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]))
		return 'xlsx';
	if (NOT_A_TABLE.some((sig) => startsWith(b, sig))) return 'not_a_table';
	if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'not_a_table';
	// Text has few control bytes besides tab, line breaks and form feed; a CSV with a stray NUL
	// or two is still a CSV (its cells are refused with their line and column).
	let control = 0;
	for (const c of b)
		if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
	return control > 8 && control * 10 > b.length ? 'not_a_table' : 'csv';
}
