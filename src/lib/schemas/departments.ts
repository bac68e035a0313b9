// Input schemas for departments, shared by the department pages, the import and the CLI.
// Problems are codes of `$lib/errors`, worded by `fieldErrors` in the reader's language.
import { z } from 'zod';
import { checkbox } from './form-values';
import { superiorAuthorityProblem, type DepartmentCategory } from '$lib/domain/departments';
import { isValidYear, MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { problem } from '$lib/errors';
import { DEPARTMENT_CATEGORY } from '$lib/enumerations';
import {
	choice,
	optionalText as optionalCell,
	requiredText as requiredCell,
	whenObject
} from './record-rows';
import { pageNumber, yearFilter } from './query';

export type { DepartmentCategory };
export { DEPARTMENT_CATEGORY };
export const DEPARTMENT_CATEGORIES = DEPARTMENT_CATEGORY.values;

/** Codes appear in URLs and files: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const DEPARTMENT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const CODE_MAX = 32;
export const NAME_MAX = 200;
export const REASON_MAX = 500;

/** Form values arrive as strings; an empty field is "not given". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const requiredText = (max: number) =>
	z.preprocess(
		blankToUndefined,
		z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long')
	);

const optionalText = (max: number) =>
	z.preprocess(blankToUndefined, z.string().trim().max(max, 'too_long').optional()) as z.ZodType<
		string | undefined
	>;

/** Codes that would collide with the pages under /departments/. */
export const RESERVED_CODES: readonly string[] = ['new', 'import'];

export function isValidDepartmentCode(code: string): boolean {
	return (
		code.length <= CODE_MAX &&
		DEPARTMENT_CODE_PATTERN.test(code) &&
		!RESERVED_CODES.includes(code.toLowerCase())
	);
}

export const codeSchema = z.preprocess(
	blankToUndefined,
	z
		.string({ error: 'required' })
		.trim()
		.min(1, 'required')
		.max(CODE_MAX, 'too_long')
		.refine(isValidDepartmentCode, 'department_code_format')
);

export const yearSchema = z.preprocess(
	(v) => {
		const b = blankToUndefined(v);
		return typeof b === 'string' ? Number(b.trim()) : b;
	},
	z
		.number({ error: (issue) => (issue.input === undefined ? 'required' : 'year') })
		.int('year')
		.min(MIN_YEAR, 'year')
		.max(MAX_YEAR, 'year')
);

export const categorySchema = z.enum(DEPARTMENT_CATEGORIES, { error: 'department_category' });

/** The rule of `superiorAuthorityProblem`, on the form's field. */
function superiorAuthorityRule(
	v: { category?: DepartmentCategory; superiorAuthority?: string },
	ctx: z.RefinementCtx
) {
	const code = superiorAuthorityProblem(v.category, v.superiorAuthority);
	if (code) problem(ctx, code, {}, ['superiorAuthority']);
}

export const createDepartmentSchema = z
	.object({
		code: codeSchema,
		nameZh: requiredText(NAME_MAX),
		nameEn: requiredText(NAME_MAX),
		category: categorySchema,
		fromYear: yearSchema,
		superiorAuthority: optionalText(NAME_MAX)
	})
	.superRefine(superiorAuthorityRule);
export type CreateDepartmentInput = z.infer<typeof createDepartmentSchema>;

export const updateDepartmentSchema = z.object({
	nameZh: requiredText(NAME_MAX),
	nameEn: requiredText(NAME_MAX),
	superiorAuthority: optionalText(NAME_MAX),
	active: checkbox
});
export type UpdateDepartmentInput = z.infer<typeof updateDepartmentSchema>;

export const setCategorySchema = z
	.object({
		fromYear: yearSchema,
		category: categorySchema,
		superiorAuthority: optionalText(NAME_MAX)
	})
	.superRefine((v, ctx) => {
		// Changing to municipal clears the superior authority; only vertical needs one, and the
		// department may already have it on record, which the verb checks.
		if (v.category === 'municipal') superiorAuthorityRule(v, ctx);
	});
export type SetCategoryInput = z.infer<typeof setCategorySchema>;

export const exemptionSchema = z.object({
	year: yearSchema,
	reason: optionalText(REASON_MAX)
});
export type ExemptionInput = z.infer<typeof exemptionSchema>;

export const removeExemptionSchema = z.object({
	year: yearSchema,
	confirm: z.literal('yes', { error: 'confirm_required' })
});

export const listQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	year: yearFilter,
	page: pageNumber
});

