// The unified social credit code checksum of GB 32100-2015, and masking of contact details.
import { describe, expect, it } from 'vitest';
import { maskName, maskPhone } from '$lib/domain/mask';
import {
	isValidUscc,
	normaliseUscc,
	usccCheckChar,
	usccProblem,
	USCC_CHARSET
} from '$lib/domain/uscc';

describe('USCC (GB 32100-2015)', () => {
	it('has the 31-character alphabet without I, O, S, V, Z', () => {
		expect(USCC_CHARSET).toHaveLength(31);
		for (const c of 'IOSVZ') expect(USCC_CHARSET).not.toContain(c);
	});

	// Real codes: the standard's own example, and codes printed on business licences.
	it.each([
		'91350100M000100Y43',
		'91110000802100433B',
		'91440300708461136T',
		'9111000071093123XX',
		'91350481MA2XK0001U',
		'52350481MJD000001K'
	])('accepts %s', (code) => {
		expect(usccProblem(code)).toBeNull();
		expect(isValidUscc(code)).toBe(true);
	});

	it.each([
		['91350100M000100Y44', 'checksum'],
		['91110000802100433C', 'checksum'],
		['913502002601535780', 'checksum'],
		['91350100M000100Y4', 'length'],
		['91350100M000100Y433', 'length'],
		['', 'length'],
		['91350100I000100Y43', 'charset'],
		['91350100O000100Y43', 'charset'],
		['91350100S000100Y43', 'charset'],
		['91350100V000100Y43', 'charset'],
		['91350100Z000100Y43', 'charset'],
		['91350100m000100Y43', 'charset'],
		['9135010-M000100Y43', 'charset']
	] as const)('refuses %s (%s)', (code, problem) => {
		expect(usccProblem(code)).toBe(problem);
		expect(isValidUscc(code)).toBe(false);
	});

	/** `code` with `c` at 1-based `position` and the check character made right again. */
	const withCharAt = (code: string, position: number, c: string) => {
		const first17 = code.slice(0, position - 1) + c + code.slice(position, 17);
		return first17 + usccCheckChar(first17)!;
	};

	// Positions 3–8 are the administrative division code (GB/T 2260): digits only. A letter
	// there keeps the checksum right (the alphabet is shared), so only this rule catches it.
	it.each([3, 4, 5, 6, 7, 8])('refuses a letter at position %i (division code)', (position) => {
		const code = withCharAt('91350100M000100Y43', position, 'A');
		expect(code).toHaveLength(18);
		expect(code[position - 1]).toBe('A');
		expect(usccProblem(code)).toBe('division');
		expect(isValidUscc(code)).toBe(false);
		// The same place with a digit is fine.
		expect(usccProblem(withCharAt('91350100M000100Y43', position, '7'))).toBeNull();
	});

	it.each([1, 2, 9, 10, 11, 12, 13, 14, 15, 16, 17])(
		'accepts a letter at position %i (outside the division code)',
		(position) => {
			expect(usccProblem(withCharAt('91350100M000100Y43', position, 'A'))).toBeNull();
		}
	);

	it('gives 0 as the check character when 31 − (Σ mod 31) is 31', () => {
		// Σ = 0 for seventeen zeros: 31 − 0 = 31 → 0.
		expect(usccCheckChar('00000000000000000')).toBe('0');
		expect(isValidUscc('000000000000000000')).toBe(true);
		// The first character weighs 1: Σ = 1 → 30 → 'Y' (index 30 of the alphabet).
		expect(usccCheckChar('10000000000000000')).toBe('Y');
		// 'Y' is worth 30: Σ = 30 → 1.
		expect(usccCheckChar('Y0000000000000000')).toBe('1');
	});

	it('computes the check character only over 17 characters of the alphabet', () => {
		expect(usccCheckChar('91350100M000100Y4')).toBe('3');
		expect(usccCheckChar('91350100M000100Y')).toBeNull();
		expect(usccCheckChar('91350100I000100Y4')).toBeNull();
	});

	it('normalises codes as typed: trimmed, upper case', () => {
		expect(normaliseUscc(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
		expect(isValidUscc(normaliseUscc(' 91350100m000100y43 '))).toBe(true);
	});
});

describe('masking personal information', () => {
	it.each([
		['13812345678', '138****5678'],
		['0598-3601234', '059*****1234'],
		['12345678', '123*5678'],
		['1234567', '*****67'],
		['110', '*10'],
		['', ''],
		['  13812345678 ', '138****5678']
	])('masks the phone %j as %j', (phone, masked) => {
		expect(maskPhone(phone)).toBe(masked);
	});

	it.each([
		['张三', '张*'],
		['欧阳娜娜', '欧***'],
		['王', '王*'],
		['', '']
	])('masks the name %j as %j', (name, masked) => {
		expect(maskName(name)).toBe(masked);
	});
});
