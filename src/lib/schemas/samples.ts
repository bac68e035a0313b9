// Input schemas for a campaign's sample: the draw form and `sample draw` on the command line, the
// assignment form, the units list's query string, and a row of the call-list file.
import { z } from 'zod';
import { MAX_SEED } from '$lib/domain/sampling';
import { problem } from '$lib/errors';
import { optionalText, requiredText } from './record-rows';
import { PHONE } from './enterprises';
import { pageNumber } from './query';

export const STRATIFICATIONS = ['none', 'township', 'industry'] as const;
export type Stratification = (typeof STRATIFICATIONS)[number];

/** A sample of more units than this is not a phone or field campaign any more. */
export const SAMPLE_SIZE_MAX = 100_000;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A whole number as typed in a form or on the command line (digits only), within bounds. */
const wholeNumberField = (min: number, max: number, code: 'sample_size' | 'sample_seed') =>
	z.preprocess(
		blankToUndefined,
		z.union([z.string(), z.number()], { error: 'required' }).transform((raw, ctx) => {
			const t = String(raw).trim();
			const n = /^\d{1,16}$/.test(t) ? Number(t) : NaN;
			if (!Number.isSafeInteger(n) || n < min || n > max) return problem(ctx, code, { min, max });
			return n;
		})
	);

export const drawSampleSchema = z.object({
	size: wholeNumberField(1, SAMPLE_SIZE_MAX, 'sample_size'),
	seed: wholeNumberField(0, MAX_SEED, 'sample_seed'),
	stratify: z.preprocess(
		(v) => blankToUndefined(v) ?? 'none',
		z.enum(STRATIFICATIONS, { error: 'sample_stratify' })
	)
});
export type DrawSampleInput = z.output<typeof drawSampleSchema>;

/** Assign the next `count` unassigned units (in draw order) to a supervisor. */
export const assignUnitsSchema = z.object({
	count: wholeNumberField(1, SAMPLE_SIZE_MAX, 'sample_size'),
	supervisor: z.coerce.number({ error: 'required' }).int().min(1)
});

/** Hand-picked units (ticked in the list), to take back from whoever has them. */
export const pickedUnitsSchema = z.object({
	unit: z.preprocess(
		(v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
		z.array(z.coerce.number().int().min(1)).min(1, 'sample_pick_units')
	)
});

/** Hand-picked units for a supervisor. */
export const assignPickedSchema = pickedUnitsSchema.extend({
	supervisor: assignUnitsSchema.shape.supervisor
});

/** The units list's query string (`?page=2&assigned=7`). */
export const sampleUnitsQuerySchema = z.object({
	page: pageNumber,
	assigned: z.coerce.number().int().min(1).optional().catch(undefined),
	/** `phones=1`: the page's phone numbers unmasked (for those who may see them; sudo mode). */
	phones: z
		.literal('1')
		.optional()
		.catch(undefined)
		.transform((v) => v === '1')
});

// --- The call-list file (docs/formats.md), keyed by phone ---------------------------------------

export const CALL_LIST_COLUMNS = ['phone', 'name', 'township', 'industry'] as const;
export const CALL_LIST_OPTIONAL_COLUMNS = ['industry'] as const;

export const CALL_LIST_HEADER_LABELS = {
	phone: '电话',
	name: '名称',
	township: '乡镇',
	industry: '行业'
} as const satisfies Record<(typeof CALL_LIST_COLUMNS)[number], string>;

export const CALL_LIST_EXAMPLE = {
	phone: '13800000000',
	name: '永安市星辰机械有限公司',
	township: '燕西街道',
	industry: '制造业'
} as const satisfies Record<(typeof CALL_LIST_COLUMNS)[number], string>;

export const callListRowSchema = z
	.object({
		phone: requiredText(30).transform((v, ctx) =>
			PHONE.test(v) ? v : problem(ctx, 'phone_format', { value: v })
		),
		name: requiredText(200),
		township: optionalText(100),
		industry: optionalText(100)
	})
	.transform((v) => ({
		phone: v.phone,
		name: v.name,
		township: v.township,
		industry: v.industry
	}));
export type CallListRow = z.output<typeof callListRowSchema>;
