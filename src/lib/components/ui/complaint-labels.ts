// The words for a complaint's codes: states, categories, channels, verdicts, sanctions, steps and
// actions. A category or channel that is no code of ours (an imported complaint's own wording)
// is shown as it is. Each message is named statically (see nav-links.ts: a computed name would
// make the bundler keep every message).
import type {
	ComplaintAction,
	ComplaintState,
	ComplaintVerdict,
	Sanction
} from '$lib/domain/complaints';
import { m } from '$lib/paraglide/messages';

const STATES: Record<ComplaintState, () => string> = {
	received: m.complaints_state_received,
	accepted: m.complaints_state_accepted,
	not_accepted: m.complaints_state_not_accepted,
	investigating: m.complaints_state_investigating,
	response_requested: m.complaints_state_response_requested,
	responded: m.complaints_state_responded,
	concluded: m.complaints_state_concluded,
	feedback_given: m.complaints_state_feedback_given,
	closed: m.complaints_state_closed
};

const CATEGORIES: Record<string, () => string> = {
	slow_service: m.complaints_category_slow_service,
	arbitrary_fees: m.complaints_category_arbitrary_fees,
	enforcement: m.complaints_category_enforcement,
	inaction: m.complaints_category_inaction,
	attitude: m.complaints_category_attitude,
	integrity: m.complaints_category_integrity,
	other: m.complaints_category_other
};

const CHANNELS: Record<string, () => string> = {
	online: m.complaints_channel_online,
	hotline: m.complaints_channel_hotline,
	walk_in: m.complaints_channel_walk_in,
	letter: m.complaints_channel_letter,
	visit: m.complaints_channel_visit
};

const VERDICTS: Record<ComplaintVerdict, () => string> = {
	substantiated: m.complaints_verdict_substantiated,
	partial: m.complaints_verdict_partial,
	unfounded: m.complaints_verdict_unfounded
};

const SANCTION_LABELS: Record<Sanction, () => string> = {
	efficiency_warning: m.complaints_sanction_efficiency_warning,
	admonishment_talk: m.complaints_sanction_admonishment_talk,
	public_naming: m.complaints_sanction_public_naming,
	transfer_from_post: m.complaints_sanction_transfer_from_post,
	discipline_referral: m.complaints_sanction_discipline_referral
};

const STEPS: Record<'accept' | 'response' | 'conclude', () => string> = {
	accept: m.complaints_step_accept,
	response: m.complaints_step_response,
	conclude: m.complaints_step_conclude
};

const ACTIONS: Record<ComplaintAction, () => string> = {
	accept: m.complaints_action_accept,
	reject: m.complaints_action_reject,
	assign: m.complaints_action_assign,
	request_response: m.complaints_action_request_response,
	respond: m.complaints_action_respond,
	conclude: m.complaints_action_conclude,
	sanction: m.complaints_action_sanction,
	extend: m.complaints_action_extend,
	give_feedback: m.complaints_action_give_feedback,
	close: m.complaints_action_close
};

/** A state's name; an imported complaint (no state) is "handled elsewhere". */
export const complaintStateLabel = (s: ComplaintState | null) =>
	s === null ? m.complaints_state_imported() : STATES[s]();
export const complaintCategoryLabel = (c: string) => CATEGORIES[c]?.() ?? c;
export const complaintChannelLabel = (c: string) => CHANNELS[c]?.() ?? c;
export const complaintVerdictLabel = (v: ComplaintVerdict) => VERDICTS[v]();
export const sanctionLabel = (s: Sanction) => SANCTION_LABELS[s]();
export const complaintStepLabel = (s: keyof typeof STEPS) => STEPS[s]();
export const complaintActionLabel = (a: ComplaintAction) => ACTIONS[a]();
