// Input schemas for departments, shared by the department pages, the import and the CLI.
// Issue messages are problem codes, translated by `fieldErrors` into the user's language.
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';

export const DEPARTMENT_CATEGORIES = ['municipal', 'vertical'] as const;
export type DepartmentCategory = (typeof DEPARTMENT_CATEGORIES)[number];

/** Codes appear in URLs and files: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const DEPARTMENT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const CODE_MAX = 32;
export const NAME_MAX = 200;
export const REASON_MAX = 500;

export type FieldProblem =
	| 'required'
	| 'too_long'
	| 'code_format'
	| 'category'
	| 'year'
	| 'superior_required'
	| 'superior_forbidden';

/** Form values arrive as strings; an empty field is "not given". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const requiredText = (max: number) =>
	z.preprocess(
		blankToUndefined,
		z
			.string({ error: 'required' })
			.trim()
			.min(1, 'required')
			.max(max, 'too_long' satisfies FieldProblem)
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
		.refine(isValidDepartmentCode, 'code_format' satisfies FieldProblem)
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

export const categorySchema = z.enum(DEPARTMENT_CATEGORIES, { error: 'category' });

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

/** Vertical departments answer to a superior authority; municipal ones have none. */
function superiorAuthorityRule(
	v: { category?: DepartmentCategory; superiorAuthority?: string },
	ctx: z.RefinementCtx
) {
	if (v.category === 'vertical' && !v.superiorAuthority)
		ctx.addIssue({ code: 'custom', path: ['superiorAuthority'], message: 'superior_required' });
	if (v.category === 'municipal' && v.superiorAuthority)
		ctx.addIssue({ code: 'custom', path: ['superiorAuthority'], message: 'superior_forbidden' });
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
		// department may already have it, which the domain checks.
		if (v.category === 'municipal' && v.superiorAuthority)
			ctx.addIssue({ code: 'custom', path: ['superiorAuthority'], message: 'superior_forbidden' });
	});
export type SetCategoryInput = z.infer<typeof setCategorySchema>;

export const exemptionSchema = z.object({
	year: yearSchema,
	reason: optionalText(REASON_MAX)
});
export type ExemptionInput = z.infer<typeof exemptionSchema>;

export const removeExemptionSchema = z.object({ year: yearSchema });

export const listQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	year: yearSchema.optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).catch(1)
});

export const importFormSchema = z.object({ year: yearSchema });

type Locale = 'zh-CN' | 'en';

/** A field problem in the user's (or the given) language. */
export function fieldMessage(problem: string, locale?: Locale): string {
	const o = locale ? { locale } : undefined;
	switch (problem as FieldProblem) {
		case 'required':
			return m.common_required({}, o);
		case 'too_long':
			return m.departments_error_too_long({}, o);
		case 'code_format':
			return m.departments_error_code_format({}, o);
		case 'category':
			return m.departments_error_category({}, o);
		case 'year':
			return m.departments_error_year({ min: MIN_YEAR, max: MAX_YEAR }, o);
		case 'superior_required':
			return m.departments_error_superior_required({}, o);
		case 'superior_forbidden':
			return m.departments_error_superior_forbidden({}, o);
		default:
			return m.departments_error_invalid({}, o);
	}
}

/** The first problem of each field, translated: what a form shows next to its inputs. */
export function departmentFieldErrors(error: z.ZodError, locale?: Locale): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? '');
		out[key] ??= fieldMessage(issue.message, locale);
	}
	return out;
}
