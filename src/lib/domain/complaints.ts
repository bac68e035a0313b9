// The handling of an efficiency complaint (效能投诉) from intake to closure, as a state machine:
// which actions each state allows, where each leads, and the deadlines in working days. Pure: the
// complaints module applies these rules inside its transactions (every transition audited) and
// tests/unit/complaint-workflow.test.ts checks every state against every action.
//
//   received ──accept──▶ accepted ──assign──▶ investigating ──request_response──▶ response_requested
//      │                                          │                                     │
//      └──reject──▶ not_accepted                  │                               respond (liaison)
//                        │                        │                                     ▼
//                        │                        └──────────conclude──────────▶ concluded ◀─ responded
//                        │                                                          │ (sanction…)
//                        └─────────────────give_feedback──────────────────▶ feedback_given ──close──▶ closed
//
// `conclude` from response_requested only once the department's response is overdue (its
// answer then counts as late); `assign` again hands an open complaint to another supervisor
// (the state stays);
// `extend` moves the conclusion deadline once, with a reason; `sanction` records a sanction on
// a complaint found (partially) substantiated, until it is closed.
import { addWorkingDays, isLate, type WorkingDayCalendar } from './working-days';

export const COMPLAINT_STATES = [
	'received',
	'accepted',
	'not_accepted',
	'investigating',
	'response_requested',
	'responded',
	'concluded',
	'feedback_given',
	'closed'
] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export const COMPLAINT_ACTIONS = [
	'accept',
	'reject',
	'assign',
	'request_response',
	'respond',
	'conclude',
	'sanction',
	'extend',
	'give_feedback',
	'close'
] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

