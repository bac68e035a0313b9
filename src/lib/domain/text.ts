// What text the product accepts in a record's cell or a JSON string, wherever it arrives (a CSV
// or XLSX file, the API): the one definition every row schema checks first. PostgreSQL refuses
// NUL in text (a 500 before this rule), control characters are invisible in every page and
// export, a lone surrogate cannot be stored as UTF-8, and U+FFFD is what a decoder leaves where
// the bytes were not valid UTF-8 or GBK — storing it would silently change the data.

/** What is wrong with one character of a text: its 1-based position and what it is. */
export interface TextProblem {
	/** `unreadable`: U+FFFD, a decoding loss; `forbidden`: a control character or lone surrogate. */
	problem: 'unreadable' | 'forbidden';
	/** 1-based position of the character in the text, counted in characters (code points). */
	position: number;
	/** The character as `U+XXXX`. */
	char: string;
}

export interface TextRules {
	/** Free text (a description, a summary) may hold tabs and line breaks (LF, CR); names may not. */
	multiline?: boolean;
}

const REPLACEMENT = 0xfffd;

/**
 * The control characters, as inclusive code-point ranges: C0 and DEL with C1. Invisible in
 * every page and export, and two texts that differ only in one look the same to a person.
 * (The response keys' rule and its SQL twin are built from this list too.)
 */
export const CONTROL_RANGES: readonly (readonly [number, number])[] = [
	[0x00, 0x1f],
	[0x7f, 0x9f]
];

const isControl = (cp: number) => CONTROL_RANGES.some(([a, b]) => cp >= a && cp <= b);

/** `U+0000` style, four hex digits at least. */
export const codePointName = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first character `text` may not hold, or null when all are acceptable: no C0 or C1 control
 * character and no DEL (in free text, tab and line breaks are fine), no lone surrogate, no U+FFFD.
 */
export function textProblem(text: string, rules: TextRules = {}): TextProblem | null {
	// The common case, checked in one pass by the regular-expression engine.
	if (!SUSPECT.test(text) && text.isWellFormed()) return null;
	let position = 0;
	for (const ch of text) {
		position++;
		const cp = ch.codePointAt(0)!;
		if (cp === REPLACEMENT) return { problem: 'unreadable', position, char: codePointName(cp) };
		const control = isControl(cp);
		const allowed = rules.multiline && (cp === 0x09 || cp === 0x0a || cp === 0x0d);
		// A lone surrogate comes out of `for … of` as itself, one unit long.
		const lone = cp >= 0xd800 && cp <= 0xdfff;
		if ((control && !allowed) || lone)
			return { problem: 'forbidden', position, char: codePointName(cp) };
	}
	return null;
}

const hex = (cp: number) => `\\u${cp.toString(16).padStart(4, '0')}`;
/** Any character that may be a problem: a control character or U+FFFD. */
const SUSPECT = new RegExp(
	`[${CONTROL_RANGES.map(([a, b]) => `${hex(a)}-${hex(b)}`).join('')}\\ufffd]`
);
