// A campaign's life (spec/product.md, roles.md): planned as a draft, run while active, closed for
// good. What may change in each state, and who may learn that a campaign exists: campaigns are
// unannounced, so a department hears of one only once it is closed.
import type { ProblemCode } from '$lib/errors';
import { hasRole, ROLES, type Role } from './roles';

export const CAMPAIGN_STATES = ['draft', 'active', 'closed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Which departments a campaign asks about: all, one category, or a hand-picked set. */
export const CAMPAIGN_TARGETS = ['all', 'municipal', 'vertical', 'selected'] as const;
export type CampaignTargets = (typeof CAMPAIGN_TARGETS)[number];

/** The ways a response comes in (spec/exchange.md); a campaign allows some or all of them. */
export const RESPONSE_CHANNELS = ['field', 'phone', 'online', 'paper'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];

export type CampaignAction = 'open' | 'close';

/** The state an action leads to from `state`, or the problem that forbids it. */
export function transition(
	state: CampaignState,
	action: CampaignAction
): { ok: true; state: CampaignState } | { ok: false; code: ProblemCode } {
	if (action === 'open')
		return state === 'draft'
			? { ok: true, state: 'active' }
			: { ok: false, code: 'campaign_not_draft' };
	return state === 'active'
		? { ok: true, state: 'closed' }
		: { ok: false, code: 'campaign_not_active' };
}

/**
 * What may be edited in a state: a draft's every setting; while active, only the closing date
 * and the quotas (a running campaign keeps its questionnaire, targets and channels, or its
 * responses would answer different questions); nothing once closed.
 */
export function editable(state: CampaignState): {
	settings: boolean;
	closesOn: boolean;
	quotas: boolean;
} {
	return {
		settings: state === 'draft',
		closesOn: state !== 'closed',
		quotas: state !== 'closed'
	};
}

/** What keeps a draft from opening: a hand-picked target set with no department in it. */
export function openProblem(c: { targets: CampaignTargets; selected: number }): ProblemCode | null {
	return c.targets === 'selected' && c.selected === 0 ? 'campaign_no_targets' : null;
}

/**
 * Whether someone in `role` may learn that a campaign in `state` exists. Before it closes only
 * those who plan, run or oversee it (`ROLES.viewCampaigns`) may; afterwards a liaison may see its own department's aggregates. Anyone else
 * (an enterprise, the public) never learns of it here: an invitation is their only door.
 */
export function mayLearnOf(role: Role, state: CampaignState): boolean {
	if (hasRole(role, ROLES.viewCampaigns)) return true;
	return role === 'liaison' && state === 'closed';
}