/** What a complaint is about (the form's choice; an imported one keeps its own wording). */
export const COMPLAINT_CATEGORIES = [
	'slow_service', // 办事拖沓、超时限
	'arbitrary_fees', // 乱收费、重复收费
	'enforcement', // 执法不规范（如罚款不开票据）
	'inaction', // 不作为、慢作为
	'attitude', // 服务态度
	'integrity', // 吃拿卡要
	'other'
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** A complaint number the app gives: `TS2026-000123` (imported ones keep theirs). */
export function formatComplaintNo(year: number, n: number): string {
	return `TS${year}-${String(n).padStart(6, '0')}`;
}

/** The secret tracking code's letters (base32 without padding), in groups of four when shown. */
export const TRACKING_CODE_LENGTH = 16;

/** A tracking code as typed (any case, with spaces or hyphens) in the form it is hashed in. */
export function normalizeTrackingCode(input: string): string {
	return input.replace(/[\s-]/g, '').toUpperCase();
}

/** `ABCDEFGH…` → `ABCD-EFGH-…`, as the complainant is shown it. */
export function formatTrackingCode(code: string): string {
	return normalizeTrackingCode(code).replace(/(.{4})(?=.)/g, '$1-');
}

/** Where a complaint comes from: the public form, or a supervisor's entry of the others. */
export const COMPLAINT_CHANNELS = ['online', 'hotline', 'walk_in', 'letter', 'visit'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const COMPLAINT_VERDICTS = ['substantiated', 'partial', 'unfounded'] as const;
export type ComplaintVerdict = (typeof COMPLAINT_VERDICTS)[number];

/** The sanctions of the efficiency rules, lightest first. */
export const SANCTIONS = [
	'efficiency_warning', // 效能告诫
	'admonishment_talk', // 诫勉谈话
	'public_naming', // 通报
	'transfer_from_post', // 调离岗位
	'discipline_referral' // 移送纪检
] as const;
export type Sanction = (typeof SANCTIONS)[number];

/** The states in which a complaint is still being handled (its deadlines run). */
export const OPEN_STATES: readonly ComplaintState[] = [
	'received',
	'accepted',
	'investigating',
	'response_requested',
	'responded'
];

/**
 * What the tracking page tells the complainant of a state: received, not accepted, being
 * handled (the investigation and the verdict stay inside until the answer is given), answered,
 * closed.
 */
export const PUBLIC_STAGES = [
	'received',
	'not_accepted',
	'handling',
	'answered',
	'closed'
] as const;
export type PublicStage = (typeof PUBLIC_STAGES)[number];

export function publicStage(state: ComplaintState): PublicStage {
	switch (state) {
		case 'received':
		case 'not_accepted':
		case 'closed':
			return state;
		case 'feedback_given':
			return 'answered';
		default:
			return 'handling';
	}
}

/**
 * Each action's states of departure and arrival: one state, or one per state of departure
 * (`null`, or a state of departure not named: it stays where it is).
 */
const TRANSITIONS: Record<
	ComplaintAction,
	{
		from: readonly ComplaintState[];
		to: ComplaintState | Partial<Record<ComplaintState, ComplaintState>> | null;
	}
> = {
	accept: { from: ['received'], to: 'accepted' },
	reject: { from: ['received'], to: 'not_accepted' },
	// The first assignment starts the investigation; a later one hands it to another.
	assign: {
		from: ['accepted', 'investigating', 'response_requested', 'responded'],
		to: { accepted: 'investigating' }
	},
	request_response: { from: ['investigating'], to: 'response_requested' },
	respond: { from: ['response_requested'], to: 'responded' },
	conclude: { from: ['investigating', 'response_requested', 'responded'], to: 'concluded' },
	sanction: { from: ['concluded', 'feedback_given'], to: null },
	extend: { from: ['accepted', 'investigating', 'response_requested', 'responded'], to: null },
	give_feedback: { from: ['not_accepted', 'concluded'], to: 'feedback_given' },
	close: { from: ['feedback_given'], to: 'closed' }
};

/** What the complaint's record says, beyond its state, that an action's rules look at. */
export interface ComplaintFacts {
	state: ComplaintState;
	/** Null until concluded. */
	verdict: ComplaintVerdict | null;
	/** Whether the conclusion deadline was extended already (it may be, once). */
	extended: boolean;
	/** Whether a supervisor handles it. */
	assigned: boolean;
	/** Whether the department's response is overdue now (response_requested only). */
	responseOverdue: boolean;
}

export type ComplaintRefusal =
	| 'complaint_action_not_allowed'
	| 'complaint_already_extended'
	| 'complaint_not_sanctionable'
	| 'complaint_response_pending';

/** Why `action` is not allowed on the complaint, or null when it is. */
export function refusal(action: ComplaintAction, c: ComplaintFacts): ComplaintRefusal | null {
	if (!TRANSITIONS[action].from.includes(c.state)) return 'complaint_action_not_allowed';
	switch (action) {
		case 'extend':
			return c.extended ? 'complaint_already_extended' : null;
		case 'sanction':
			return c.verdict === 'substantiated' || c.verdict === 'partial'
				? null
				: 'complaint_not_sanctionable';
		case 'conclude':
			// The department was asked: its answer is awaited until its deadline has passed.
			return c.state === 'response_requested' && !c.responseOverdue
				? 'complaint_response_pending'
				: null;
		default:
			return null;
	}
}

/** The state an allowed action leads to. */
export function nextState(action: ComplaintAction, from: ComplaintState): ComplaintState {
	const to = TRANSITIONS[action].to;
	if (to === null) return from;
	return typeof to === 'string' ? to : (to[from] ?? from);
}

/** The actions allowed now, in the order a page offers them. */
export function allowedActions(c: ComplaintFacts): ComplaintAction[] {
	return COMPLAINT_ACTIONS.filter((a) => refusal(a, c) === null);
}

// --- Deadlines ----------------------------------------------------------------------------------

/** Working days allowed for each step (settings; these are the defaults). */
export interface ComplaintDeadlines {
	/** From receipt to acceptance (or not). */
	acceptDays: number;
	/** From the request to the department's response. */
	responseDays: number;
	/** From acceptance to the conclusion. */
	concludeDays: number;
	/** From acceptance to the conclusion, once extended. */
	extendedConcludeDays: number;
}

export const DEFAULT_COMPLAINT_DEADLINES: ComplaintDeadlines = {
	acceptDays: 7,
	responseDays: 5,
	concludeDays: 30,
	extendedConcludeDays: 60
};

/** The complaint's times, as local dates (null when the step has not happened). */
export interface ComplaintDates {
	received: string;
	accepted: string | null;
	responseRequested: string | null;
	responded: string | null;
	concluded: string | null;
}

export interface ComplaintDue {
	/** The step the complaint waits for, and the day it is due by; null when none is. */
	next: { step: 'accept' | 'response' | 'conclude'; due: string; overdue: boolean } | null;
	/** The department's response came later than its limit (or never came before the conclusion). */
	responseLate: boolean;
}

/**
 * What is due next for a complaint in `state`, measured to `today`, and whether the
 * department's response was late (`response_late` of scoring.md §2.3 for complaints handled
 * here: more than `responseDays` working days from the request to the response, or to the
 * conclusion when it never came).
 */
export function complaintDue(
	state: ComplaintState,
	d: ComplaintDates,
	limits: ComplaintDeadlines,
	extended: boolean,
	today: string,
	cal: WorkingDayCalendar
): ComplaintDue {
	const responseEnd = d.responded ?? d.concluded ?? today;
	const responseLate =
		d.responseRequested !== null &&
		(d.responded !== null || d.concluded !== null) &&
		isLate(d.responseRequested, responseEnd, limits.responseDays, cal);
	const step = (
		name: 'accept' | 'response' | 'conclude',
		from: string,
		days: number
	): ComplaintDue['next'] => ({
		step: name,
		due: addWorkingDays(from, days, cal),
		overdue: isLate(from, today, days, cal)
	});
	let next: ComplaintDue['next'] = null;
	if (state === 'received') next = step('accept', d.received, limits.acceptDays);
	else if (state === 'response_requested' && d.responseRequested !== null)
		next = step('response', d.responseRequested, limits.responseDays);
	else if (OPEN_STATES.includes(state) && d.accepted !== null)
		next = step(
			'conclude',
			d.accepted,
			extended ? limits.extendedConcludeDays : limits.concludeDays
		);
	return { next, responseLate };
}
