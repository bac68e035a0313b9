// A complaint's attachments before anything is stored: the type sniffed from the bytes and
// checked against the name (a lying extension refused), empty and oversized files, too many or
// too much in all, the names made safe for a header, the download's Content-Disposition, the
// form's files, and the body limit of the complaint form's route.
import { describe, expect, it } from 'vitest';
import {
	ATTACHMENT_ACCEPT,
	ATTACHMENT_MAX_BYTES,
	ATTACHMENTS_FORM_MAX_BYTES,
	ATTACHMENTS_MAX_FILES,
	ATTACHMENTS_MAX_TOTAL_BYTES,
	MB,
	contentDisposition,
	safeFileName
} from '$lib/domain/attachments';
import { DomainError, httpStatusOf, messageOf, type ProblemDetail } from '$lib/errors';
import {
	attachmentHeaders,
	checkAttachments,
	filesOf,
	type IncomingFile
} from '$lib/server/complaints/attachments';
import { BODY_MAX_BYTES, bodyLimitOf } from '$lib/server/imports/body-limit';
import { exe, heic, jpeg, padded, pdf, png, text, webp } from '../helpers/attachment-files';

/** The refusal of `files`: its details. Fails when they are accepted. */
async function refusal(files: IncomingFile[]): Promise<readonly ProblemDetail[]> {
	const e = await checkAttachments(files).then(
		() => null,
		(e: unknown) => e
	);
	expect(e).toBeInstanceOf(DomainError);
	expect((e as DomainError).code).toBe('attachments_refused');
	return (e as DomainError).details;
}

