// Input schemas for inspection findings: the record form, the supervisor's and the department's
// actions, and the list's filters. Messages are in the user's language when a schema runs.
import { z } from 'zod';
import {
	FINDING_NO_MAX,
	FINDING_SOURCES,
	FINDING_STATUSES,
	isValidFindingNo,
	parsePoints,
	type FindingSource,
	type FindingStatus
} from '$lib/domain/findings';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { dateSchema } from './calendar';

export const DESCRIPTION_MAX = 2000;
export const NOTE_MAX = 1000;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const oneOf = <T extends string>(values: readonly T[], message: () => string) =>
	z
		.string({ error: () => m.common_required() })
		.refine((v) => (values as readonly string[]).includes(v), { error: message })
		.transform((v) => v as T);

export const sourceSchema = oneOf<FindingSource>(FINDING_SOURCES, () => m.findings_error_source());

export const pointsSchema = z
	.string({ error: () => m.common_required() })
	.trim()
	.min(1)
	.transform((v, ctx) => {
		const p = parsePoints(v);
		if (p.ok) return p.value;
		ctx.addIssue({
			code: 'custom',
			message:
				p.problem === 'zero'
					? m.findings_error_points_zero()
					: p.problem === 'range'
						? m.findings_error_points_range()
						: m.findings_error_points_number()
		});
		return z.NEVER;
	});

export const findingNoSchema = z
	.string()
	.trim()
	.max(FINDING_NO_MAX)
	.refine(isValidFindingNo, { error: () => m.findings_error_no_format() });

export const createFindingSchema = z.object({
	findingNo: z.preprocess(blankToUndefined, findingNoSchema.optional()),
	departmentCode: z
		.string({ error: () => m.common_required() })
		.trim()
		.min(1)
		.max(64),
	date: dateSchema,
	source: sourceSchema,
	points: pointsSchema,
	description: z
		.string({ error: () => m.common_required() })
		.trim()
		.min(1)
		.max(DESCRIPTION_MAX)
});
export type CreateFindingInput = z.infer<typeof createFindingSchema>;

/** Confirming needs no note (one is kept when given); withdrawing needs one. */
export const confirmSchema = z.object({
	note: z.preprocess(blankToUndefined, z.string().trim().max(NOTE_MAX).optional())
});
export const withdrawSchema = z.object({
	note: z
		.string({ error: () => m.common_required() })
		.trim()
		.min(1)
		.max(NOTE_MAX)
});
export const disputeSchema = z.object({
	reason: z
		.string({ error: () => m.common_required() })
		.trim()
		.min(1)
		.max(NOTE_MAX)
});

const optionalIn = <T extends string>(values: readonly T[]) =>
	z
		.string()
		.optional()
		.transform((v) => ((values as readonly string[]).includes(v ?? '') ? (v as T) : undefined));

export const listQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	year: z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR).optional().catch(undefined),
	department: z.string().trim().max(64).optional().catch(undefined),
	status: optionalIn<FindingStatus>(FINDING_STATUSES).catch(undefined),
	source: optionalIn<FindingSource>(FINDING_SOURCES).catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).catch(1)
});
export type FindingListQuery = z.infer<typeof listQuerySchema>;
