// A complaint's attachments (photos, scans) from the upload to the download: each file's type
// sniffed from its bytes and checked against its name, the limits of $lib/domain/attachments,
// storage by SHA-256 under ATTACHMENTS_DIR (outside static/ and build/, never served as a
// folder), and the headers a download goes out with. The rows (`complaint_attachment`) are the
// complaint module's: it checks, stores, then inserts what `storeAttachments` returns.
// docs/complaint-attachments.md is the reader's account.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import {
	ATTACHMENT_MAX_BYTES,
	ATTACHMENT_TYPES,
	ATTACHMENTS_MAX_FILES,
	ATTACHMENTS_MAX_TOTAL_BYTES,
	claimsAcceptedType,
	contentDisposition,
	extensionFits,
	extensionOf,
	isAttachmentType,
	megabytes,
	safeFileName,
	storedFileName,
	type AttachmentType
} from '$lib/domain/attachments';
import { DomainError, type ProblemDetail } from '$lib/errors';

/** A file as it arrived: its name as the client gave it, and its bytes. */
export interface IncomingFile {
	name: string;
	bytes: Uint8Array;
}

/** What a `complaint_attachment` row records of a stored file. */
export interface StoredAttachment {
	/** Safe for a header and a page: no path, no control or invisible characters. */
	name: string;
	/** Sniffed from the bytes, never the client's word. */
	contentType: AttachmentType;
	size: number;
	/** Lower-case hex; the file's address under ATTACHMENTS_DIR. */
	sha256: string;
}

/** A file that passed every check, ready to store. */
export interface CheckedAttachment extends StoredAttachment {
	bytes: Uint8Array;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Where attachments are stored: ATTACHMENTS_DIR, by default `data/attachments` beside the
 * embedded database. Refused inside `static/` or `build/`, whose files the server hands to
 * anyone who asks, with the type their extension suggests.
 */
export function attachmentsDir(env: NodeJS.ProcessEnv = process.env): string {
	const dir = resolve(env.ATTACHMENTS_DIR || 'data/attachments');
	for (const served of ['static', 'build']) {
		const rel = relative(resolve(served), dir);
		const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
		if (!outside)
			throw new Error(`ATTACHMENTS_DIR (${dir}) must not be inside ${served}/: it would be served`);
	}
	return dir;
}

/** The path of the file with this digest: fanned out by its first two hex digits. */
function pathOf(dir: string, sha256: string): string {
	return join(dir, sha256.slice(0, 2), sha256);
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The files of a form field (`request.formData()`), read into memory; the empty part a browser
 * sends for a file input left empty (no name, no bytes) is not a file. Text values under the
 * field are ignored. The body limit of the route (body-limit.ts) bounds what this reads.
 */
export async function filesOf(form: FormData, field: string): Promise<IncomingFile[]> {
	const files = form
		.getAll(field)
		.filter((v): v is File => typeof v !== 'string')
		.filter((f) => !(f.size === 0 && f.name === ''));
	return Promise.all(
		files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))
	);
}

/** The problem with one file, or its accepted type. */
async function checkOne(
	file: IncomingFile
): Promise<
	{ type: AttachmentType; problem?: undefined } | { problem: Omit<ProblemDetail, 'field'> }
> {
	const name = safeFileName(file.name);
	const size = file.bytes.byteLength;
	if (size === 0) return { problem: { code: 'attachment_empty', params: { name } } };
	if (size > ATTACHMENT_MAX_BYTES)
		return {
			problem: {
				code: 'attachment_too_large',
				params: { name, size: megabytes(size), max: megabytes(ATTACHMENT_MAX_BYTES) }
			}
		};
	const sniffed = await fileTypeFromBuffer(file.bytes);
	const extension = extensionOf(name);
	if (!sniffed || !isAttachmentType(sniffed.mime)) {
		// `photo.jpg` holding a program lies about what it is; `notes.docx` is only not accepted.
		return claimsAcceptedType(extension)
			? {
					problem: {
						code: 'attachment_extension',
						params: { name, actual: sniffed ? sniffed.ext.toUpperCase() : '' }
					}
				}
			: { problem: { code: 'attachment_type', params: { name } } };
	}
	const type = sniffed.mime;
	// No extension at all is no lie (a phone's `IMG_0001`): the stored name gets the type's.
	if (extension !== '' && !extensionFits(type, extension))
		return {
			problem: {
				code: 'attachment_extension',
				params: { name, actual: ATTACHMENT_TYPES[type].label }
			}
		};
	return { type };
}

/**
 * Checks a complaint's files against the types and limits of $lib/domain/attachments. Returns
 * them ready to store, or refuses them all with `attachments_refused` (HTTP 422), a detail per
 * problem: per file under `<field>.<index>` (empty, too large, a type not accepted, an extension
 * its content belies), for the whole under `<field>` (too many files, too many bytes). Nothing
 * is stored either way.
 */
