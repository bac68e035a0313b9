// The one validator of a complaint row (效能投诉), for the complaints file,
// `POST /api/v1/complaints` and `import complaints`; and the statistics query.
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { CODE_MAX } from '$lib/schemas/departments';
import { VERDICT } from '$lib/enumerations';
import {
	booleanCell,
	keyText,
	optionalChoice,
	optionalDateTime,
	optionalText,
	requiredDateTime,
	requiredText,
	whenObject
} from './record-rows';
import { pageNumber, yearFilter } from './query';

export const COMPLAINT_COLUMNS = [
	'complaint_no',
	'department_code',
	'received_at',
	'channel',
	'category',
	'verdict',
	'concluded_at',
	'response_late',
	'summary'
] as const;

/** Chinese headers of the template; a file may use them instead of the codes. */
export const COMPLAINT_HEADER_LABELS = {
	complaint_no: '投诉编号',
	department_code: '部门代码',
	received_at: '受理时间',
	channel: '渠道',
	category: '类别',
	verdict: '结论',
	concluded_at: '办结时间',
	response_late: '答复逾期',
	summary: '摘要'
} as const satisfies Record<(typeof COMPLAINT_COLUMNS)[number], string>;

/** One row as the downloadable template shows it. */
export const COMPLAINT_EXAMPLE = {
	complaint_no: 'TS2026-0001',
	department_code: 'zrzyj',
	received_at: '2026-03-02 09:15',
	channel: '12345 热线',
	category: '办事效率',
	verdict: 'partial',
	concluded_at: '2026-03-10 16:00',
	response_late: 'false',
	summary: '办理不动产登记多次往返'
} as const satisfies Record<(typeof COMPLAINT_COLUMNS)[number], string>;

export { VERDICT };
export const VERDICTS = VERDICT.values;
export type Verdict = (typeof VERDICTS)[number];

export const CHANNEL_MAX = 64;
export const CATEGORY_MAX = 64;
export const SUMMARY_MAX = 2000;

export const complaintRowSchema = z
	.object({
		complaint_no: keyText,
		department_code: requiredText(CODE_MAX),
		received_at: requiredDateTime,
		channel: requiredText(CHANNEL_MAX),
		category: requiredText(CATEGORY_MAX),
		verdict: optionalChoice(VERDICT),
		concluded_at: optionalDateTime,
		response_late: booleanCell,
		summary: optionalText(SUMMARY_MAX, { multiline: true })
	})
	.superRefine((v, ctx) => {
		const issue = (message: string, other: string) =>
			ctx.addIssue({ code: 'custom', path: ['concluded_at'], message, params: { other } });
		// Only when the verdict itself was readable: a bad verdict is reported once, on its column.
		const verdictOk = v.verdict === null || (VERDICTS as readonly unknown[]).includes(v.verdict);
		if (verdictOk && v.verdict && v.concluded_at === null) issue('required_with', 'verdict');
		else if (verdictOk && v.verdict === null && v.concluded_at instanceof Date)
			issue('forbidden_without', 'verdict');
		else if (
			v.received_at instanceof Date &&
			v.concluded_at instanceof Date &&
			v.concluded_at < v.received_at
		)
			issue('not_before', 'received_at');
	}, whenObject)
	.transform((v) => ({
		complaintNo: v.complaint_no,
		departmentCode: v.department_code,
		receivedAt: v.received_at,
		channel: v.channel,
		category: v.category,
		verdict: v.verdict,
		concludedAt: v.concluded_at,
		responseLate: v.response_late,
		summary: v.summary
	}));

export type ComplaintRow = z.output<typeof complaintRowSchema>;

/** `?year=Y[&through=MM-DD]` of the statistics endpoint. */
export const statsQuerySchema = z.object({
	year: z
		.string({ error: 'required' })
		.regex(/^\d{4}$/, 'year')
		.transform(Number)
		.refine((y) => y > MIN_YEAR && y <= MAX_YEAR, 'year'),
	through: z
		.string()
		.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'through')
		.optional()
});

export const COMPLAINT_STATUSES = ['open', 'concluded'] as const;

export const complaintListQuerySchema = z.object({
	department: z.string().trim().max(CODE_MAX).catch(''),
	year: yearFilter,
	status: z.enum(COMPLAINT_STATUSES).optional().catch(undefined),
	q: z.string().trim().max(100).catch(''),
	page: pageNumber
});
