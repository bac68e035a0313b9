// Personal information as people without the right to see it get it (roles.md): a phone number
// keeps its first three and last four digits (138****5678), a name its first character.

/** `13812345678` → `138****5678`; shorter numbers keep only their last two characters. */
export function maskPhone(phone: string): string {
	const p = phone.trim();
	if (p === '') return '';
	if (p.length >= 8) return p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4);
	return '*'.repeat(Math.max(p.length - 2, 1)) + p.slice(-2);
}

/** `张三丰` → `张**`; `Li Lei` → `L*****`. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	if (chars.length === 0) return '';
	return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

// Phone and ID numbers typed into free text (a complaint's summary, a problem's description, a
// comment): a mainland mobile number (11 digits from 13–19, optionally after +86 and with spaces
// or hyphens after the third and seventh digit), a landline with its area code (0 and 2–3 digits,
// then 7–8), and a resident ID number (18 characters, the last a digit or X; or the old 15
// digits). Only a whole number counts: digits or Latin letters on either side (a longer number,
// a USCC, a code) leave it alone.
const MOBILE = String.raw`(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}`;
const LANDLINE = String.raw`0\d{2,3}[ -]?\d{7,8}`;
const ID_NUMBER = String.raw`\d{17}[\dXx]|\d{15}`;
const PERSONAL_NUMBER = new RegExp(
	String.raw`(?<![0-9A-Za-z])(?:(${ID_NUMBER})|${MOBILE}|${LANDLINE})(?![0-9A-Za-z])`,
	'g'
);

/** `350102199001011234` → `3501************34`: the region's first four and the last two kept. */
export function maskIdNumber(id: string): string {
	return id.slice(0, 4) + '*'.repeat(id.length - 6) + id.slice(-2);
}

/**
 * Free text with every phone number and ID number in it masked (roles.md: shown masked to
 * whoever may not see identities, never in logs): `请回电 138-1234-5678` → `请回电 138****5678`.
 * The rest of the text is unchanged.
 */
export function maskPersonalData(text: string): string {
	return text.replace(PERSONAL_NUMBER, (found, id: string | undefined) =>
		id ? maskIdNumber(id) : maskPhone(found.replace(/^\+?86[ -]?(?=1)/, '').replace(/[ -]/g, ''))
	);
}

/** `maskPersonalData` of a text that may be missing. */
export function maskedText<T extends string | null | undefined>(text: T): T {
	return (typeof text === 'string' ? maskPersonalData(text) : text) as T;
}

/**
 * A value with `maskPersonalData` applied to every string in it, however deep (an audit entry's
 * changes, `{ field: { before, after } }`, shown to a reader who may not see identities).
 */
export function maskedChanges<T>(value: T): T {
	if (typeof value === 'string') return maskPersonalData(value) as T;
	if (Array.isArray(value)) return value.map((v: unknown) => maskedChanges(v)) as T;
	if (value !== null && typeof value === 'object')
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [k, maskedChanges(v as unknown)])
		) as T;
	return value;
}
