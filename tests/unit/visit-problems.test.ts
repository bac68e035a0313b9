// The visit-problem state machine, every state against every action, from a table written out
// by hand from issue 9 §6 (not derived from the module).
import { describe, expect, it } from 'vitest';
import {
	allowedProblemActions,
	nextProblemState,
	problemOverdue,
	problemRefusal,
	PROBLEM_ACTIONS,
	PROBLEM_STATES,
	type ProblemAction,
	type ProblemFacts,
	type ProblemState
} from '$lib/domain/visit-problems';

const OPEN: ProblemState[] = [
	'raised',
	'brigade',
	'escalated',
	'instructed',
	'reported',
	'settled'
];

/** Where each allowed action leads from each state (the plain case); unlisted: refused. */
const ALLOWED: Record<ProblemState, Partial<Record<ProblemAction, ProblemState>>> = {
	raised: { settle_by_brigade: 'brigade', escalate: 'escalated' },
	brigade: { settle: 'settled' },
	escalated: { instruct: 'instructed' },
	instructed: { report: 'instructed' },
	reported: { return_visit: 'instructed' },
	settled: { return_visit: 'brigade' },
	closed: {}
};

const facts = (state: ProblemState, over: Partial<ProblemFacts> = {}): ProblemFacts => ({
	state,
	complaintLinked: false,
	findingLinked: false,
	...over
});

describe('the visit-problem workflow', () => {
	for (const state of PROBLEM_STATES)
		for (const action of PROBLEM_ACTIONS) {
			const linking = action === 'to_complaint' || action === 'to_finding';
			const to = linking ? (OPEN.includes(state) ? state : undefined) : ALLOWED[state][action];
			it(`${state} + ${action} → ${to ?? 'refused'}`, () => {
				const r = problemRefusal(action, facts(state));
				if (to === undefined) expect(r).toBe('problem_action_not_allowed');
				else {
					expect(r).toBeNull();
					expect(nextProblemState(action, facts(state))).toBe(to);
				}
			});
		}

	it('moves to reported with the last department’s report only', () => {
		expect(nextProblemState('report', facts('instructed', { lastReport: false }))).toBe(
			'instructed'
		);
		expect(nextProblemState('report', facts('instructed', { lastReport: true }))).toBe('reported');
	});

	it('closes on a satisfied return visit, and sends it back to whoever handled it otherwise', () => {
		for (const state of ['reported', 'settled'] as const)
			expect(nextProblemState('return_visit', facts(state, { satisfied: true }))).toBe('closed');
		expect(nextProblemState('return_visit', facts('settled', { satisfied: false }))).toBe(
			'brigade'
		);
		expect(nextProblemState('return_visit', facts('reported', { satisfied: false }))).toBe(
			'instructed'
		);
	});

	it('turns a problem into a complaint or a finding once each, while it is open', () => {
		expect(problemRefusal('to_complaint', facts('brigade', { complaintLinked: true }))).toBe(
			'problem_already_complaint'
		);
		expect(problemRefusal('to_finding', facts('instructed', { findingLinked: true }))).toBe(
			'problem_already_finding'
		);
		expect(problemRefusal('to_finding', facts('brigade', { complaintLinked: true }))).toBeNull();
		expect(problemRefusal('to_complaint', facts('closed'))).toBe('problem_action_not_allowed');
	});

	it('offers the allowed actions in order', () => {
		expect(allowedProblemActions(facts('raised'))).toEqual([
			'settle_by_brigade',
			'escalate',
			'to_complaint',
			'to_finding'
		]);
		expect(allowedProblemActions(facts('closed'))).toEqual([]);
	});
});

describe('problemOverdue', () => {
	it.each([
		['brigade', '2026-04-09', true],
		['brigade', '2026-04-10', false],
		['brigade', '2026-04-11', false],
		['instructed', '2026-01-01', true],
		['reported', '2026-04-09', true],
		['settled', '2026-04-09', true],
		['escalated', null, false],
		['raised', null, false],
		// Closed is never late, whatever its last due date was.
		['closed', '2026-04-09', false]
	] as const)('%s due %s on 2026-04-10: overdue = %s', (state, dueOn, overdue) => {
		expect(problemOverdue({ state, dueOn }, '2026-04-10')).toBe(overdue);
	});
});
