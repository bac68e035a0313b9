// Input schemas for campaigns, shared by the campaign pages and `campaign create` on the command
// line. Problems are codes of `$lib/errors`.
import { z } from 'zod';
import { problem } from '$lib/errors';
import {
	CAMPAIGN_TARGETS,
	RESPONSE_CHANNELS,
	type CampaignTargets,
	type ResponseChannel
} from '$lib/domain/campaigns';
import { startOfDay } from '$lib/domain/time';
import { isValidDepartmentCode, yearSchema } from './departments';
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

/** The departments a campaign asks about: a set named by `targets`, or the codes picked. */
export interface TargetChoice {
	targets: CampaignTargets;
	/** The picked departments' codes (only for `selected`). */
	departments: string[];
}

/**
 * Targets as the command line writes them: `all`, `municipal`, `vertical`, or department codes
 * separated by `;` (a hand-picked set, e.g. the law-enforcement units).
 */
export const targetsArgSchema = z.string().transform((raw, ctx): TargetChoice => {
	const t = raw.trim();
	if ((CAMPAIGN_TARGETS as readonly string[]).includes(t) && t !== 'selected')
		return { targets: t as CampaignTargets, departments: [] };
	const codes = [
		...new Set(
			t
				.split(';')
				.map((c) => c.trim())
				.filter(Boolean)
		)
	];
	const bad = codes.find((c) => !isValidDepartmentCode(c));
	if (codes.length === 0 || bad !== undefined)
		return problem(ctx, 'campaign_targets', { value: bad ?? t });
	return { targets: 'selected', departments: codes };
});

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
	nameEn: optionalText(CAMPAIGN_NAME_MAX),
	/** The command line's `--targets`; the page sets them on the campaign's own page. */
	targets: z.preprocess(blankToUndefined, targetsArgSchema.optional())
});
export type CreateCampaignInput = z.output<typeof createCampaignSchema>;

export const campaignListQuerySchema = z.object({
	year: yearFilter,
	page: pageNumber
});

// --- A campaign's plan: targets, channels, dates, quotas -------------------------------------

/** A form's repeated field (checkboxes): none, one (a string) or several (a list). */
const many = (v: unknown): unknown => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const channelsSchema = z.preprocess(
	many,
	z
		.array(z.enum(RESPONSE_CHANNELS, { error: 'response_channel' }))
		.min(1, 'campaign_channels')
		.transform((list) => RESPONSE_CHANNELS.filter((c) => list.includes(c)) as ResponseChannel[])
);

const optionalDate = z.preprocess(
	blankToUndefined,
	z
		.string()
		.trim()
		.refine((v) => startOfDay(v) !== null, 'date')
		.optional()
) as z.ZodType<string | undefined>;

/** A draft's settings, as the campaign page's form sends them. */
export const campaignPlanSchema = z
	.object({
		nameZh: optionalText(CAMPAIGN_NAME_MAX),
		nameEn: optionalText(CAMPAIGN_NAME_MAX),
		weight: createCampaignSchema.shape.weight,
		opensOn: optionalDate,
		closesOn: optionalDate,
		channels: channelsSchema,
		targets: z.enum(CAMPAIGN_TARGETS, { error: 'campaign_targets' }),
		departments: z.preprocess(many, z.array(z.string().trim().min(1)))
	})
	.superRefine((v, ctx) => {
		if (v.opensOn && v.closesOn && v.opensOn > v.closesOn)
			problem(ctx, 'campaign_dates', {}, ['closesOn']);
	});
export type CampaignPlanInput = z.output<typeof campaignPlanSchema>;

/** The closing date of a running campaign (the one setting that may still move). */
export const closingDateSchema = z.object({ closesOn: optionalDate });

export const QUOTA_MAX = 1_000_000;

/**
 * Quotas as the page's form sends them: `quota_<department code>` and `quota_municipal` /
 * `quota_vertical`, each blank (no quota) or a whole number 1 … QUOTA_MAX.
 */
export const quotasSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
	const departments: Record<string, number> = {};
	const categories: Partial<Record<'municipal' | 'vertical', number>> = {};
	for (const [key, raw] of Object.entries(form)) {
		if (!key.startsWith('quota_') || typeof raw !== 'string' || raw.trim() === '') continue;
		const name = key.slice('quota_'.length);
		const n = Number(raw.trim());
		if (!/^\d+$/.test(raw.trim()) || n < 1 || n > QUOTA_MAX) {
			problem(ctx, 'campaign_quota', { max: QUOTA_MAX }, [key]);
			continue;
		}
		if (name === 'category_municipal') categories.municipal = n;
		else if (name === 'category_vertical') categories.vertical = n;
		else departments[name] = n;
	}
	return { departments, categories };
});
export type QuotasInput = z.output<typeof quotasSchema>;

/** Opening or closing a campaign: a step that cannot be undone, so the box must be ticked. */
export const campaignStepSchema = z.object({
	action: z.enum(['open', 'close']),
	confirm: z.literal('yes', { error: 'confirm_required' })
});
