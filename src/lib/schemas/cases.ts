// The one validator of a service-case row (办件), for the cases file, `POST /api/v1/cases` and
// `import cases`: the columns of spec/exchange.md, date-times local to Asia/Shanghai.
import { z } from 'zod';
import { CASE_STATUSES } from '$lib/domain/working-days';
import { CODE_MAX } from '$lib/schemas/departments';
import {
	keyText,
	optionalDateTime,
	requiredDateTime,
	requiredText,
	whenObject,
	wholeNumber
} from './record-rows';
import { pageNumber, yearFilter } from './query';

export const CASE_COLUMNS = [
	'case_no',
	'department_code',
	'item_code',
	'item_name',
	'accepted_at',
	'completed_at',
	'promised_working_days'
] as const;

/** Chinese headers of the template; a file may use them instead of the codes. */
export const CASE_HEADER_LABELS = {
	case_no: '办件编号',
	department_code: '部门代码',
	item_code: '事项编码',
	item_name: '事项名称',
	accepted_at: '受理时间',
	completed_at: '办结时间',
	promised_working_days: '承诺时限（工作日）'
} as const satisfies Record<(typeof CASE_COLUMNS)[number], string>;

/** One row as the downloadable template shows it. */
export const CASE_EXAMPLE = {
	case_no: 'BJ2026-000001',
	department_code: 'zrzyj',
	item_code: 'XK-001',
	item_name: '不动产登记（首次）',
	accepted_at: '2026-03-02 09:15',
	completed_at: '2026-03-05 16:30',
	promised_working_days: '5'
} as const satisfies Record<(typeof CASE_COLUMNS)[number], string>;

export const ITEM_CODE_MAX = 64;
export const ITEM_NAME_MAX = 200;
/** Far beyond any promise in the handbook of approval items; fits the smallint column. */
export const PROMISE_MAX = 999;

export const caseRowSchema = z
	.object({
		case_no: keyText,
		department_code: requiredText(CODE_MAX),
		item_code: requiredText(ITEM_CODE_MAX),
		item_name: requiredText(ITEM_NAME_MAX),
		accepted_at: requiredDateTime,
		completed_at: optionalDateTime,
		promised_working_days: wholeNumber(0, PROMISE_MAX)
	})
	.superRefine((v, ctx) => {
		if (
			v.accepted_at instanceof Date &&
			v.completed_at instanceof Date &&
			v.completed_at < v.accepted_at
		)
			ctx.addIssue({
				code: 'custom',
				path: ['completed_at'],
				message: 'not_before',
				params: { other: 'accepted_at' }
			});
	}, whenObject)
	.transform((v) => ({
		caseNo: v.case_no,
		departmentCode: v.department_code,
		itemCode: v.item_code,
		itemName: v.item_name,
		acceptedAt: v.accepted_at,
		completedAt: v.completed_at,
		promisedWorkingDays: v.promised_working_days
	}));

export type CaseRow = z.output<typeof caseRowSchema>;

/** Filters of the cases page; the statuses are the year computation's. */
export const caseListQuerySchema = z.object({
	department: z.string().trim().max(CODE_MAX).catch(''),
	year: yearFilter,
	status: z.enum(CASE_STATUSES).optional().catch(undefined),
	q: z.string().trim().max(100).catch(''),
	/** `differs`: cases promising other days than their item in the handbook. */
	handbook: z.literal('differs').optional().catch(undefined),
	page: pageNumber
});
