// Input schemas for campaigns, shared by the campaign pages and `campaign create` on the command
// line. Problems are codes of `$lib/errors`.
import { z } from 'zod';
import { problem } from '$lib/errors';
import { yearSchema } from './departments';
import { pageNumber, yearFilter } from './query';
import { CAMPAIGN_KIND } from '$lib/enumerations';

export const CAMPAIGN_KINDS = CAMPAIGN_KIND.values;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** The built-in questionnaire of spec/exchange.md; a campaign uses it unless told otherwise. */
export const DEFAULT_QUESTIONNAIRE = 'standard-appraisal';

/** Codes appear in URLs and in response files: as for departments, a little longer. */
export const CAMPAIGN_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const CAMPAIGN_CODE_MAX = 64;
export const CAMPAIGN_NAME_MAX = 200;
export const QUESTIONNAIRE_CODE_MAX = 64;
/** `campaign.weight` is numeric(8, 4). */
export const WEIGHT_MAX = 1000;

/** Codes that would collide with pages under /campaigns/. */
const RESERVED_CODES: readonly string[] = ['new', 'import'];

export function isValidCampaignCode(code: string): boolean {
	return (
		code.length <= CAMPAIGN_CODE_MAX &&
		CAMPAIGN_CODE_PATTERN.test(code) &&
		!RESERVED_CODES.includes(code.toLowerCase())
	);
}

/** A weight as typed: up to 4 decimals, above 0, at most WEIGHT_MAX; normalised (`1.50` → `1.5`). */
export function parseWeight(raw: string): string | null {
	const t = raw.trim();
	if (!/^\d{1,4}(\.\d{1,4})?$/.test(t) && !/^\.\d{1,4}$/.test(t)) return null;
	const n = Number(t);
	if (!(n > 0) || n > WEIGHT_MAX) return null;
	return String(n);
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const optionalText = (max: number) =>
	z.preprocess(blankToUndefined, z.string().trim().max(max).optional()) as z.ZodType<
		string | undefined
	>;

export const createCampaignSchema = z.object({
	code: z.preprocess(
		blankToUndefined,
		z
			.string({ error: 'required' })
			.trim()
			.min(1, 'required')
			.max(CAMPAIGN_CODE_MAX)
			.refine(isValidCampaignCode, 'campaign_code_format')
	),
	year: yearSchema,
	kind: z.preprocess(
		blankToUndefined,
		z.enum(CAMPAIGN_KINDS, {
			error: (issue) => (issue.input === undefined ? 'required' : 'campaign_kind')
		})
	),
	questionnaire: z.preprocess(
		blankToUndefined,
		z
			.string()
			.trim()
			.max(QUESTIONNAIRE_CODE_MAX)
			.optional()
			.transform((v) => v ?? DEFAULT_QUESTIONNAIRE)
	),
	weight: z.preprocess(
		(v) => blankToUndefined(typeof v === 'number' ? String(v) : v),
		z
			.string({ error: 'campaign_weight' })
			.optional()
			.transform((v, ctx) => {
				if (v === undefined) return '1';
				const w = parseWeight(v);
				return w ?? problem(ctx, 'campaign_weight', { max: WEIGHT_MAX });
			})
	),
	nameZh: optionalText(CAMPAIGN_NAME_MAX),
	nameEn: optionalText(CAMPAIGN_NAME_MAX)
});
export type CreateCampaignInput = z.output<typeof createCampaignSchema>;

export const campaignListQuerySchema = z.object({
	year: yearFilter,
	page: pageNumber
});
