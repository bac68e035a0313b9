// The response rate of a telephone sample, AAPOR Response Rate 1 (Standard Definitions, AAPOR
// 2023): completed interviews over every unit that is or may be eligible. The phone console's
// call outcomes become AAPOR final dispositions here, and only here (docs/consoles.md).
import type { CallOutcome } from './phone';

/**
 * AAPOR's disposition groups: I complete interview (1.1), P partial (1.2), R refusal and
 * break-off (2.1), NC non-contact (2.2), O other eligible non-interview (2.3), UH unknown if
 * housing unit / here: if the number reaches an eligible enterprise (3.1), UO unknown other
 * (3.9), NE not eligible (4.x, out of the rate altogether).
 */
export type Disposition = 'I' | 'P' | 'R' | 'NC' | 'O' | 'UH' | 'UO' | 'NE';

export type DispositionCounts = Record<Disposition, number>;

export const NO_DISPOSITIONS: DispositionCounts = {
	I: 0,
	P: 0,
	R: 0,
	NC: 0,
	O: 0,
	UH: 0,
	UO: 0,
	NE: 0
};

/**
 * The AAPOR disposition of a call outcome (`null`: never called):
 * - completed → I (1.1); partial → P (1.2, a break-off with some answers);
 * - refused → R (2.11);
 * - callback → NC (2.21, "respondent never available": someone answered, the respondent was not
 *   there or asked to be called later; the unit is known to be eligible);
 * - busy, no answer → UH (3.12 always busy, 3.13 no answer: whether the number reaches an
 *   eligible enterprise is unknown);
 * - wrong number → NE (4.2/4.3, not the enterprise sampled: out of the denominator);
 * - never called → UH (3.11, "not attempted or worked").
 */
export function dispositionOf(outcome: CallOutcome | null): Disposition {
	switch (outcome) {
		case 'completed':
			return 'I';
		case 'partial':
			return 'P';
		case 'refused':
			return 'R';
		case 'callback':
			return 'NC';
		case 'wrong_number':
			return 'NE';
		case 'busy':
		case 'no_answer':
		case null:
			return 'UH';
	}
}

/**
 * A unit's final disposition when it was called several times: the most informative outcome
 * wins, in the order of `OUTCOME_PRIORITY` (an interview over a refusal over a wrong number over
 * a call-back appointment over busy / no answer), as AAPOR's "assign the highest-priority
 * disposition across attempts" rule does. The SQL of the campaign counts uses the same order.
 */
export const OUTCOME_PRIORITY: readonly CallOutcome[] = [
	'completed',
	'partial',
	'refused',
	'wrong_number',
	'callback',
	'busy',
	'no_answer'
];

export function finalOutcome(outcomes: readonly CallOutcome[]): CallOutcome | null {
	for (const o of OUTCOME_PRIORITY) if (outcomes.includes(o)) return o;
	return null;
}

/**
 * RR1 = I / ((I + P) + (R + NC + O) + (UH + UO)); null when the denominator is 0 (nothing
 * sampled, or every unit proved ineligible). Not-eligible units (NE) count nowhere.
 */
export function responseRate1(c: DispositionCounts): number | null {
	const denominator = c.I + c.P + c.R + c.NC + c.O + c.UH + c.UO;
	return denominator === 0 ? null : c.I / denominator;
}

/** The counts of units by disposition, from their final call outcomes (null: never called). */
export function countDispositions(outcomes: readonly (CallOutcome | null)[]): DispositionCounts {
	const c = { ...NO_DISPOSITIONS };
	for (const o of outcomes) c[dispositionOf(o)]++;
	return c;
}
