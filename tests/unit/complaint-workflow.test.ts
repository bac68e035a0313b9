// The complaint state machine, every state against every action (table-driven: the table below
// is written out by hand from the workflow, not derived from the module), and the
// deadlines in working days over holidays and adjusted workdays.
import { describe, expect, it } from 'vitest';
import {
	allowedActions,
	complaintDue,
	COMPLAINT_ACTIONS,
	COMPLAINT_STATES,
	DEFAULT_COMPLAINT_DEADLINES as LIMITS,
	formatComplaintNo,
	formatTrackingCode,
	normalizeTrackingCode,
	nextState,
	refusal,
	type ComplaintAction,
	type ComplaintFacts,
	type ComplaintState
} from '$lib/domain/complaints';
import {
	addDays,
	addWorkingDays,
	isLate,
	isWorkingDay,
	makeCalendar
} from '$lib/domain/working-days';

/** Where each allowed action leads from each state; an action not listed is refused. */
const ALLOWED: Record<ComplaintState, Partial<Record<ComplaintAction, ComplaintState>>> = {
	received: { accept: 'accepted', reject: 'not_accepted' },
	accepted: { assign: 'investigating', extend: 'accepted' },
	not_accepted: { give_feedback: 'feedback_given' },
	investigating: {
		assign: 'investigating',
		request_response: 'response_requested',
		conclude: 'concluded',
		extend: 'investigating'
	},
	response_requested: {
		assign: 'response_requested',
		respond: 'responded',
		extend: 'response_requested'
		// conclude: only once the response is overdue (below)
	},
	responded: { assign: 'responded', conclude: 'concluded', extend: 'responded' },
	concluded: { give_feedback: 'feedback_given' },
	// sanction: in concluded and feedback_given, for a (partially) substantiated verdict (below)
	feedback_given: { close: 'closed' },
	closed: {}
};

const facts = (state: ComplaintState, over: Partial<ComplaintFacts> = {}): ComplaintFacts => ({
	state,
	verdict: null,
	extended: false,
	assigned: false,
	responseOverdue: false,
	...over
});

describe('the complaint workflow', () => {
	for (const state of COMPLAINT_STATES)
		for (const action of COMPLAINT_ACTIONS) {
			const to = ALLOWED[state][action];
			it(`${state} + ${action} → ${to ?? 'refused'}`, () => {
				const r = refusal(action, facts(state));
				if (to === undefined) {
					expect(r).not.toBeNull();
					if (action === 'conclude' && state === 'response_requested')
						expect(r).toBe('complaint_response_pending');
					else if (action === 'sanction' && (state === 'concluded' || state === 'feedback_given'))
						expect(r).toBe('complaint_not_sanctionable');
					else expect(r).toBe('complaint_action_not_allowed');
				} else {
					expect(r).toBeNull();
					expect(nextState(action, state)).toBe(to);
				}
			});
		}

	it('concludes a complaint whose department has not answered only once its response is overdue', () => {
		expect(refusal('conclude', facts('response_requested', { responseOverdue: true }))).toBeNull();
		expect(nextState('conclude', 'response_requested')).toBe('concluded');
	});

	it('sanctions only a (partially) substantiated complaint, until it is closed', () => {
		for (const state of ['concluded', 'feedback_given'] as const) {
			expect(refusal('sanction', facts(state, { verdict: 'substantiated' }))).toBeNull();
			expect(refusal('sanction', facts(state, { verdict: 'partial' }))).toBeNull();
			expect(refusal('sanction', facts(state, { verdict: 'unfounded' }))).toBe(
				'complaint_not_sanctionable'
			);
			expect(nextState('sanction', state)).toBe(state);
		}
		expect(refusal('sanction', facts('closed', { verdict: 'substantiated' }))).toBe(
			'complaint_action_not_allowed'
		);
	});

	it('extends the conclusion deadline once', () => {
		expect(refusal('extend', facts('investigating'))).toBeNull();
		expect(refusal('extend', facts('investigating', { extended: true }))).toBe(
			'complaint_already_extended'
		);
	});

	it('offers the allowed actions in order', () => {
		expect(allowedActions(facts('received'))).toEqual(['accept', 'reject']);
		expect(allowedActions(facts('investigating'))).toEqual([
			'assign',
			'request_response',
			'conclude',
			'extend'
		]);
		expect(allowedActions(facts('closed'))).toEqual([]);
	});
});

// October 2026: National Day holidays 1–7 October (the weekdays among them listed), adjusted
// workdays Sunday 27 September and Saturday 10 October.
const cal = makeCalendar({
	holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
	workdays: ['2026-09-27', '2026-10-10']
});

