// Display names of campaign kinds, and the kinds as <option>s.
import { CAMPAIGN_KIND } from '$lib/enumerations';
import type { Option } from './labels';

export type CampaignKind = (typeof CAMPAIGN_KIND.values)[number];

export const campaignKindLabel = (kind: CampaignKind): string => CAMPAIGN_KIND.label(kind);

export const campaignKindOptions = (): Option[] =>
	CAMPAIGN_KIND.values.map((value) => ({ value, label: campaignKindLabel(value) }));
