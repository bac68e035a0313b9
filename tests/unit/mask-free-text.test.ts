// Phone and ID numbers inside free text (src/lib/domain/mask.ts): every form people type them in
// is masked, and numbers that are not personal are left alone.
import { describe, expect, it } from 'vitest';
import { maskedText, maskIdNumber, maskPersonalData } from '$lib/domain/mask';

describe('maskPersonalData', () => {
	it.each([
		['请回电13812345678谢谢', '请回电138****5678谢谢'],
		['电话 138-1234-5678。', '电话 138****5678。'],
		['call 138 1234 5678 today', 'call 138****5678 today'],
		['+86 13812345678', '138****5678'],
		['+8613812345678', '138****5678'],
		['8613812345678', '138****5678'],
		['座机0591-87654321或057187654321', '座机059*****4321或057*****4321'],
		['窗口电话(0591)是错的', '窗口电话(0591)是错的'],
		['身份证350102199001011234', '身份证3501************34'],
		[
			'ID 35010219900101123X, again 35010219900101123x',
			'ID 3501************3X, again 3501************3x'
		],
		['旧证号350102900101123', '旧证号3501*********23'],
		['两个号码：13812345678、13987654321', '两个号码：138****5678、139****4321']
	])('masks %s', (text, masked) => {
		expect(maskPersonalData(text)).toBe(masked);
	});

	it.each([
		'信用代码91350100M000100Y43',
		'投诉编号 TS2026000123',
		'金额 12345 元，2026-03-05 受理',
		'编号 A13812345678B',
		'共 1381234567 个（十位）',
		'一串 123456789012345678901 数字',
		'No phone here.'
	])('leaves %s alone', (text) => {
		expect(maskPersonalData(text)).toBe(text);
	});

	it('never leaves the middle digits of a masked number in the text', () => {
		const out = maskPersonalData('A: 13812345678 B: 350102199001011234 C: 0591-87654321');
		for (const middle of ['1234', '19900101', '8765']) expect(out).not.toContain(middle);
	});

	it('keeps a missing text missing', () => {
		expect(maskedText(null)).toBeNull();
		expect(maskedText(undefined)).toBeUndefined();
		expect(maskedText('13812345678')).toBe('138****5678');
		expect(maskIdNumber('350102199001011234')).toBe('3501************34');
	});
});
