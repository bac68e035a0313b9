// A `multipart/form-data` body read as it arrives, for the import pages: `request.formData()`
// would hold a whole upload in memory, and a responses file is hundreds of megabytes. The text
// fields come back as strings; the one file's bytes go, chunk by chunk, to the caller's sink
// (memory for a record file, a temporary file for responses). Only what the import forms send is
// supported: small text fields and at most one file.

/** Why a body could not be read. */
export type MultipartProblem =
	/** Not `multipart/form-data` (or no boundary). */
	| 'not_multipart'
	/** Cut short, or not shaped as multipart. */
	| 'malformed'
	/** The file is larger than the limit given. */
	| 'file_too_large'
	/** The body around the file (fields, headers) is larger than any import form sends. */
	| 'fields_too_large';

export class MultipartError extends Error {
	constructor(
		readonly problem: MultipartProblem,
		/** The file's bytes read when it was refused (`file_too_large`: more than the limit). */
		readonly bytes = 0
	) {
		super(`multipart: ${problem}`);
		this.name = 'MultipartError';
	}
}

/** Where a file's bytes go: `write` is awaited before the next chunk is read. */
export interface FileSink {
	write(chunk: Uint8Array): Promise<void> | void;
}

export interface MultipartResult {
	fields: Record<string, string>;
	/** The file part (its field name and file name) and its size; null when there is none. */
	file: { field: string; name: string; size: number } | null;
}

/** Bytes the form's fields and part headers may take besides the file. */
export const MULTIPART_OVERHEAD = 64 * 1024;
const MAX_HEADER_BYTES = 8 * 1024;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` content type, or null. */
export function boundaryOf(contentType: string | null): string | null {
	if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
	const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	const b = m?.[1] ?? m?.[2];
	return b && b.length <= 200 ? b : null;
}

function parseHeaders(block: string): { name: string; filename: string | null } | null {
	const disposition = block
		.split('\r\n')
		.find((l) => /^content-disposition\s*:/i.test(l))
		?.replace(/^[^:]*:/, '');
	if (!disposition || !/^\s*form-data\s*(;|$)/i.test(disposition)) return null;
	const param = (key: string) => {
		// `filename*=` (RFC 5987) is not what browsers send for forms; plain quoted values are.
		const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition);
		return m ? m[1]!.replace(/\\(.)/g, '$1') : null;
	};
	const name = param('name');
	if (name === null) return null;
	return { name, filename: param('filename') };
}

/**
 * Reads a multipart body. The file part's bytes go to `sink` (the first file only; a second is
 * refused as malformed); at most `maxFileBytes` of them, else `file_too_large` is thrown as soon
 * as the limit is passed, without reading further.
 */
export async function readMultipart(
	body: ReadableStream<Uint8Array> | null,
	contentType: string | null,
	opts: { maxFileBytes: number; sink: FileSink }
): Promise<MultipartResult> {
	const boundary = boundaryOf(contentType);
	if (!boundary || !body) throw new MultipartError(boundary ? 'malformed' : 'not_multipart');
	// Every delimiter but the first follows a CRLF; a CRLF put in front makes the first alike.
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	const fields: Record<string, string> = {};
	let file: MultipartResult['file'] = null;
	let other = 0;

	let buffer: Buffer = Buffer.from(CRLF);
	const reader = body.getReader();
	let done = false;
	const more = async () => {
		if (done) return false;
		const r = await reader.read();
		if (r.done) {
			done = true;
			return false;
		}
		buffer = buffer.length ? Buffer.concat([buffer, r.value]) : Buffer.from(r.value);
		return true;
	};
	/** Reads until `needle` is in the buffer from `from`; its index, or -1 at the end. */
	const find = async (needle: Buffer, from = 0, limit = Infinity) => {
		for (;;) {
			const at = buffer.indexOf(needle, from);
			if (at !== -1) return at;
			if (buffer.length > limit) throw new MultipartError('fields_too_large');
			if (!(await more())) return -1;
		}
	};

	try {
		// The preamble, then the first delimiter.
		let at = await find(delimiter, 0, MULTIPART_OVERHEAD);
		if (at === -1) throw new MultipartError('malformed');
		buffer = buffer.subarray(at + delimiter.length);
		for (;;) {
			while (buffer.length < 2 && (await more()));
			// `--` after a delimiter closes the body.
			if (buffer.subarray(0, 2).toString() === '--') break;
			const end = await find(HEADER_END, 0, MAX_HEADER_BYTES);
			if (end === -1) throw new MultipartError('malformed');
			const headers = parseHeaders(buffer.subarray(0, end).toString('utf8').replace(/^\r\n/, ''));
			if (!headers) throw new MultipartError('malformed');
			buffer = buffer.subarray(end + HEADER_END.length);

			if (headers.filename !== null) {
				if (file) throw new MultipartError('malformed');
				file = { field: headers.name, name: headers.filename, size: 0 };
				// Stream the part: everything but a tail that could be the start of the delimiter.
				for (;;) {
					at = buffer.indexOf(delimiter);
					const safe = at === -1 ? Math.max(0, buffer.length - delimiter.length) : at;
					if (safe > 0) {
						file.size += safe;
						if (file.size > opts.maxFileBytes)
							throw new MultipartError('file_too_large', file.size);
						await opts.sink.write(buffer.subarray(0, safe));
						buffer = buffer.subarray(safe);
					}
					if (at !== -1) break;
					if (!(await more())) throw new MultipartError('malformed');
				}
			} else {
				at = await find(delimiter, 0, MULTIPART_OVERHEAD - other);
				if (at === -1) throw new MultipartError('malformed');
				other += at;
				fields[headers.name] = buffer.subarray(0, at).toString('utf8');
			}
			buffer = buffer.subarray(buffer.indexOf(delimiter) + delimiter.length);
		}
	} finally {
		reader.releaseLock();
	}
	return { fields, file };
}
