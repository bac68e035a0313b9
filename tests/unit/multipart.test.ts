// The import pages' streaming multipart reader: the fields and the file's exact bytes whatever
// the chunks the body arrives in, the size limit as soon as it is passed, and refusals of bodies
// that are no form upload.
import { describe, expect, it } from 'vitest';
import { MultipartError, boundaryOf, readMultipart } from '$lib/server/imports/multipart';

/** A form body as a browser would send it (undici's encoder), and its content type. */
async function formBody(
	fields: Record<string, string>,
	file?: { name: string; bytes: Uint8Array<ArrayBuffer> }
) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	if (file) form.append('file', new Blob([file.bytes]), file.name);
	const request = new Request('http://x/', { method: 'POST', body: form });
	return {
		bytes: new Uint8Array(await request.arrayBuffer()),
		contentType: request.headers.get('content-type')!
	};
}

/** `bytes` as a stream of chunks of `size` bytes. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
	let at = 0;
	return new ReadableStream({
		pull(controller) {
			if (at >= bytes.length) return controller.close();
			controller.enqueue(bytes.slice(at, at + size));
			at += size;
		}
	});
}

async function read(bytes: Uint8Array, contentType: string, chunk = 7, maxFileBytes = 1 << 20) {
	const parts: Uint8Array[] = [];
	const result = await readMultipart(chunked(bytes, chunk), contentType, {
		maxFileBytes,
		sink: { write: (c) => void parts.push(c.slice()) }
	});
	return { ...result, bytes: Buffer.concat(parts) };
}

async function problem(p: Promise<unknown>) {
	try {
		await p;
	} catch (e) {
		if (e instanceof MultipartError) return e.problem;
		throw e;
	}
	return null;
}

// Bytes that look like a delimiter's start, CRLFs and every byte value.
const tricky: Uint8Array<ArrayBuffer> = new Uint8Array([
	...new TextEncoder().encode('code,name\r\n--\r\n-- not a boundary\r\n'),
	...Array.from({ length: 256 }, (_, i) => i),
	13,
	10,
	45,
	45
]);

describe('readMultipart', () => {
	it.each([1, 2, 5, 64, 100_000])(
		'reads fields and the exact file in chunks of %i bytes',
		async (size) => {
			const body = await formBody(
				{ year: '2026', removeExamples: 'yes' },
				{ name: '部门.csv', bytes: tricky }
			);
			const r = await read(body.bytes, body.contentType, size);
			expect(r.fields).toEqual({ year: '2026', removeExamples: 'yes' });
			expect(r.file).toEqual({ field: 'file', name: '部门.csv', size: tricky.length });
			expect(Buffer.compare(r.bytes, Buffer.from(tricky))).toBe(0);
		}
	);

	it('reads a form without a file, and an empty file', async () => {
		const none = await formBody({ year: '2026' });
		expect(await read(none.bytes, none.contentType)).toMatchObject({
			fields: { year: '2026' },
			file: null
		});
		const empty = await formBody({}, { name: 'empty.csv', bytes: new Uint8Array() });
		expect((await read(empty.bytes, empty.contentType)).file).toMatchObject({ size: 0 });
	});

	it('stops at the first byte past the limit', async () => {
		const big = await formBody({}, { name: 'big.csv', bytes: new Uint8Array(10_000).fill(65) });
		expect(await problem(read(big.bytes, big.contentType, 1000, 9_999))).toBe('file_too_large');
		expect((await read(big.bytes, big.contentType, 1000, 10_000)).file?.size).toBe(10_000);
	});

	it('refuses what is no form upload', async () => {
		const body = await formBody({}, { name: 'a.csv', bytes: tricky });
		expect(await problem(read(body.bytes, 'text/plain'))).toBe('not_multipart');
		// Cut short.
		expect(await problem(read(body.bytes.slice(0, body.bytes.length - 30), body.contentType))).toBe(
			'malformed'
		);
		// Another boundary than the body's.
		expect(await problem(read(body.bytes, 'multipart/form-data; boundary=something-else'))).toBe(
			'malformed'
		);
		// Huge fields.
		const fields = await formBody({ note: 'x'.repeat(100_000) });
		expect(await problem(read(fields.bytes, fields.contentType))).toBe('fields_too_large');
	});

	it('refuses a second file', async () => {
		const form = new FormData();
		form.append('file', new Blob(['a']), 'a.csv');
		form.append('other', new Blob(['b']), 'b.csv');
		const request = new Request('http://x/', { method: 'POST', body: form });
		const bytes = new Uint8Array(await request.arrayBuffer());
		expect(await problem(read(bytes, request.headers.get('content-type')!))).toBe('malformed');
	});

	it('finds the boundary, quoted or not', () => {
		expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
		expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b"')).toBe('a b');
		expect(boundaryOf('multipart/mixed; boundary=abc')).toBeNull();
		expect(boundaryOf(null)).toBeNull();
	});
});
