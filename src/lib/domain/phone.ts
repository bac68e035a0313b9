// The phone console's call outcomes (issue 8): what a supervisor records after dialling a unit
// of the campaign's sample. The database enum `call_outcome` has the same values.
export const CALL_OUTCOMES = [
	'completed',
	'partial',
	'refused',
	'no_answer',
	'busy',
	'wrong_number',
	'callback'
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Outcomes after which a unit is not called again. */
export const FINAL_OUTCOMES: readonly CallOutcome[] = ['completed', 'refused', 'wrong_number'];

/** Outcomes recorded with a response (the interview's answers). */
export const INTERVIEW_OUTCOMES = ['completed', 'partial'] as const;
export type InterviewOutcome = (typeof INTERVIEW_OUTCOMES)[number];

/** Outcomes recorded without answers (a partial interview may be: a break-off before any). */
export type AttemptOutcome = Exclude<CallOutcome, 'completed'>;
export const ATTEMPT_OUTCOMES = CALL_OUTCOMES.filter(
	(o): o is AttemptOutcome => o !== 'completed'
) as [AttemptOutcome, ...AttemptOutcome[]];