export async function checkAttachments(
	files: readonly IncomingFile[],
	{ field = 'attachments' }: { field?: string } = {}
): Promise<CheckedAttachment[]> {
	const details: ProblemDetail[] = [];
	if (files.length > ATTACHMENTS_MAX_FILES)
		details.push({
			field,
			code: 'attachments_too_many',
			params: { count: files.length, max: ATTACHMENTS_MAX_FILES }
		});
	const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
	if (total > ATTACHMENTS_MAX_TOTAL_BYTES)
		details.push({
			field,
			code: 'attachments_total_too_large',
			params: { size: megabytes(total), max: megabytes(ATTACHMENTS_MAX_TOTAL_BYTES) }
		});
	const checked: CheckedAttachment[] = [];
	for (const [index, file] of files.entries()) {
		const result = await checkOne(file);
		if (result.problem) details.push({ field: `${field}.${index}`, ...result.problem });
		else
			checked.push({
				name: storedFileName(file.name, result.type),
				contentType: result.type,
				size: file.bytes.byteLength,
				sha256: sha256Of(file.bytes),
				bytes: file.bytes
			});
	}
	if (details.length > 0) throw new DomainError('attachments_refused', { field, details });
	return checked;
}

/** Best effort: makes a rename durable on Linux; some systems cannot open a folder to sync it. */
async function syncDir(dir: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await open(dir, 'r');
		await handle.sync();
	} catch {
		// The file itself is synced; only the rename's durability across a power cut is at stake.
	} finally {
		await handle?.close();
	}
}

/**
 * Writes `bytes` as the file of `sha256`, atomically: into a temporary file beside it, synced,
 * then renamed over. Readers see the whole file or none; a file already there with the same
 * content (the same digest) is left as it is.
 */
async function writeOnce(dir: string, sha256: string, bytes: Uint8Array): Promise<void> {
	const path = pathOf(dir, sha256);
	const existing = await stat(path).catch((e: NodeJS.ErrnoException) => {
		if (e.code === 'ENOENT') return null;
		throw e;
	});
	if (existing?.isFile() && existing.size === bytes.byteLength) return;
	await mkdir(dirname(path), { recursive: true });
	const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
	const handle = await open(temp, 'wx', 0o640);
	try {
		try {
			await handle.writeFile(bytes);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temp, path);
	} catch (e) {
		await unlink(temp).catch(() => {});
		throw e;
	}
	await syncDir(dirname(path));
}

/**
 * Stores checked files under `dir` (ATTACHMENTS_DIR), each by its SHA-256, and returns what the
 * complaint's rows record. Store before the transaction that inserts the rows: a failed
 * transaction leaves a file no row names (harmless; the same bytes sent again reuse it), never
 * a row without its file.
 */
export async function storeAttachments(
	checked: readonly CheckedAttachment[],
	dir: string = attachmentsDir()
): Promise<StoredAttachment[]> {
	const stored: StoredAttachment[] = [];
	for (const a of checked) {
		// The address is the content's: a digest that does not match its bytes is a caller's bug.
		if (sha256Of(a.bytes) !== a.sha256) throw new Error(`attachment ${a.sha256}: digest mismatch`);
		await writeOnce(dir, a.sha256, a.bytes);
		stored.push({ name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256 });
	}
	return stored;
}

/**
 * The stored file of `sha256` as a stream for a `Response`, with its size on disk. Refuses
 * with `attachment_not_found` (404) when there is none, and for anything that is not a
 * digest (so no name reaches the file system).
 */
export async function openAttachment(
	sha256: string,
	dir: string = attachmentsDir()
): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
	if (!SHA256.test(sha256)) throw new DomainError('attachment_not_found');
	let handle: FileHandle;
	try {
		handle = await open(pathOf(dir, sha256), 'r');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT')
			throw new DomainError('attachment_not_found');
		throw e;
	}
	try {
		const { size } = await handle.stat();
		// The stream closes the handle when it ends or the client goes away.
		const stream = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
		return { stream, size };
	} catch (e) {
		await handle.close();
		throw e;
	}
}

/**
 * The headers a download goes out with: the type sniffed at upload (anything else stored is
 * sent as bytes), `attachment` so the browser saves rather than shows it, the name in UTF-8
 * (RFC 6266/8187) with an ASCII fallback, no sniffing, a sandbox should it be opened anyway,
 * and no caching (a complainant's photos are personal data).
 */
export function attachmentHeaders(
	row: Pick<StoredAttachment, 'name' | 'size'> & { contentType: string },
	size: number = row.size
): Record<string, string> {
	return {
		'Content-Type': isAttachmentType(row.contentType)
			? row.contentType
			: 'application/octet-stream',
		'Content-Length': String(size),
		'Content-Disposition': contentDisposition(row.name),
		'X-Content-Type-Options': 'nosniff',
		'Content-Security-Policy': "default-src 'none'; sandbox",
		'Cross-Origin-Resource-Policy': 'same-origin',
		'Cache-Control': 'private, no-store'
	};
}

/**
 * A download of a `complaint_attachment` row, for a `+server.ts` GET once the reader's right to
 * the complaint is checked: the stored file with `attachmentHeaders`.
 */
export async function attachmentResponse(
	row: Pick<StoredAttachment, 'name' | 'size' | 'sha256'> & { contentType: string },
	dir: string = attachmentsDir()
): Promise<Response> {
	const { stream, size } = await openAttachment(row.sha256, dir);
	return new Response(stream, { headers: attachmentHeaders(row, size) });
}
