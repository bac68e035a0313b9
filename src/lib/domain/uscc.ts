// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
// 31-character set; positions 3–8 are the administrative division code (行政区划码, digits
// only), the last one a check character over the first 17.

/** The code's alphabet; a character's value is its index (I, O, S, V, Z are never used). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
export const USCC_LENGTH = 18;

/** How a code is written for storage and comparison: trimmed, upper case. */
export function normaliseUscc(code: string): string {
	return code.trim().toUpperCase();
}

/**
 * The check character for the first 17 characters, or null when they are not 17 characters of
 * the code's alphabet.
 */
export function usccCheckChar(first17: string): string | null {
	if (first17.length !== 17) return null;
	let sum = 0;
	for (let i = 0; i < 17; i++) {
		const value = USCC_CHARSET.indexOf(first17[i]!);
		if (value === -1) return null;
		sum += value * WEIGHTS[i]!;
	}
	const check = 31 - (sum % 31);
	return USCC_CHARSET[check === 31 ? 0 : check]!;
}

export type UsccProblem = 'length' | 'charset' | 'division' | 'checksum';

/** Positions 3–8 (1-based), the administrative division code of GB/T 2260: six digits. */
const DIVISION = /^\d{6}$/;

/** What is wrong with a code (already normalised), or null when it is valid. */
export function usccProblem(code: string): UsccProblem | null {
	if (code.length !== USCC_LENGTH) return 'length';
	for (const c of code) if (!USCC_CHARSET.includes(c)) return 'charset';
	// A letter there passes the checksum (the alphabet is shared) but names no place.
	if (!DIVISION.test(code.slice(2, 8))) return 'division';
	return usccCheckChar(code.slice(0, 17)) === code[17] ? null : 'checksum';
}

export function isValidUscc(code: string): boolean {
	return usccProblem(code) === null;
}
