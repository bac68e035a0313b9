// The words for a visit problem's codes, in the interface language (or a given one, for a download): states, actions, categories
// and scopes, and the categories and states as <option>s. Each message is named statically (a
// computed name would make the bundler keep every message).
import {
	PROBLEM_ACTIONS,
	PROBLEM_CATEGORIES,
	PROBLEM_SCOPES,
	PROBLEM_STATES,
	type ProblemAction,
	type ProblemScope,
	type ProblemState
} from '$lib/domain/visit-problems';
import { enumeration } from '$lib/enumerations';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Option } from './labels';

const STATE = enumeration(PROBLEM_STATES, {
	raised: m.problem_state_raised,
	brigade: m.problem_state_brigade,
	escalated: m.problem_state_escalated,
	instructed: m.problem_state_instructed,
	reported: m.problem_state_reported,
	settled: m.problem_state_settled,
	closed: m.problem_state_closed
});

const ACTION = enumeration(PROBLEM_ACTIONS, {
	settle_by_brigade: m.problem_action_settle_by_brigade,
	escalate: m.problem_action_escalate,
	instruct: m.problem_action_instruct,
	report: m.problem_action_report,
	settle: m.problem_action_settle,
	return_visit: m.problem_action_return_visit,
	to_complaint: m.problem_action_to_complaint,
	to_finding: m.problem_action_to_finding
});

const CATEGORY = enumeration(PROBLEM_CATEGORIES, {
	approval: m.problem_category_approval,
	fees: m.problem_category_fees,
	enforcement: m.problem_category_enforcement,
	inaction: m.problem_category_inaction,
	attitude: m.problem_category_attitude,
	policy: m.problem_category_policy,
	utilities: m.problem_category_utilities,
	other: m.problem_category_other
});

const SCOPE = enumeration(PROBLEM_SCOPES, {
	single: m.problem_scope_single,
	several: m.problem_scope_several,
	widespread: m.problem_scope_widespread
});

export const problemStateLabel = (s: ProblemState, locale?: Locale) => STATE.label(s, locale);
export const problemActionLabel = (a: ProblemAction) => ACTION.label(a);
/** A stored category outside the list is shown as written. */
export const problemCategoryLabel = (c: string, locale?: Locale) =>
	CATEGORY.has(c) ? CATEGORY.label(c, locale) : c;
export const problemScopeLabel = (s: ProblemScope, locale?: Locale) => SCOPE.label(s, locale);
export const isProblemState = (v: unknown): v is ProblemState => STATE.has(v);

export const problemCategoryOptions = (): Option[] =>
	PROBLEM_CATEGORIES.map((value) => ({ value, label: CATEGORY.label(value) }));
export const problemScopeOptions = (): Option[] =>
	PROBLEM_SCOPES.map((value) => ({ value, label: SCOPE.label(value) }));
export const problemStateOptions = (): Option[] =>
	PROBLEM_STATES.map((value) => ({ value, label: STATE.label(value) }));
