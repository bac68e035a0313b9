// The words for a complaint's codes, in the interface language: states, categories, channels,
// the stages the public sees, verdicts (enumerations.ts's VERDICT), sanctions, steps and actions;
// and the categories as <option>s. A category or channel that is no code of ours (an imported
// complaint's own wording) is shown as it is. Each message is named statically (a computed name
// would make the bundler keep every message).
import {
	COMPLAINT_ACTIONS,
	COMPLAINT_CATEGORIES,
	COMPLAINT_CHANNELS,
	COMPLAINT_STATES,
	PUBLIC_STAGES,
	SANCTIONS,
	type ComplaintAction,
	type ComplaintState,
	type ComplaintVerdict,
	type PublicStage,
	type Sanction
} from '$lib/domain/complaints';
import { enumeration, VERDICT } from '$lib/enumerations';
import { m } from '$lib/paraglide/messages';
import type { Option } from './labels';

const STATE = enumeration(COMPLAINT_STATES, {
	received: m.complaints_state_received,
	accepted: m.complaints_state_accepted,
	not_accepted: m.complaints_state_not_accepted,
	investigating: m.complaints_state_investigating,
	response_requested: m.complaints_state_response_requested,
	responded: m.complaints_state_responded,
	concluded: m.complaints_state_concluded,
	feedback_given: m.complaints_state_feedback_given,
	closed: m.complaints_state_closed
});

const CATEGORY = enumeration(COMPLAINT_CATEGORIES, {
	slow_service: m.complaints_category_slow_service,
	arbitrary_fees: m.complaints_category_arbitrary_fees,
	enforcement: m.complaints_category_enforcement,
	inaction: m.complaints_category_inaction,
	attitude: m.complaints_category_attitude,
	integrity: m.complaints_category_integrity,
	other: m.complaints_category_other
});

const CHANNEL = enumeration(COMPLAINT_CHANNELS, {
	online: m.complaints_channel_online,
	hotline: m.complaints_channel_hotline,
	walk_in: m.complaints_channel_walk_in,
	letter: m.complaints_channel_letter,
	visit: m.complaints_channel_visit
});

const STAGE = enumeration(PUBLIC_STAGES, {
	received: m.complaints_stage_received,
	not_accepted: m.complaints_stage_not_accepted,
	handling: m.complaints_stage_handling,
	answered: m.complaints_stage_answered,
	closed: m.complaints_stage_closed
});

/** What each public stage means for the complainant, a sentence. */
const STAGE_HINTS: Record<PublicStage, () => string> = {
	received: m.complaints_stage_received_hint,
	not_accepted: m.complaints_stage_not_accepted_hint,
	handling: m.complaints_stage_handling_hint,
	answered: m.complaints_stage_answered_hint,
	closed: m.complaints_stage_closed_hint
};

const SANCTION = enumeration(SANCTIONS, {
	efficiency_warning: m.complaints_sanction_efficiency_warning,
	admonishment_talk: m.complaints_sanction_admonishment_talk,
	public_naming: m.complaints_sanction_public_naming,
	transfer_from_post: m.complaints_sanction_transfer_from_post,
	discipline_referral: m.complaints_sanction_discipline_referral
});

const STEPS: Record<'accept' | 'response' | 'conclude', () => string> = {
	accept: m.complaints_step_accept,
	response: m.complaints_step_response,
	conclude: m.complaints_step_conclude
};

const ACTION = enumeration(COMPLAINT_ACTIONS, {
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
});

/** A state's name; an imported complaint (no state) is "handled elsewhere". */
export const complaintStateLabel = (s: ComplaintState | null) =>
	s === null ? m.complaints_state_imported() : STATE.label(s);
export const complaintCategoryLabel = (c: string) => (CATEGORY.has(c) ? CATEGORY.label(c) : c);
export const complaintChannelLabel = (c: string) => (CHANNEL.has(c) ? CHANNEL.label(c) : c);
export const complaintStageLabel = (s: PublicStage) => STAGE.label(s);
export const complaintStageHint = (s: PublicStage) => STAGE_HINTS[s]();
export const complaintVerdictLabel = (v: ComplaintVerdict) => VERDICT.label(v);
export const sanctionLabel = (s: Sanction) => SANCTION.label(s);
export const complaintStepLabel = (s: keyof typeof STEPS) => STEPS[s]();
export const complaintActionLabel = (a: ComplaintAction) => ACTION.label(a);

export const complaintCategoryOptions = (): Option[] =>
	COMPLAINT_CATEGORIES.map((value) => ({ value, label: CATEGORY.label(value) }));
