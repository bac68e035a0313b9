// Complaint attachments on disk (no database): stored by SHA-256 under a temporary
// ATTACHMENTS_DIR, written whole or not at all, the same bytes stored once however often sent,
// nothing written for a refused upload, and read back as a download with its headers.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MB } from '$lib/domain/attachments';
import { isDomainError } from '$lib/errors';
import {
	attachmentResponse,
	attachmentsDir,
	checkAttachments,
	filesOf,
	openAttachment,
	storeAttachments
} from '$lib/server/complaints/attachments';
import { exe, jpeg, padded, pdf, png } from '../helpers/attachment-files';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'pingyi-attachments-'));
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(root: string): Promise<string[]> {
	const entries = await readdir(root, { recursive: true, withFileTypes: true });
	return entries
		.filter((e) => e.isFile())
		.map((e) => join(e.parentPath, e.name).slice(root.length + 1))
		.sort();
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A form as the complaint page receives it. */
function formWith(...files: { name: string; bytes: Uint8Array<ArrayBuffer> }[]): FormData {
	const form = new FormData();
	form.append('summary', 'a fine without a receipt');
	for (const f of files) form.append('attachments', new File([f.bytes], f.name));
	return form;
}

/** What the complaint module does with a form: check every file, then store them. */
async function upload(form: FormData) {
	return storeAttachments(await checkAttachments(await filesOf(form, 'attachments')), dir);
}

describe('storing attachments', () => {
	it('stores each file by its SHA-256, outside any served folder, and returns its row', async () => {
		const photo = jpeg();
		const receipt = pdf();
		const rows = await upload(
			formWith({ name: '现场照片.jpg', bytes: photo }, { name: 'receipt.pdf', bytes: receipt })
		);
		expect(rows).toEqual([
			{
				name: '现场照片.jpg',
				contentType: 'image/jpeg',
				size: photo.length,
				sha256: sha256(photo)
			},
			{
				name: 'receipt.pdf',
				contentType: 'application/pdf',
				size: receipt.length,
				sha256: sha256(receipt)
			}
		]);
		expect(await filesUnder(dir)).toEqual(
			[sha256(photo), sha256(receipt)].map((h) => join(h.slice(0, 2), h)).sort()
		);
		expect(
			new Uint8Array(await readFile(join(dir, sha256(photo).slice(0, 2), sha256(photo))))
		).toEqual(photo);
	});

	it('stores the same bytes once, sent twice in one form or by two complaints', async () => {
		const photo = jpeg('same');
		const first = await upload(
			formWith({ name: 'a.jpg', bytes: photo }, { name: 'b.jpg', bytes: photo })
		);
		const path = join(dir, first[0]!.sha256.slice(0, 2), first[0]!.sha256);
		const before = await stat(path);
		const second = await upload(formWith({ name: 'again.jpg', bytes: photo }));
		expect(first.map((r) => r.sha256)).toEqual([second[0]!.sha256, second[0]!.sha256]);
		expect(second[0]!.name).toBe('again.jpg');
		expect(await filesUnder(dir)).toEqual([join(first[0]!.sha256.slice(0, 2), first[0]!.sha256)]);
		// Left as it was, not written again.
		expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
	});

	it('stores the same bytes sent at the same moment once, without temporary files left', async () => {
		const big = padded(pdf(), 4 * MB);
		const checked = await checkAttachments([{ name: 'big.pdf', bytes: big }]);
		await Promise.all(Array.from({ length: 4 }, () => storeAttachments(checked, dir)));
		expect(await filesUnder(dir)).toEqual([join(sha256(big).slice(0, 2), sha256(big))]);
	});

	it('replaces a damaged file (wrong size) with the whole one', async () => {
		const photo = jpeg('whole');
		const h = sha256(photo);
		await mkdir(join(dir, h.slice(0, 2)), { recursive: true });
		await writeFile(join(dir, h.slice(0, 2), h), photo.subarray(0, 5));
		await upload(formWith({ name: 'p.jpg', bytes: photo }));
		expect(new Uint8Array(await readFile(join(dir, h.slice(0, 2), h)))).toEqual(photo);
	});

	it('leaves no temporary file when a write fails', async () => {
		const photo = jpeg('blocked');
		const h = sha256(photo);
		// A folder where the file should go: the rename onto it fails.
		await mkdir(join(dir, h.slice(0, 2), h, 'x'), { recursive: true });
		await expect(upload(formWith({ name: 'p.jpg', bytes: photo }))).rejects.toThrow();
		expect(await readdir(join(dir, h.slice(0, 2)))).toEqual([h]);
	});

	it('refuses a checked file whose digest is not its content', async () => {
		const [checked] = await checkAttachments([{ name: 'p.png', bytes: png() }]);
		await expect(storeAttachments([{ ...checked!, sha256: sha256(jpeg()) }], dir)).rejects.toThrow(
			/digest/
		);
		expect(await filesUnder(dir)).toEqual([]);
	});
});

describe('refused uploads store nothing', () => {
	it.each([
		['a type not accepted', [{ name: 'setup.exe', bytes: exe() }]],
		['a lying extension', [{ name: 'photo.jpg', bytes: pdf() }]],
		['an executable named as a photo', [{ name: 'photo.jpg', bytes: exe() }]],
		['an empty file', [{ name: 'empty.pdf', bytes: new Uint8Array(0) }]],
		['an oversized file', [{ name: 'big.pdf', bytes: padded(pdf(), 10 * MB + 1) }]],
		[
			'one bad file among good ones',
			[
				{ name: 'ok.jpg', bytes: jpeg() },
				{ name: 'ok.pdf', bytes: pdf() },
				{ name: 'lie.png', bytes: jpeg('lie') }
			]
		]
	])('%s', async (_, files) => {
		const refusal = await upload(formWith(...files)).catch((e: unknown) => e);
		expect(isDomainError(refusal, 'attachments_refused')).toBe(true);
		expect(await filesUnder(dir)).toEqual([]);
	});
});

describe('downloads', () => {
	it('reads a stored file back with its headers', async () => {
		const receipt = pdf('收据');
		const [row] = await upload(formWith({ name: '罚款收据 (1).pdf', bytes: receipt }));
		const response = await attachmentResponse(row!, dir);
		expect(Object.fromEntries(response.headers)).toMatchObject({
			'content-type': 'application/pdf',
			'content-length': String(receipt.length),
			'content-disposition': `attachment; filename="_ (1).pdf"; filename*=UTF-8''%E7%BD%9A%E6%AC%BE%E6%94%B6%E6%8D%AE%20%281%29.pdf`,
			'x-content-type-options': 'nosniff'
		});
		expect(response.headers.get('content-security-policy')).toContain('sandbox');
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(receipt);
	});

	it.each([
		['an unknown digest', sha256(png())],
		['a path', '../../../etc/passwd'],
		['an upper-case digest', sha256(png()).toUpperCase()],
		['nothing', '']
	])('refuses %s as not found', async (_, digest) => {
		await upload(formWith({ name: 'p.jpg', bytes: jpeg() }));
		const e = await openAttachment(digest, dir).catch((e: unknown) => e);
		expect(isDomainError(e, 'attachment_not_found')).toBe(true);
	});
});

describe('ATTACHMENTS_DIR', () => {
	it('is data/attachments unless set', () => {
		expect(attachmentsDir({})).toBe(resolve('data/attachments'));
		expect(attachmentsDir({ ATTACHMENTS_DIR: dir })).toBe(dir);
	});

	it.each(['static', 'static/attachments', 'build/client/files'])(
		'may not be inside a served folder (%s)',
		(inside) => {
			expect(() => attachmentsDir({ ATTACHMENTS_DIR: inside })).toThrow(/must not be inside/);
		}
	);

	it('may be beside one', () => {
		expect(attachmentsDir({ ATTACHMENTS_DIR: 'static-files' })).toBe(resolve('static-files'));
	});
});
