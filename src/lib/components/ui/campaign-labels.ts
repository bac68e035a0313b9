// Display names of campaign kinds and response channels, and the kinds as <option>s.
import { m } from '$lib/paraglide/messages';
// Type only: the schemas module brings zod, which the pages that only show labels do not need.
import type { CampaignKind } from '$lib/schemas/campaigns';
import type { Option } from './labels';

// In the order of CAMPAIGN_KINDS.
const KIND_LABELS: Record<CampaignKind, () => string> = {
	enterprise_visit: m.campaigns_kind_enterprise_visit,
	public_evaluation: m.campaigns_kind_public_evaluation,
	online: m.campaigns_kind_online
};

export function campaignKindLabel(kind: CampaignKind): string {
	return KIND_LABELS[kind]();
}

export function campaignKindOptions(): Option[] {
	return Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label: label() }));
}
