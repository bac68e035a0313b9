// A `multipart/form-data` body read as it arrives, for the import pages: `request.formData()`
// would hold a whole upload in memory, and a responses file is hundreds of megabytes. busboy
// parses the body; the text fields come back as strings, and the one file's bytes go, chunk by
// chunk, to the caller's sink (memory for a record file, a temporary file for responses), each
// write awaited before more of the body is read. Only what the import forms send is taken: small
// text fields and at most one file.
import busboy from 'busboy';
import { Readable } from 'node:stream';

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

/** The boundary of a `multipart/form-data` content type, or null. */
export function boundaryOf(contentType: string | null): string | null {
	if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
	const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	const b = m?.[1] ?? m?.[2];
	return b && b.length <= 200 ? b : null;
}

/**
 * Reads a multipart body. The file part's bytes go to `sink` (one file only; a second is refused
 * as malformed); at most `maxFileBytes` of them, else `file_too_large` is thrown as soon as the
 * limit is passed, and the rest of the body is not read.
 */
export async function readMultipart(
	body: ReadableStream<Uint8Array> | null,
	contentType: string | null,
	opts: { maxFileBytes: number; sink: FileSink }
): Promise<MultipartResult> {
	const boundary = boundaryOf(contentType);
	if (!boundary || !body) throw new MultipartError(boundary ? 'malformed' : 'not_multipart');
	const parser = busboy({
		headers: { 'content-type': contentType! },
		defParamCharset: 'utf8',
		limits: {
			// One byte over the limit is how the limit is found passed.
			fileSize: opts.maxFileBytes + 1,
			files: 1,
			fieldSize: MULTIPART_OVERHEAD,
			fields: 32,
			parts: 33,
			headerPairs: 16
		}
	});
	const input = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
	const fields: Record<string, string> = {};
	let file: MultipartResult['file'] = null;
	let fieldBytes = 0;
	let writing: Promise<void> = Promise.resolve();
	let failure: MultipartError | null = null;

	const finished = new Promise<void>((resolve, reject) => {
		/** Stops reading at the first problem: the rest of the body is never needed. */
		const fail = (e: MultipartError) => {
			failure ??= e;
			input.unpipe(parser);
			input.destroy();
			reject(failure);
		};
		parser.on('field', (name, value, info) => {
			fieldBytes += name.length + value.length;
			if (info.valueTruncated || fieldBytes > MULTIPART_OVERHEAD)
				return fail(new MultipartError('fields_too_large'));
			fields[name] = value;
		});
		parser.on('file', (name, stream, info) => {
			const f = { field: name, name: info.filename ?? '', size: 0 };
			file = f;
			// Async iteration pauses the part, and busboy the body, while the sink writes.
			writing = (async () => {
				for await (const chunk of stream as AsyncIterable<Buffer>) {
					f.size += chunk.length;
					if (f.size > opts.maxFileBytes) throw new MultipartError('file_too_large', f.size);
					await opts.sink.write(chunk);
				}
			})();
			writing.catch((e: unknown) => {
				stream.resume();
				fail(e instanceof MultipartError ? e : new MultipartError('malformed'));
			});
		});
		for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const)
			parser.on(limit, () => fail(new MultipartError('malformed')));
		parser.on('error', () => fail(new MultipartError('malformed')));
		input.on('error', () => fail(new MultipartError('malformed')));
		parser.on('close', () => resolve());
	});
	input.pipe(parser);
	await finished;
	await writing;
	if (failure) throw failure;
	return { fields, file };
}
