// Display names for the codes of complaints (category, channel, the stage the public sees,
// verdict: enumerations.ts's VERDICT) in the interface language, and the same as <option> lists. An imported complaint's
// category or channel may be its own system's wording: it is shown as it is.
import {
	COMPLAINT_CATEGORIES,
	COMPLAINT_CHANNELS,
	PUBLIC_STAGES,
	type ComplaintVerdict
} from '$lib/domain/complaints';
import { enumeration, VERDICT } from '$lib/enumerations';
import { m } from '$lib/paraglide/messages';
import type { Option } from './labels';

export const COMPLAINT_CATEGORY = enumeration(COMPLAINT_CATEGORIES, {
	slow_service: m.complaints_category_slow_service,
	arbitrary_fees: m.complaints_category_arbitrary_fees,
	enforcement: m.complaints_category_enforcement,
	inaction: m.complaints_category_inaction,
	attitude: m.complaints_category_attitude,
	integrity: m.complaints_category_integrity,
	other: m.complaints_category_other
});

export const COMPLAINT_CHANNEL = enumeration(COMPLAINT_CHANNELS, {
	online: m.complaints_channel_online,
	hotline: m.complaints_channel_hotline,
	walk_in: m.complaints_channel_walk_in,
	letter: m.complaints_channel_letter,
	visit: m.complaints_channel_visit
});

export const PUBLIC_STAGE = enumeration(PUBLIC_STAGES, {
	received: m.complaints_stage_received,
	not_accepted: m.complaints_stage_not_accepted,
	handling: m.complaints_stage_handling,
	answered: m.complaints_stage_answered,
	closed: m.complaints_stage_closed
});

/** What each stage means for the complainant, a sentence. */
export const STAGE_HINTS = {
	received: m.complaints_stage_received_hint,
	not_accepted: m.complaints_stage_not_accepted_hint,
	handling: m.complaints_stage_handling_hint,
	answered: m.complaints_stage_answered_hint,
	closed: m.complaints_stage_closed_hint
} satisfies Record<(typeof PUBLIC_STAGES)[number], unknown>;

export const categoryLabel = (c: string) =>
	COMPLAINT_CATEGORY.has(c) ? COMPLAINT_CATEGORY.label(c) : c;
export const channelLabel = (c: string) =>
	COMPLAINT_CHANNEL.has(c) ? COMPLAINT_CHANNEL.label(c) : c;
export const verdictLabel = (v: ComplaintVerdict) => VERDICT.label(v);

export const complaintCategoryOptions = (): Option[] =>
	COMPLAINT_CATEGORIES.map((value) => ({ value, label: COMPLAINT_CATEGORY.label(value) }));
