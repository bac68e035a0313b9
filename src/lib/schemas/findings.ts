// Input schemas for inspection findings: the record form, the supervisor's and the department's
// actions, and the list's filters. Problems are codes of `$lib/errors`.
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
import { problem, type ProblemCode } from '$lib/errors';
import { dateSchema } from './calendar';
import { pageNumber, yearFilter } from './query';

export const DESCRIPTION_MAX = 2000;
export const NOTE_MAX = 1000;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const sourceSchema = z.enum(FINDING_SOURCES, {
	error: (issue) =>
		issue.input === undefined || issue.input === '' ? 'required' : 'finding_source'
});

const POINTS_PROBLEM: Record<'number' | 'zero' | 'range', ProblemCode> = {
	number: 'finding_points_number',
	zero: 'finding_points_zero',
	range: 'finding_points_range'
};

export const pointsSchema = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.transform((v, ctx) => {
		const p = parsePoints(v);
		return p.ok ? p.value : problem(ctx, POINTS_PROBLEM[p.problem]);
	});

export const findingNoSchema = z
	.string()
	.trim()
	.max(FINDING_NO_MAX)
	.refine(isValidFindingNo, 'finding_no_format');

export const createFindingSchema = z.object({
	findingNo: z.preprocess(blankToUndefined, findingNoSchema.optional()),
	departmentCode: z.string({ error: 'required' }).trim().min(1, 'required').max(64),
	date: dateSchema,
	source: sourceSchema,
	points: pointsSchema,
	description: z.string({ error: 'required' }).trim().min(1, 'required').max(DESCRIPTION_MAX)
});
export type CreateFindingInput = z.infer<typeof createFindingSchema>;

/** Confirming needs no note (one is kept when given); withdrawing needs one. */
export const confirmSchema = z.object({
	note: z.preprocess(blankToUndefined, z.string().trim().max(NOTE_MAX).optional())
});
/** Withdrawing is final: it needs a note and the form's confirmation box. */
export const withdrawSchema = z.object({
	note: z.string({ error: 'required' }).trim().min(1, 'required').max(NOTE_MAX),
	confirm: z.literal('yes', { error: 'confirm_required' })
});
export const disputeSchema = z.object({
	reason: z.string({ error: 'required' }).trim().min(1, 'required').max(NOTE_MAX)
});

const optionalIn = <T extends string>(values: readonly T[]) =>
	z
		.string()
		.optional()
		.transform((v) => ((values as readonly string[]).includes(v ?? '') ? (v as T) : undefined));

export const listQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	year: yearFilter,
	department: z.string().trim().max(64).optional().catch(undefined),
	status: optionalIn<FindingStatus>(FINDING_STATUSES).catch(undefined),
	source: optionalIn<FindingSource>(FINDING_SOURCES).catch(undefined),
	page: pageNumber
});
export type FindingListQuery = z.infer<typeof listQuerySchema>;
