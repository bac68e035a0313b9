// What may happen to a problem an enterprise raised during a visit (办事难的具体事例, issue 9 §6),
// as a state machine: where each action leads, and the rules beyond the state. Pure: the visits
// module applies these inside its transactions; tests/unit/visit-problems.test.ts checks every
// state against every action.
//
//   raised ──settle_by_brigade──▶ brigade ──settle──▶ settled ─┐
//      │                                                        ├─return_visit (satisfied)──▶ closed
//      └──escalate──▶ escalated ──instruct──▶ instructed ──report (the last one)──▶ reported ─┘
//
// Triage: a narrow, low-impact problem is settled by the Brigade (a supervisor, a deadline); a
// wide, high-impact one goes to a city leader, who instructs and names the departments and a
// deadline; each department reports back. A return visit (回访) asks the enterprise: satisfied
// closes the problem, not satisfied sends it back (to the Brigade, or to the departments, who
// report again). Until it is closed a problem may also be turned, once each, into a complaint or
// an inspection finding, the two linked both ways.

export const PROBLEM_STATES = [
	'raised',
	'brigade',
	'escalated',
	'instructed',
	'reported',
	'settled',
	'closed'
] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

export const PROBLEM_ACTIONS = [
	'settle_by_brigade',
	'escalate',
	'instruct',
	'report',
	'settle',
	'return_visit',
	'to_complaint',
	'to_finding'
] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

/** How far a problem reaches, as the triage weighs it. */
export const PROBLEM_SCOPES = ['single', 'several', 'widespread'] as const;
export type ProblemScope = (typeof PROBLEM_SCOPES)[number];

/** What a problem is about, as the campaign summary counts them. */
export const PROBLEM_CATEGORIES = [
	'approval', // 审批难、审批慢
	'fees', // 乱收费、重复收费
	'enforcement', // 执法不规范、重复检查
	'inaction', // 推诿扯皮、不作为
	'attitude', // 服务态度
	'policy', // 优惠政策不落实
	'utilities', // 水电路等要素保障
	'other'
] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

/** A visit's number (`ZF2026-000123`), which the field console records with the appraisal. */
export function formatVisitNo(year: number, n: number): string {
	return `ZF${year}-${String(n).padStart(6, '0')}`;
}

/** A problem's number: `WT2026-000123`. */
export function formatProblemNo(year: number, n: number): string {
	return `WT${year}-${String(n).padStart(6, '0')}`;
}

/** The states in which a problem is being handled (its deadline runs). */
export const OPEN_PROBLEM_STATES: readonly ProblemState[] = [
	'raised',
	'brigade',
	'escalated',
	'instructed',
	'reported',
	'settled'
];

/** What the rules look at besides the state. */
export interface ProblemFacts {
	state: ProblemState;
	/** report: whether this report is the last one the instructed departments owed. */
	lastReport?: boolean;
	/** return_visit: whether the enterprise is satisfied. */
	satisfied?: boolean;
	/** Already turned into a complaint / a finding. */
	complaintLinked: boolean;
	findingLinked: boolean;
}

export type ProblemRefusal =
	'problem_action_not_allowed' | 'problem_already_complaint' | 'problem_already_finding';

const FROM: Record<ProblemAction, readonly ProblemState[]> = {
	settle_by_brigade: ['raised'],
	escalate: ['raised'],
	instruct: ['escalated'],
	report: ['instructed'],
	settle: ['brigade'],
	return_visit: ['reported', 'settled'],
	to_complaint: OPEN_PROBLEM_STATES,
	to_finding: OPEN_PROBLEM_STATES
};

/** Why `action` is not allowed on the problem, or null when it is. */
export function problemRefusal(action: ProblemAction, p: ProblemFacts): ProblemRefusal | null {
	if (!FROM[action].includes(p.state)) return 'problem_action_not_allowed';
	if (action === 'to_complaint' && p.complaintLinked) return 'problem_already_complaint';
	if (action === 'to_finding' && p.findingLinked) return 'problem_already_finding';
	return null;
}

/** The state an allowed action leads to. */
export function nextProblemState(action: ProblemAction, p: ProblemFacts): ProblemState {
	switch (action) {
		case 'settle_by_brigade':
			return 'brigade';
		case 'escalate':
			return 'escalated';
		case 'instruct':
			return 'instructed';
		case 'report':
			return p.lastReport ? 'reported' : 'instructed';
		case 'settle':
			return 'settled';
		case 'return_visit':
			// Not satisfied: back to whoever handled it, to try again.
			return p.satisfied ? 'closed' : p.state === 'settled' ? 'brigade' : 'instructed';
		case 'to_complaint':
		case 'to_finding':
			return p.state;
	}
}

/** The actions allowed now, in the order a page offers them. */
export function allowedProblemActions(p: Omit<ProblemFacts, 'lastReport' | 'satisfied'>) {
	return PROBLEM_ACTIONS.filter((a) => problemRefusal(a, p) === null);
}

/**
 * The default working days each handler is given (docs/visit-problems.md), counted on the
 * holiday calendar from the day of the step: the Brigade to settle a problem, the instructed
 * departments to report back, and the Brigade to make the return visit once it was settled or
 * reported. A supervisor or a leader may set another due date with the step.
 */
export const PROBLEM_DEADLINES = {
	brigadeDays: 10,
	departmentDays: 15,
	returnVisitDays: 5
} as const;

/**
 * Whether a problem is past its deadline on `today` (a local date): open, with a due date before
 * today. The worklist's SQL says the same (tests/integration/visit-problems.test.ts compares them).
 */
export function problemOverdue(p: { state: ProblemState; dueOn: string | null }, today: string) {
	return OPEN_PROBLEM_STATES.includes(p.state) && p.dueOn !== null && p.dueOn < today;
}
