// The words for a visit's codes, in the interface language: a team member's role and the
// investor-card answer (a problem's are in problem-labels.ts). Each message is named
// statically (a computed name would make the bundler keep every message).
import { enumeration } from '$lib/enumerations';
import { m } from '$lib/paraglide/messages';
import { MEMBER_ROLES, type MemberRole } from '$lib/schemas/visits';
import type { Option } from './labels';

const ROLE = enumeration(MEMBER_ROLES, {
	supervisor: m.visits_role_supervisor,
	volunteer: m.visits_role_volunteer
});

export const memberRoleLabel = (r: MemberRole) => ROLE.label(r);

/** Whether the enterprise holds an investor card: yes, no, or not asked. */
export const investorCardLabel = (held: boolean | null) =>
	held === null
		? m.visits_investor_card_not_asked()
		: held
			? m.visits_investor_card_yes()
			: m.visits_investor_card_no();

export const memberRoleOptions = (): Option[] =>
	MEMBER_ROLES.map((r) => ({ value: r, label: ROLE.label(r) }));
