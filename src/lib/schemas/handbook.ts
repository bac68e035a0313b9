// The handbook file (docs/formats.md, docs/handbook.md): one row per approval or service item of
// one year's edition, for the import page and `import handbook --year Y`; and the queries of the
// handbook's pages. Problems are codes of `$lib/errors`, worded in the reader's language.
import { z } from 'zod';
import {
	PREREQUISITE_MAX,
	PREREQUISITES_MAX_COUNT,
	splitPrerequisites
} from '$lib/domain/handbook';
import { problem } from '$lib/errors';
import { HANDBOOK_ITEM_KIND } from '$lib/enumerations';
import { ITEM_CODE_MAX, ITEM_NAME_MAX, PROMISE_MAX } from './cases';
import { CODE_MAX, yearSchema } from './departments';
import { pageNumber, yearFilter } from './query';
import {
	choice,
	optionalText,
	optionalWholeNumber,
	requiredText,
	whenObject,
	wholeNumber
} from './record-rows';

export { HANDBOOK_ITEM_KIND };

export const HANDBOOK_COLUMNS = [
	'item_code',
	'department_code',
	'item_name',
	'kind',
	'promised_working_days',
	'statutory_working_days',
	'prerequisites',
	'basis'
] as const;

/** Chinese headers of the template; a file may use them instead of the codes. */
export const HANDBOOK_HEADER_LABELS = {
	item_code: '事项编码',
	department_code: '部门代码',
	item_name: '事项名称',
	kind: '事项类型',
	promised_working_days: '承诺时限（工作日）',
	statutory_working_days: '法定时限（工作日）',
	prerequisites: '前置条件',
	basis: '设定依据'
} as const satisfies Record<(typeof HANDBOOK_COLUMNS)[number], string>;

/** One row as the downloadable template shows it (the item a service case of the cases template names). */
export const HANDBOOK_EXAMPLE = {
	item_code: 'XK-001',
	department_code: 'zrzyj',
	item_name: '不动产登记（首次）',
	kind: '审批',
	promised_working_days: '5',
	statutory_working_days: '30',
	prerequisites: '不动产权属来源证明；申请人身份证明',
	basis: '《不动产登记暂行条例》第二十条'
} as const satisfies Record<(typeof HANDBOOK_COLUMNS)[number], string>;

/** The whole cell of prerequisites, before it is split. */
const PREREQUISITES_CELL_MAX = 20_000;
export const BASIS_MAX = 1_000;

const prerequisitesCell = optionalText(PREREQUISITES_CELL_MAX, { multiline: true }).transform(
	(s, ctx) => {
		const list = splitPrerequisites(s);
		if (list.length > PREREQUISITES_MAX_COUNT)
			return problem(ctx, 'handbook_prerequisites_count', {
				count: list.length,
				max: PREREQUISITES_MAX_COUNT
			});
		const long = list.findIndex((p) => p.length > PREREQUISITE_MAX);
		if (long !== -1)
			return problem(ctx, 'handbook_prerequisite_long', {
				position: long + 1,
				max: PREREQUISITE_MAX
			});
		return list;
	}
);

export const handbookRowSchema = z
	.object({
		item_code: requiredText(ITEM_CODE_MAX),
		department_code: requiredText(CODE_MAX),
		item_name: requiredText(ITEM_NAME_MAX),
		kind: choice(HANDBOOK_ITEM_KIND),
		promised_working_days: wholeNumber(0, PROMISE_MAX),
		statutory_working_days: optionalWholeNumber(0, PROMISE_MAX),
		prerequisites: prerequisitesCell,
		basis: optionalText(BASIS_MAX, { multiline: true })
	})
	.superRefine((v, ctx) => {
		// A promise is the statutory limit shortened (承诺时限 ≤ 法定时限), never lengthened.
		const { promised_working_days: promised, statutory_working_days: statutory } = v;
		if (typeof promised === 'number' && typeof statutory === 'number' && promised > statutory)
			ctx.addIssue({
				code: 'custom',
				path: ['promised_working_days'],
				message: 'handbook_promise_over_statutory',
				params: { statutory }
			});
	}, whenObject)
	.transform((v) => ({
		itemCode: v.item_code,
		departmentCode: v.department_code,
		name: v.item_name,
		kind: v.kind,
		promisedWorkingDays: v.promised_working_days,
		statutoryWorkingDays: v.statutory_working_days,
		prerequisites: v.prerequisites,
		basis: v.basis
	}));

export type HandbookRow = z.output<typeof handbookRowSchema>;

/** The import form's fields besides the file: the edition's year. */
export const handbookImportFormSchema = z.object({ year: yearSchema });

/** Filters of an edition's catalogue page. */
export const handbookItemsQuerySchema = z.object({
	department: z.string().trim().max(CODE_MAX).catch(''),
	kind: z.enum(HANDBOOK_ITEM_KIND.values).optional().catch(undefined),
	/** `instant`: instant items only. */
	instant: z.literal('yes').optional().catch(undefined),
	q: z.string().trim().max(100).catch(''),
	page: pageNumber
});

/** The reform statistics' two editions (`?from=2024&to=2025`); missing ones are chosen. */
export const reformQuerySchema = z.object({ from: yearFilter, to: yearFilter });
