// The life of an inspection finding: who may do what in which status, what counts, and how
// points and numbers are read.
import { describe, expect, it } from 'vitest';
import {
	allowedActions,
	counts,
	formatFindingNo,
	isValidFindingNo,
	parsePoints,
	refusal,
	type FindingAction,
	type FindingStatus
} from '$lib/domain/findings';

describe('finding actions', () => {
	it.each([
		// status, disputed before, action, refusal
		['recorded', false, 'confirm', null],
		['recorded', false, 'withdraw', null],
		['recorded', false, 'dispute', null],
		['confirmed', false, 'confirm', 'finding_already_confirmed'],
		['confirmed', false, 'withdraw', null],
		['confirmed', false, 'dispute', null],
		['disputed', true, 'confirm', null],
		['disputed', true, 'withdraw', null],
		['disputed', true, 'dispute', 'finding_already_disputed'],
		// confirmed again after a dispute: the department's one dispute is used
		['confirmed', true, 'dispute', 'finding_dispute_used'],
		['confirmed', true, 'withdraw', null],
		// disputed by a file (no dispute of the department on record)
		['disputed', false, 'dispute', 'finding_not_disputable'],
		['withdrawn', false, 'confirm', 'finding_already_withdrawn'],
		['withdrawn', false, 'withdraw', 'finding_already_withdrawn'],
		['withdrawn', false, 'dispute', 'finding_already_withdrawn'],
		['withdrawn', true, 'dispute', 'finding_already_withdrawn']
	] as [FindingStatus, boolean, FindingAction, string | null][])(
		'%s (disputed before: %s): %s → %s',
		(status, disputed, action, expected) => {
			expect(refusal(action, { status, disputed })).toBe(expected);
			expect(allowedActions({ status, disputed }).includes(action)).toBe(expected === null);
		}
	);

	it('counts only confirmed findings', () => {
		expect(counts('confirmed')).toBe(true);
		for (const s of ['recorded', 'disputed', 'withdrawn'] as const) expect(counts(s)).toBe(false);
	});
});

describe('points', () => {
	it.each([
		['-2', '-2.00'],
		['1.5', '1.50'],
		['+3', '3.00'],
		[' -0.25 ', '-0.25'],
		['.5', '0.50'],
		['999.99', '999.99'],
		['-999', '-999.00']
	])('reads %j as %s', (raw, value) => {
		expect(parsePoints(raw)).toEqual({ ok: true, value });
	});

	it.each([
		['0', 'zero'],
		['-0.00', 'zero'],
		['abc', 'number'],
		['1.234', 'number'],
		['1e3', 'number'],
		['', 'number'],
		['1,5', 'number'],
		['1000', 'range'],
		['-1000.5', 'range']
	])('refuses %j (%s)', (raw, problem) => {
		expect(parsePoints(raw)).toEqual({ ok: false, problem });
	});
});

describe('finding numbers', () => {
	it('formats generated numbers by year with six digits', () => {
		expect(formatFindingNo(2026, 123)).toBe('F2026-000123');
	});

	it.each([
		['F2026-000123', true],
		['DC-2025.17_a', true],
		['new', false],
		['Import', false],
		['-x', false],
		['a/b', false],
		['a b', false],
		['x'.repeat(41), false]
	])('%s valid: %s', (no, valid) => {
		expect(isValidFindingNo(no)).toBe(valid);
	});
});
