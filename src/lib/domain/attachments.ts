// What a complaint may carry as attachments (photos, scans): the types, the limits and the rules
// for a file's name. One place for the server's checks (src/lib/server/complaints/attachments.ts),
// the complaint form's `accept` attribute and hint, the body limit of the form's route, and
// docs/complaint-attachments.md. Pure: no I/O, safe in the browser.

/** Bytes in a megabyte, for the limits and their messages. */
export const MB = 1024 * 1024;

/** Largest single attachment: a phone photo is 2–6 MB, a scanned PDF of a few pages less. */
export const ATTACHMENT_MAX_BYTES = 10 * MB;
/** Most attachments on one complaint. */
export const ATTACHMENTS_MAX_FILES = 5;
/** Most bytes of attachments on one complaint, all files together. */
export const ATTACHMENTS_MAX_TOTAL_BYTES = 25 * MB;
/**
 * Largest body of a form that carries attachments: the files, their multipart framing and the
 * form's text fields (a complaint's description is some kilobytes). The body limit of the
 * complaint form's route (src/lib/server/imports/body-limit.ts).
 */
export const ATTACHMENTS_FORM_MAX_BYTES = ATTACHMENTS_MAX_TOTAL_BYTES + 1 * MB;

/**
 * The accepted types, by the media type sniffed from a file's bytes, with the extensions a name
 * may have for it (the first is the one given to a name without any). HEIC and HEIF are one
 * family: phones write either brand under either extension.
 */
export const ATTACHMENT_TYPES = {
	'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'] },
	'image/png': { label: 'PNG', extensions: ['png'] },
	'image/webp': { label: 'WebP', extensions: ['webp'] },
	'image/heic': { label: 'HEIC', extensions: ['heic', 'heif', 'hif'] },
	'image/heif': { label: 'HEIF', extensions: ['heif', 'heic', 'hif'] },
	'application/pdf': { label: 'PDF', extensions: ['pdf'] }
} as const satisfies Record<string, { label: string; extensions: readonly string[] }>;

export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

export function isAttachmentType(type: string): type is AttachmentType {
	return Object.hasOwn(ATTACHMENT_TYPES, type);
}

/** The accepted types as a message lists them: `JPEG / PNG / WebP / HEIC / PDF`. */
export const ATTACHMENT_TYPE_LABELS = [
	...new Set(Object.values(ATTACHMENT_TYPES).map((t) => (t.label === 'HEIF' ? 'HEIC' : t.label)))
].join(' / ');

/**
 * The file input's `accept`: extensions and media types both, since phones pick by type and
 * desktop browsers by extension. Only a hint to the picker; the server sniffs every file.
 */
export const ATTACHMENT_ACCEPT = [
	...new Set(Object.values(ATTACHMENT_TYPES).flatMap((t) => t.extensions.map((e) => `.${e}`))),
	...Object.keys(ATTACHMENT_TYPES)
].join(',');

/** A size in MB as messages give it: one decimal, rounded up (10.01 MB is over 10). */
export const megabytes = (bytes: number) => Math.ceil((bytes / MB) * 10) / 10;

/** The extension of a name, lower case, without the dot ('' when there is none). */
export function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Whether `extension` (lower case, '' for none) is one a file of `type` may have. */
export function extensionFits(type: AttachmentType, extension: string): boolean {
	return (ATTACHMENT_TYPES[type].extensions as readonly string[]).includes(extension);
}

/** Whether a name's extension claims one of the accepted types. */
export function claimsAcceptedType(extension: string): boolean {
	return Object.values(ATTACHMENT_TYPES).some((t) =>
		(t.extensions as readonly string[]).includes(extension)
	);
}

// Control characters (C0, DEL, C1) break a header; the bidirectional controls (LRE … RLO, LRI …
// PDI, LRM, RLM, ALM) turn `invoice<RLO>fdp.exe` into what reads as `invoiceexe.pdf`; zero-width
// characters and the BOM are invisible; `/` and `\` are path parts; `"` ends a quoted header
// value. All go.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"]/g;
const NAME_MAX = 120;

/**
 * A name fit to store and to give back in a `Content-Disposition` header: the last part of a
 * path only, no control or invisible characters, no leading dots, at most 120 characters with
 * the extension kept, `attachment` when nothing is left.
 */
export function safeFileName(name: string): string {
	let base = name.normalize('NFC');
	base = base.slice(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
	base = base
		.replace(/[\t\n\v\f\r]/g, ' ')
		.replace(UNSAFE, '')
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/^[.\s]+/, '');
	const chars = [...base];
	if (chars.length > NAME_MAX) {
		const extension = extensionOf(base);
		const keep = extension.length > 0 && extension.length < 16 ? extension.length + 1 : 0;
		base = chars.slice(0, NAME_MAX - keep).join('') + (keep ? chars.slice(-keep).join('') : '');
	}
	return base || 'attachment';
}

/**
 * The name a file of `type` is stored under: `name` made safe, with the type's extension added
 * when it has none (so that a downloaded `IMG_0001` opens as the photo it is).
 */
export function storedFileName(name: string, type: AttachmentType): string {
	const safe = safeFileName(name);
	return extensionOf(safe) === '' ? `${safe}.${ATTACHMENT_TYPES[type].extensions[0]}` : safe;
}

/** An ASCII stand-in for a name, for clients that do not read `filename*` (RFC 6266 §4.3). */
export function asciiFileName(name: string): string {
	const extension = extensionOf(name);
	const stem = extension ? name.slice(0, -(extension.length + 1)) : name;
	const ascii = (s: string) => s.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\%;]/g, '_');
	const asciiStem = /[A-Za-z0-9]/.test(ascii(stem)) ? ascii(stem) : 'attachment';
	const asciiExtension = ascii(extension);
	return asciiExtension && /^[A-Za-z0-9]+$/.test(asciiExtension)
		? `${asciiStem}.${asciiExtension}`
		: asciiStem;
}

/**
 * `Content-Disposition` for a download of `name`: `attachment`, an ASCII `filename` and the
 * exact name as `filename*` in UTF-8 (RFC 6266, RFC 8187), which every current browser prefers.
 */
export function contentDisposition(name: string): string {
	const safe = safeFileName(name);
	// encodeURIComponent leaves ' ( ) * unescaped, which RFC 8187's attr-char does not allow.
	const encoded = encodeURIComponent(safe).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `attachment; filename="${asciiFileName(safe)}"; filename*=UTF-8''${encoded}`;
}

/** What the complaint form's hint (`m.complaints_attachments_hint`) is filled with. */
export const ATTACHMENT_HINT = {
	types: ATTACHMENT_TYPE_LABELS,
	count: ATTACHMENTS_MAX_FILES,
	max: megabytes(ATTACHMENT_MAX_BYTES),
	total: megabytes(ATTACHMENTS_MAX_TOTAL_BYTES)
} as const;