describe('complaint deadlines in working days', () => {
	it('counts working days over the holidays and the adjusted workdays', () => {
		// Wednesday 30 September + 1 working day: the holidays and the weekend are skipped, so
		// Thursday 8 October.
		expect(addWorkingDays('2026-09-30', 1, cal)).toBe('2026-10-08');
		// + 3: Thursday 8, Friday 9, Saturday 10 (an adjusted workday).
		expect(addWorkingDays('2026-09-30', 3, cal)).toBe('2026-10-10');
		// Friday 25 September + 1: Sunday 27 is worked.
		expect(addWorkingDays('2026-09-25', 1, cal)).toBe('2026-09-27');
		expect(addWorkingDays('2026-09-25', 0, cal)).toBe('2026-09-25');
	});

	it('agrees with isLate: done by the due day is on time, the next working day is late', () => {
		for (let start = '2026-09-20'; start <= '2026-10-20'; start = addDays(start, 1))
			for (const days of [0, 1, 5, 7, 30]) {
				const due = addWorkingDays(start, days, cal);
				expect(isLate(start, due, days, cal)).toBe(false);
				let next = addDays(due, 1);
				while (!isWorkingDay(next, cal)) {
					// The days off after the due day are still on time.
					expect(isLate(start, next, days, cal)).toBe(false);
					next = addDays(next, 1);
				}
				expect(isLate(start, next, days, cal)).toBe(true);
			}
	});

	const dates = {
		received: '2026-09-28',
		accepted: null,
		responseRequested: null,
		responded: null,
		concluded: null
	};

	it('says which step is due, by when, and whether it is overdue', () => {
		// Received Monday 28 September: accept within 7 working days (29, 30 September; 8, 9, 10,
		// 12, 13 October) → Tuesday 13 October.
		const due = complaintDue('received', dates, LIMITS, false, '2026-10-13', cal);
		expect(due.next).toEqual({ step: 'accept', due: '2026-10-13', overdue: false });
		expect(complaintDue('received', dates, LIMITS, false, '2026-10-14', cal).next?.overdue).toBe(
			true
		);
		const asked = { ...dates, accepted: '2026-09-29', responseRequested: '2026-09-30' };
		// Asked Wednesday 30 September: 5 working days (8, 9, 10, 12, 13 October).
		expect(
			complaintDue('response_requested', asked, LIMITS, false, '2026-10-12', cal).next
		).toEqual({ step: 'response', due: '2026-10-13', overdue: false });
		const investigating = complaintDue('investigating', asked, LIMITS, true, '2026-10-12', cal);
		expect(investigating.next).toEqual({
			step: 'conclude',
			due: addWorkingDays('2026-09-29', 60, cal),
			overdue: false
		});
		expect(complaintDue('closed', asked, LIMITS, false, '2026-10-12', cal).next).toBeNull();
	});

	it('derives a late department response from the request to the response or the conclusion', () => {
		const asked = { ...dates, accepted: '2026-09-29', responseRequested: '2026-09-30' };
		const onTime = { ...asked, responded: '2026-10-13' };
		expect(complaintDue('responded', onTime, LIMITS, false, '2026-10-20', cal).responseLate).toBe(
			false
		);
		const late = { ...asked, responded: '2026-10-14' };
		expect(complaintDue('responded', late, LIMITS, false, '2026-10-20', cal).responseLate).toBe(
			true
		);
		const never = { ...asked, concluded: '2026-10-20' };
		expect(complaintDue('concluded', never, LIMITS, false, '2026-10-20', cal).responseLate).toBe(
			true
		);
		// Still pending: not late yet, whatever today is (it is overdue, which the worklist shows).
		expect(
			complaintDue('response_requested', asked, LIMITS, false, '2026-10-20', cal).responseLate
		).toBe(false);
	});
});

describe('complaint numbers and tracking codes', () => {
	it('formats numbers and tracking codes, and reads a code however it is typed', () => {
		expect(formatComplaintNo(2026, 123)).toBe('TS2026-000123');
		expect(formatTrackingCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
		expect(normalizeTrackingCode(' abcd-efgh jkmn-pqrs ')).toBe('ABCDEFGHJKMNPQRS');
	});
});

describe('the complaint tables', () => {
	it('hold the states and sanctions the workflow knows, in its order', async () => {
		const { complaintState, complaintSanctionKind } = await import('$lib/server/db/schema');
		const { SANCTIONS } = await import('$lib/domain/complaints');
		expect(complaintState.enumValues).toEqual([...COMPLAINT_STATES]);
		expect(complaintSanctionKind.enumValues).toEqual([...SANCTIONS]);
	});
});