describe('checkAttachments accepts', () => {
	it.each([
		['photo.jpg', 'image/jpeg', jpeg(), 'photo.jpg'],
		['Photo.JPEG', 'image/jpeg', jpeg(), 'Photo.JPEG'],
		['screen.png', 'image/png', png(), 'screen.png'],
		['shot.webp', 'image/webp', webp(), 'shot.webp'],
		['IMG_0001.HEIC', 'image/heic', heic('heic'), 'IMG_0001.HEIC'],
		// Samsung phones write the `mif1` brand under the .heic extension: one family.
		['20260301_101500.heic', 'image/heif', heic('mif1'), '20260301_101500.heic'],
		['投诉材料.pdf', 'application/pdf', pdf(), '投诉材料.pdf'],
		// No extension is no lie: the stored name gets the type's.
		['IMG_0002', 'image/jpeg', jpeg(), 'IMG_0002.jpg'],
		['C:\\Users\\张三\\Desktop\\收据.pdf', 'application/pdf', pdf(), '收据.pdf']
	])('%s as %s', async (name, type, bytes, stored) => {
		const [checked] = await checkAttachments([{ name, bytes }]);
		expect(checked).toMatchObject({ name: stored, contentType: type, size: bytes.length });
		expect(checked!.sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('a file of exactly the limit, and the most files and bytes allowed', async () => {
		const files = [
			{ name: 'a.pdf', bytes: padded(pdf(), ATTACHMENT_MAX_BYTES) },
			{ name: 'b.pdf', bytes: padded(pdf(), ATTACHMENT_MAX_BYTES) },
			{ name: 'c.jpg', bytes: padded(jpeg(), 5 * MB - png().length - webp().length) },
			{ name: 'd.png', bytes: png() },
			{ name: 'e.webp', bytes: webp() }
		];
		expect(files).toHaveLength(ATTACHMENTS_MAX_FILES);
		expect(files.reduce((n, f) => n + f.bytes.length, 0)).toBe(ATTACHMENTS_MAX_TOTAL_BYTES);
		const checked = await checkAttachments(files);
		expect(checked.map((c) => c.name)).toEqual(['a.pdf', 'b.pdf', 'c.jpg', 'd.png', 'e.webp']);
	});

	it('no files at all', async () => {
		expect(await checkAttachments([])).toEqual([]);
	});
});

describe('checkAttachments refuses', () => {
	it.each([
		// A lying extension: the name claims one accepted type, the bytes are another or none.
		['photo.jpg', 'attachment_extension', pdf(), { actual: 'PDF' }],
		['photo.jpg', 'attachment_extension', exe(), { actual: 'EXE' }],
		['photo.png', 'attachment_extension', jpeg(), { actual: 'JPEG' }],
		['scan.pdf', 'attachment_extension', text('<html><script>alert(1)</script>'), { actual: '' }],
		// Right-to-left override: shows as `invoiceexe.pdf`, is `invoice…fdp.exe`.
		['invoice\u202efdp.exe', 'attachment_extension', pdf(), { actual: 'PDF' }],
		// A type not accepted, under its own name.
		['setup.exe', 'attachment_type', exe(), {}],
		['notes.txt', 'attachment_type', text(), {}],
		['notes', 'attachment_type', text(), {}],
		['page.html', 'attachment_type', text('<!doctype html><p>hi'), {}],
		['empty.pdf', 'attachment_empty', new Uint8Array(0), {}],
		[
			'big.pdf',
			'attachment_too_large',
			padded(pdf(), ATTACHMENT_MAX_BYTES + 1),
			{ size: 10.1, max: 10 }
		]
	])('%s as %s', async (name, code, bytes, params) => {
		const details = await refusal([{ name, bytes }]);
		expect(details).toEqual([
			{
				field: 'attachments.0',
				code,
				params: { name: safeFileName(name), ...params }
			}
		]);
	});

	it('more files than allowed, whatever each is', async () => {
		const files = Array.from({ length: ATTACHMENTS_MAX_FILES + 1 }, (_, i) => ({
			name: `p${i}.png`,
			bytes: png()
		}));
		expect(await refusal(files)).toEqual([
			{ field: 'attachments', code: 'attachments_too_many', params: { count: 6, max: 5 } }
		]);
	});

	it('more bytes in all than allowed, though each file is within its limit', async () => {
		const files = ['a', 'b', 'c'].map((n) => ({ name: `${n}.pdf`, bytes: padded(pdf(), 9 * MB) }));
		expect(await refusal(files)).toEqual([
			{
				field: 'attachments',
				code: 'attachments_total_too_large',
				params: { size: 27, max: 25 }
			}
		]);
	});

	it('every problem at once, each under its file, in the field asked for', async () => {
		const e = await checkAttachments(
			[
				{ name: 'ok.jpg', bytes: jpeg() },
				{ name: 'lie.jpg', bytes: pdf() },
				{ name: 'empty.png', bytes: new Uint8Array(0) }
			],
			{ field: 'files' }
		).catch((e: DomainError) => e);
		expect(e).toBeInstanceOf(DomainError);
		const error = e as DomainError;
		expect(error.field).toBe('files');
		expect(httpStatusOf(error.code)).toBe(422);
		expect(error.details.map((d) => [d.field, d.code])).toEqual([
			['files.1', 'attachment_extension'],
			['files.2', 'attachment_empty']
		]);
	});

	it('words each refusal in both languages, naming the file', async () => {
		const details = await refusal([
			{ name: '照片.jpg', bytes: exe() },
			{ name: 'a.docx', bytes: text() },
			{ name: 'b.pdf', bytes: new Uint8Array(0) },
			{ name: 'c.pdf', bytes: padded(pdf(), ATTACHMENT_MAX_BYTES + MB) },
			{ name: 'd.jpg', bytes: text() }
		]);
		const en = details.map((d) => messageOf(d.code, d.params, 'en'));
		const zh = details.map((d) => messageOf(d.code, d.params, 'zh-CN'));
		expect(en).toEqual([
			'The extension of “照片.jpg” does not match its content (EXE). Upload the original file without renaming it.',
			'“a.docx” is not a type of file we accept. Accepted: JPEG / PNG / WebP / HEIC / PDF.',
			'“b.pdf” is empty.',
			'“c.pdf” is 11 MB; each attachment may be at most 10 MB.',
			'The extension of “d.jpg” does not match its content (an unrecognised format). Upload the original file without renaming it.'
		]);
		expect(zh[1]).toBe('“a.docx”不是可以接受的文件类型。只接受 JPEG / PNG / WebP / HEIC / PDF。');
		expect(zh[4]).toContain('无法识别的格式');
		expect(messageOf('attachments_refused', {}, 'zh-CN')).toContain('一个也没有保存');
	});
});

describe('file names', () => {
	it.each([
		['photo.jpg', 'photo.jpg'],
		['../../etc/passwd', 'passwd'],
		['C:\\fakepath\\收据.pdf', '收据.pdf'],
		['.htaccess', 'htaccess'],
		['a\r\nContent-Type: text-html.pdf', 'a Content-Type: text-html.pdf'],
		['say "hi".pdf', 'say hi.pdf'],
		['invoice\u202efdp.exe', 'invoicefdp.exe'],
		['zero\u200bwidth\ufeff.png', 'zerowidth.png'],
		['   ', 'attachment'],
		['\u0000', 'attachment'],
		[`${'长'.repeat(300)}.jpeg`, `${'长'.repeat(115)}.jpeg`]
	])('%j is kept as %j', (name, safe) => {
		expect(safeFileName(name)).toBe(safe);
	});

	it.each([
		['photo.jpg', `attachment; filename="photo.jpg"; filename*=UTF-8''photo.jpg`],
		[
			'投诉 材料.pdf',
			`attachment; filename="attachment.pdf"; filename*=UTF-8''%E6%8A%95%E8%AF%89%20%E6%9D%90%E6%96%99.pdf`
		],
		[
			"收据(1) 张三's.jpg",
			`attachment; filename="_(1) _'s.jpg"; filename*=UTF-8''%E6%94%B6%E6%8D%AE%281%29%20%E5%BC%A0%E4%B8%89%27s.jpg`
		],
		['a;b%c.png', `attachment; filename="a_b_c.png"; filename*=UTF-8''a%3Bb%25c.png`]
	])('Content-Disposition of %j', (name, header) => {
		expect(contentDisposition(name)).toBe(header);
		// Only printable ASCII in a header.
		expect(header).toMatch(/^[\x20-\x7e]+$/);
	});

	it('headers of a download: the stored type, saved not shown, no sniffing, sandboxed', () => {
		const headers = attachmentHeaders({ name: '现场.jpg', contentType: 'image/jpeg', size: 1234 });
		expect(headers).toMatchObject({
			'Content-Type': 'image/jpeg',
			'Content-Length': '1234',
			'Content-Disposition': `attachment; filename="attachment.jpg"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA.jpg`,
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		});
		expect(headers['Content-Security-Policy']).toContain('sandbox');
		// A row with any other type (edited by hand) is sent as bytes, never as a page.
		const odd = attachmentHeaders({ name: 'x.html', contentType: 'text/html', size: 1 });
		expect(odd['Content-Type']).toBe('application/octet-stream');
	});

	it("the form's accept attribute names the extensions and types", () => {
		const accept = ATTACHMENT_ACCEPT.split(',');
		expect(accept).toEqual(
			expect.arrayContaining([
				'.jpg',
				'.heic',
				'.pdf',
				'image/jpeg',
				'image/heic',
				'application/pdf'
			])
		);
		expect(accept).not.toContain('.exe');
	});
});

describe('filesOf', () => {
	/** A form body as a browser sends it, parsed as SvelteKit's `request.formData()` does. */
	async function parsed(parts: string[]): Promise<FormData> {
		const boundary = '----pingyi';
		const body = parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
		return new Request('http://x/', {
			method: 'POST',
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
			body
		}).formData();
	}
	const filePart = (name: string, content: string) =>
		`Content-Disposition: form-data; name="attachments"; filename="${name}"\r\n` +
		`Content-Type: application/octet-stream\r\n\r\n${content}`;

	it('skips the empty part of a file input left empty', async () => {
		const form = await parsed([
			'Content-Disposition: form-data; name="summary"\r\n\r\nno receipt',
			filePart('', '')
		]);
		expect(await filesOf(form, 'attachments')).toEqual([]);
	});

	it('reads each chosen file, an empty one included (refused later), text values not', async () => {
		const form = await parsed([
			filePart('a.pdf', '%PDF-1.4 a'),
			'Content-Disposition: form-data; name="attachments"\r\n\r\nnot a file',
			filePart('empty.png', ''),
			filePart('b.txt', 'hello')
		]);
		const files = await filesOf(form, 'attachments');
		expect(files.map((f) => [f.name, new TextDecoder().decode(f.bytes)])).toEqual([
			['a.pdf', '%PDF-1.4 a'],
			['empty.png', ''],
			['b.txt', 'hello']
		]);
	});
});

describe('body limit of the complaint form', () => {
	it.each([
		['/(public)/complaint', ATTACHMENTS_FORM_MAX_BYTES],
		['/complaint', ATTACHMENTS_FORM_MAX_BYTES],
		['/(public)/complaint/track', BODY_MAX_BYTES],
		['/(app)/departments', BODY_MAX_BYTES],
		[null, BODY_MAX_BYTES]
	])('%s takes at most %i bytes', (route, limit) => {
		expect(bodyLimitOf(route)).toBe(limit);
	});

	it('is above the attachments’ total, which is above the default', () => {
		expect(ATTACHMENTS_FORM_MAX_BYTES).toBeGreaterThan(25 * MB);
		expect(ATTACHMENTS_FORM_MAX_BYTES).toBeGreaterThan(BODY_MAX_BYTES);
	});
});