export const importFormSchema = z.object({
	year: yearSchema,
	/** The page's box "remove the example departments that nothing refers to". */
	removeExamples: z
		.literal('yes')
		.optional()
		.transform((v) => v === 'yes')
});

/** Deleting a department: a destructive step, so the form's confirmation box is required. */
export const removeDepartmentSchema = z.object({
	confirm: z.literal('yes', { error: 'confirm_required' })
});

// --- The departments file (spec/exchange.md) --------------------------------------------------

export const DEPARTMENT_COLUMNS = [
	'code',
	'name_zh',
	'name_en',
	'category',
	'superior_authority',
	'exempt_years'
] as const;

/** The template's Chinese headers; a file may use them instead of the codes. */
export const DEPARTMENT_HEADER_LABELS = {
	code: '部门代码',
	name_zh: '中文名称',
	name_en: '英文名称',
	category: '类别',
	superior_authority: '上级主管部门',
	exempt_years: '免评年度'
} as const satisfies Record<(typeof DEPARTMENT_COLUMNS)[number], string>;

/** One row as the downloadable template shows it. */
export const DEPARTMENT_EXAMPLE = {
	code: 'zrzyj',
	name_zh: '市自然资源局',
	name_en: 'Natural Resources Bureau',
	category: 'vertical',
	superior_authority: '省自然资源厅',
	exempt_years: '2024;2025'
} as const satisfies Record<(typeof DEPARTMENT_COLUMNS)[number], string>;

const departmentCode = requiredCell(CODE_MAX).refine(
	isValidDepartmentCode,
	'department_code_format'
);

/** `2004;2005`: `;` as the spec says, also `；`, commas and spaces as typed on a Chinese keyboard. */
const exemptYears = optionalCell(2000).transform((s, ctx) => {
	const years = new Set<number>();
	for (const token of s.split(/[;；,，\s]+/).filter(Boolean)) {
		const year = /^\d{4}$/.test(token) ? Number(token) : NaN;
		if (isValidYear(year)) years.add(year);
		else problem(ctx, 'year_value', { value: token });
	}
	return [...years].sort((a, b) => a - b);
});

/** One row of the departments file; the superior authority follows `superiorAuthorityProblem`. */
export const departmentRowSchema = z
	.object({
		code: departmentCode,
		name_zh: requiredCell(NAME_MAX),
		name_en: requiredCell(NAME_MAX),
		category: choice(DEPARTMENT_CATEGORY),
		superior_authority: optionalCell(NAME_MAX),
		exempt_years: exemptYears
	})
	.superRefine((v, ctx) => {
		// Only when both cells were readable (a bad cell is undefined here, and reported once,
		// on its own column).
		const category = DEPARTMENT_CATEGORIES.find((c) => c === v.category);
		if (!category || typeof v.superior_authority !== 'string') return;
		const code = superiorAuthorityProblem(category, v.superior_authority);
		if (code) problem(ctx, code, {}, ['superior_authority']);
	}, whenObject)
	.transform((v) => ({
		code: v.code,
		nameZh: v.name_zh,
		nameEn: v.name_en,
		category: v.category,
		superiorAuthority: v.category === 'vertical' ? v.superior_authority : null,
		exemptYears: v.exempt_years
	}));
export type DepartmentRow = z.output<typeof departmentRowSchema>;
