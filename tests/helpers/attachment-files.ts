// Tiny but well-formed files of each kind a complaint may carry (and some it may not), built
// byte by byte so that the tests need no fixtures: the sniffer reads the first bytes only.

const ascii = (s: string) => new TextEncoder().encode(s);

function concat(...parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> {
	const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
	const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
	let at = 0;
	for (const a of arrays) {
		out.set(a, at);
		at += a.length;
	}
	return out;
}

/** A JFIF header, a comment and the end marker. */
export const jpeg = (comment = 'pingyi') =>
	concat(
		[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10],
		ascii('JFIF\0'),
		[0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00],
		[0xff, 0xfe, 0x00, comment.length + 2],
		ascii(comment),
		[0xff, 0xd9]
	);

/** The signature, a 1×1 RGB IHDR and IEND (CRCs as zeros: the sniffer does not check them). */
export const png = () =>
	concat(
		[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		[0, 0, 0, 13],
		ascii('IHDR'),
		[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0],
		[0, 0, 0, 0],
		[0, 0, 0, 0],
		ascii('IEND'),
		[0xae, 0x42, 0x60, 0x82]
	);

export const webp = () =>
	concat(ascii('RIFF'), [26, 0, 0, 0], ascii('WEBPVP8 '), new Uint8Array(18));

/** An ISO-BMFF `ftyp` box with the major brand a phone writes (`heic`, or `mif1`). */
export const heic = (brand: 'heic' | 'mif1' = 'heic') =>
	concat([0, 0, 0, 24], ascii(`ftyp${brand}`), [0, 0, 0, 0], ascii('mif1heic'), new Uint8Array(16));

export const pdf = (text = 'a complaint') =>
	ascii(
		`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`
	);

/** A Windows program's DOS header. */
export const exe = () => concat(ascii('MZ'), [0x90, 0, 3, 0], new Uint8Array(58));

export const text = (s = 'just some words') => ascii(s);

/** `size` bytes that sniff as `head`'s type (its first bytes, then zeros). */
export function padded(head: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(size);
	out.set(head.subarray(0, Math.min(head.length, size)));
	return out;
}
