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
import { FINDING_SOURCE, IMPORTED_FINDING_STATUS } from '$lib/enumerations';
import { dateSchema } from './calendar';
import { CODE_MAX } from './departments';
import { choice, dateCell, requiredText } from './record-rows';
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

/** Points as `parsePoints` reads them, a problem code when it does not. */
function points(v: string, ctx: z.core.$RefinementCtx<string>) {
	const p = parsePoints(v);
	return p.ok ? p.value : problem(ctx, POINTS_PROBLEM[p.problem]);
}

export const pointsSchema = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.transform(points);

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

// --- The findings file (spec/exchange.md), keyed by finding_no -------------------------------

export { FINDING_SOURCE, IMPORTED_FINDING_STATUS };

export const FINDING_COLUMNS = [
	'finding_no',
	'department_code',
	'date',
	'source',
	'points',
	'status',
	'description'
] as const;

/** The template's Chinese headers; a file may use them instead of the codes. */
export const FINDING_HEADER_LABELS = {
	finding_no: '编号',
	department_code: '部门代码',
	date: '日期',
	source: '来源',
	points: '分值',
	status: '状态',
	description: '描述'
} as const satisfies Record<(typeof FINDING_COLUMNS)[number], string>;

/** One row as the downloadable template shows it. */
export const FINDING_EXAMPLE = {
	finding_no: 'F2026-000001',
	department_code: 'zrzyj',
	date: '2026-03-12',
	source: 'special_inspection',
	points: '-2',
	status: 'confirmed',
	description: '窗口工作人员上班时间玩手机'
} as const satisfies Record<(typeof FINDING_COLUMNS)[number], string>;

export const findingRowSchema = z
	.object({
		finding_no: requiredText(FINDING_NO_MAX).refine(isValidFindingNo, 'finding_no_format'),
		department_code: requiredText(CODE_MAX),
		date: dateCell,
		source: choice(FINDING_SOURCE),
		points: requiredText(20).transform(points),
		status: choice(IMPORTED_FINDING_STATUS),
		description: requiredText(DESCRIPTION_MAX, { multiline: true })
	})
	.transform((v) => ({
		findingNo: v.finding_no,
		departmentCode: v.department_code,
		date: v.date,
		source: v.source,
		points: v.points,
		status: v.status,
		description: v.description
	}));
export type FindingRow = z.output<typeof findingRowSchema>;
