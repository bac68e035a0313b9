// Input schemas for departments, shared by the department pages, the import and the CLI.
// Problems are codes of `$lib/errors`, worded by `fieldErrors` in the reader's language.
import { z } from 'zod';
import { superiorAuthorityProblem, type DepartmentCategory } from '$lib/domain/departments';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { problem } from '$lib/errors';
import { pageNumber, yearFilter } from './query';

export type { DepartmentCategory };
export const DEPARTMENT_CATEGORIES = [
	'municipal',
	'vertical'
] as const satisfies readonly DepartmentCategory[];

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

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

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

export const importFormSchema = z.object({ year: yearSchema });
