// AAPOR Response Rate 1 from the Standard Definitions: RR1 = I / ((I+P) + (R+NC+O) + (UH+UO)),
// not-eligible units outside it; and the mapping of the phone console's call outcomes.
import { describe, expect, it } from 'vitest';
import { CALL_OUTCOMES, type CallOutcome } from '$lib/domain/phone';
import {
	countDispositions,
	dispositionOf,
	finalOutcome,
	NO_DISPOSITIONS,
	responseRate1,
	type DispositionCounts
} from '$lib/domain/response-rate';

const counts = (c: Partial<DispositionCounts>): DispositionCounts => ({ ...NO_DISPOSITIONS, ...c });

describe('responseRate1', () => {
	it.each([
		// Every sampled unit interviewed.
		[{ I: 10 }, 1],
		// Partials are in the denominator, not the numerator.
		[{ I: 6, P: 2, R: 2 }, 0.6],
		// The AAPOR worked example shape: 400 complete, 50 partial, 150 refusals, 100 non-contacts,
		// 20 other, 200 unknown household, 80 unknown other → 400 / 1000.
		[{ I: 400, P: 50, R: 150, NC: 100, O: 20, UH: 200, UO: 80 }, 0.4],
		// Not-eligible units count nowhere.
		[{ I: 3, R: 1, NE: 500 }, 0.75],
		// Unknown eligibility counts in full (RR1 is the most conservative rate).
		[{ I: 1, UH: 3 }, 0.25],
		[{ R: 4 }, 0]
	])('%j → %s', (c, rate) => {
		expect(responseRate1(counts(c))).toBeCloseTo(rate, 12);
	});

	it('has no rate when no unit may be eligible', () => {
		expect(responseRate1(counts({}))).toBeNull();
		expect(responseRate1(counts({ NE: 7 }))).toBeNull();
	});
});

describe('call outcomes as AAPOR dispositions', () => {
	it.each([
		['completed', 'I'],
		['partial', 'P'],
		['refused', 'R'],
		['callback', 'NC'],
		['busy', 'UH'],
		['no_answer', 'UH'],
		['wrong_number', 'NE'],
		[null, 'UH']
	] as const)('%s → %s', (outcome, disposition) => {
		expect(dispositionOf(outcome)).toBe(disposition);
	});

	it('maps every outcome the database knows', () => {
		for (const o of CALL_OUTCOMES) expect(dispositionOf(o)).toMatch(/^(I|P|R|NC|UH|NE)$/);
	});

	it.each([
		[['no_answer', 'callback', 'completed'], 'completed'],
		[['busy', 'refused', 'callback'], 'refused'],
		[['callback', 'no_answer'], 'callback'],
		[['busy', 'wrong_number'], 'wrong_number'],
		[['partial', 'callback'], 'partial'],
		[['busy', 'no_answer'], 'busy'],
		[[], null]
	] as [CallOutcome[], CallOutcome | null][])(
		'the final outcome of %j is %s',
		(outcomes, final) => {
			expect(finalOutcome(outcomes)).toBe(final);
		}
	);

	it('counts a sample: never-called units are of unknown eligibility', () => {
		const c = countDispositions(['completed', 'refused', 'wrong_number', 'callback', null, null]);
		expect(c).toEqual(counts({ I: 1, R: 1, NE: 1, NC: 1, UH: 2 }));
		expect(responseRate1(c)).toBeCloseTo(1 / 5, 12);
	});
});
