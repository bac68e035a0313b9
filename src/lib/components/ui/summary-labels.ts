// The words for a visit problem's category, scope and state as the campaign summary shows them,
// in the page's language or a given one (the XLSX download). Each message is named statically
// (a computed name would make the bundler keep every message).
import {
	PROBLEM_CATEGORIES,
	PROBLEM_SCOPES,
	PROBLEM_STATES,
	type ProblemScope,
	type ProblemState
} from '$lib/domain/visit-problems';
import { enumeration } from '$lib/enumerations';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

const CATEGORY = enumeration(PROBLEM_CATEGORIES, {
	approval: m.summary_category_approval,
	fees: m.summary_category_fees,
	enforcement: m.summary_category_enforcement,
	inaction: m.summary_category_inaction,
	attitude: m.summary_category_attitude,
	policy: m.summary_category_policy,
	utilities: m.summary_category_utilities,
	other: m.summary_category_other
});

const SCOPE = enumeration(PROBLEM_SCOPES, {
	single: m.summary_scope_single,
	several: m.summary_scope_several,
	widespread: m.summary_scope_widespread
});

const STATE = enumeration(PROBLEM_STATES, {
	raised: m.summary_state_raised,
	brigade: m.summary_state_brigade,
	escalated: m.summary_state_escalated,
	instructed: m.summary_state_instructed,
	reported: m.summary_state_reported,
	settled: m.summary_state_settled,
	closed: m.summary_state_closed
});

/** A stored category outside the list is shown as written. */
export const summaryCategoryLabel = (c: string, locale?: Locale) =>
	CATEGORY.has(c) ? CATEGORY.label(c, locale) : c;
export const summaryScopeLabel = (s: ProblemScope, locale?: Locale) => SCOPE.label(s, locale);
export const summaryStateLabel = (s: ProblemState, locale?: Locale) => STATE.label(s, locale);
