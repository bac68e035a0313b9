// The words for a visit's and a problem's codes, in the interface language: a team member's role,
// the investor-card answer, a problem's category, scope and state. Each message is named
// statically (a computed name would make the bundler keep every message).
import {
	PROBLEM_CATEGORIES,
	PROBLEM_SCOPES,
	PROBLEM_STATES,
	type ProblemCategory,
	type ProblemScope,
	type ProblemState
} from '$lib/domain/visit-problems';
import { enumeration } from '$lib/enumerations';
import { m } from '$lib/paraglide/messages';
import { MEMBER_ROLES, type MemberRole } from '$lib/schemas/visits';
import type { Option } from './labels';

const ROLE = enumeration(MEMBER_ROLES, {
	supervisor: m.visits_role_supervisor,
	volunteer: m.visits_role_volunteer
});

const CATEGORY = enumeration(PROBLEM_CATEGORIES, {
	approval: m.problems_category_approval,
	fees: m.problems_category_fees,
	enforcement: m.problems_category_enforcement,
	inaction: m.problems_category_inaction,
	attitude: m.problems_category_attitude,
	policy: m.problems_category_policy,
	utilities: m.problems_category_utilities,
	other: m.problems_category_other
});

const SCOPE = enumeration(PROBLEM_SCOPES, {
	single: m.problems_scope_single,
	several: m.problems_scope_several,
	widespread: m.problems_scope_widespread
});

const STATE = enumeration(PROBLEM_STATES, {
	raised: m.problems_state_raised,
	brigade: m.problems_state_brigade,
	escalated: m.problems_state_escalated,
	instructed: m.problems_state_instructed,
	reported: m.problems_state_reported,
	settled: m.problems_state_settled,
	closed: m.problems_state_closed
});

export const memberRoleLabel = (r: MemberRole) => ROLE.label(r);
export const problemCategoryLabel = (c: string) =>
	CATEGORY.has(c) ? CATEGORY.label(c as ProblemCategory) : c;
export const problemScopeLabel = (s: ProblemScope) => SCOPE.label(s);
export const problemStateLabel = (s: ProblemState) => STATE.label(s);

/** Whether the enterprise holds an investor card: yes, no, or not asked. */
export const investorCardLabel = (held: boolean | null) =>
	held === null
		? m.visits_investor_card_not_asked()
		: held
			? m.visits_investor_card_yes()
			: m.visits_investor_card_no();

export const memberRoleOptions = (): Option[] =>
	MEMBER_ROLES.map((r) => ({ value: r, label: ROLE.label(r) }));
export const problemCategoryOptions = (): Option[] =>
	PROBLEM_CATEGORIES.map((c) => ({ value: c, label: CATEGORY.label(c) }));
export const problemScopeOptions = (): Option[] =>
	PROBLEM_SCOPES.map((s) => ({ value: s, label: SCOPE.label(s) }));
