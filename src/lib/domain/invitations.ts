// Invitations to answer a campaign: the printed card number and the invitation's address. Pure
// text rules, shared by the server, the pages and the tests; the token itself is made on the
// server (src/lib/server/surveys/invitations.ts).

/** A card-number prefix as the settings accept it: capital letters and digits, e.g. `YA`. */
export const CARD_PREFIX_PATTERN = /^[A-Z0-9]{1,10}$/;
export const DEFAULT_CARD_PREFIX = 'PY';
/** Digits of a card's sequence number; a year with more cards simply gets longer numbers. */
export const CARD_SEQUENCE_DIGITS = 6;

/** What every card number of a prefix and year starts with: `YA-2026-`. */
export function cardNoStem(prefix: string, year: number): string {
	return `${prefix}-${year}-`;
}

/** The card number of the `seq`-th card of a year: `YA-2026-000123`. */
export function formatCardNo(prefix: string, year: number, seq: number): string {
	if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`card sequence ${seq}`);
	return cardNoStem(prefix, year) + String(seq).padStart(CARD_SEQUENCE_DIGITS, '0');
}

/** The parts of a card number, or null when it is not one. */
export function parseCardNo(cardNo: string): { prefix: string; year: number; seq: number } | null {
	const match = /^([A-Z0-9]{1,10})-(\d{4})-(\d{6,})$/.exec(cardNo);
	if (!match) return null;
	const seq = Number(match[3]);
	return seq >= 1 && Number.isSafeInteger(seq)
		? { prefix: match[1]!, year: Number(match[2]), seq }
		: null;
}

/** Bytes of an invitation token: 160 bits, above the 128 the issue asks for. */
export const TOKEN_BYTES = 20;
/** A token as it appears in an address: base32, lower case, no padding (32 characters). */
export const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

export function isTokenShaped(token: string): boolean {
	return TOKEN_PATTERN.test(token);
}

/** Where the respondent page of an invitation is (`src/routes/(public)/i/[token]`). */
export function invitationUrl(origin: string, token: string): string {
	return `${origin.replace(/\/+$/, '')}/i/${token}`;
}

/** The complaint form's address, printed on every contact card. */
export function complaintUrl(origin: string): string {
	return `${origin.replace(/\/+$/, '')}/complaint`;
}

/** Where a campaign's open link answers (`src/routes/(public)/o/[token]`). */
export function openLinkUrl(origin: string, token: string): string {
	return `${origin.replace(/\/+$/, '')}/o/${token}`;
}
