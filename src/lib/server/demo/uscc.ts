// Unified social credit codes for the demo's enterprises: valid by GB 32100-2015 (the check
// character of $lib/domain/uscc) and registered in the city's division.
import { usccCheckChar } from '$lib/domain/uscc';
import type { Random } from './prng';

/** Yong'an's administrative division code (GB/T 2260). */
export const DIVISION = '350481';

/** The organisation code's own check character (GB 11714) over its first 8 characters. */
function organisationCheck(first8: string): string {
	const weights = [3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 8; i++) {
		const c = first8[i]!;
		const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A = 10 …
		sum += v * weights[i]!;
	}
	const check = 11 - (sum % 11);
	return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * A company's code (登记管理部门 9 工商, 机构类别 1 企业): `91` + division + an organisation code
 * of 8 digits and its check character + the code's check character.
 */
export function makeUscc(random: Random): string {
	let body = '';
	for (let i = 0; i < 8; i++) body += String(random.int(0, 9));
	const first17 = `91${DIVISION}${body}${organisationCheck(body)}`;
	return first17 + usccCheckChar(first17)!;
}
