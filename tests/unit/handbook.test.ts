// The handbook's pure rules (docs/handbook.md): the instant rule, a prerequisites cell, and the
// reform statistics' change with the rounding the reform report shows (640 → 510 is −20.3%).
import { describe, expect, it } from 'vitest';
import {
	formatPercent,
	formatSigned,
	isInstant,
	reformChange,
	splitPrerequisites
} from '$lib/domain/handbook';

describe('isInstant', () => {
	it.each([
		[0, true],
		[1, false],
		[5, false],
		[999, false]
	])('a promise of %i working days is instant: %s', (days, instant) => {
		expect(isInstant(days)).toBe(instant);
	});
});

describe('splitPrerequisites', () => {
	it.each([
		['', []],
		['  ', []],
		['营业执照', ['营业执照']],
		['营业执照;身份证', ['营业执照', '身份证']],
		['营业执照；身份证', ['营业执照', '身份证']],
		['营业执照\n身份证\r\n场所证明', ['营业执照', '身份证', '场所证明']],
		[' a ; ;b；\n\nc; ', ['a', 'b', 'c']]
	])('%j is %j', (cell, list) => {
		expect(splitPrerequisites(cell)).toEqual(list);
	});
});

describe('reformChange', () => {
	// The figures of the city's 2008 reform as its report gives them.
	it.each([
		['items', 640, 510, -130, -20.3],
		['prerequisites', 2631, 2368, -263, -10.0],
		['total time limits', 7219, 4944, -2275, -31.5],
		['instant items', 23, 135, 112, 487.0]
	])('%s: %i → %i is %i, %d%', (_, from, to, change, percent) => {
		expect(reformChange(from, to)).toEqual({ from, to, change, percent });
	});

	it.each([
		// half away from zero at the first decimal: 1/8 = 12.5%, 1/16 = 6.25% → 6.3%
		[16, 17, 6.3],
		[16, 15, -6.3],
		[3, 4, 33.3],
		[3, 2, -33.3],
		[7, 7, 0]
	])('%i → %i is %d%', (from, to, percent) => {
		expect(reformChange(from, to).percent).toBe(percent);
	});

	it('has no percentage of nothing', () => {
		expect(reformChange(0, 5)).toEqual({ from: 0, to: 5, change: 5, percent: null });
		expect(reformChange(0, 0).percent).toBeNull();
	});
});

describe('formatting', () => {
	it.each([
		[-20.3, '−20.3%'],
		[-10, '−10.0%'],
		[487, '+487.0%'],
		[0, '0.0%'],
		[-0, '0.0%'],
		[null, '—']
	])('%s is shown as %s', (percent, text) => {
		expect(formatPercent(percent)).toBe(text);
	});

	it.each([
		[-130, '−130'],
		[112, '+112'],
		[0, '0']
	])('%i is shown as %s', (n, text) => {
		expect(formatSigned(n)).toBe(text);
	});
});
