// Rules of a department's data that hold wherever a department is written: the forms, the
// import and the verbs all ask these.
import type { ProblemCode } from '$lib/errors';

export type DepartmentCategory = 'municipal' | 'vertical';

/**
 * A vertically-managed department answers to a superior authority (上级主管部门) and must name
 * it; a municipal one has none. The problem with a category and authority, or null.
 */
export function superiorAuthorityProblem(
	category: DepartmentCategory | undefined,
	superiorAuthority: string | null | undefined
): Extract<ProblemCode, 'superior_authority_required' | 'superior_authority_forbidden'> | null {
	const named = Boolean(superiorAuthority?.trim());
	if (category === 'vertical' && !named) return 'superior_authority_required';
	if (category === 'municipal' && named) return 'superior_authority_forbidden';
	return null;
}

/** A department's category from `fromYear` on, until a later row says otherwise. */
export interface CategoryRow {
	fromYear: number;
	category: DepartmentCategory;
}

/**
 * The category history after the category is set from `fromYear` on: that year's row replaced,
 * later rows kept (a later change still happens), and every row that repeats the category in
 * force before it dropped — it would say nothing new. So an import for a year before the first
 * row (the examples' current year) leaves one row, not two saying the same thing. Oldest first.
 */
export function withCategoryFrom(
	history: readonly CategoryRow[],
	fromYear: number,
	category: DepartmentCategory
): CategoryRow[] {
	const rows = [...history.filter((c) => c.fromYear !== fromYear), { fromYear, category }].sort(
		(a, b) => a.fromYear - b.fromYear
	);
	return rows.filter((c, i) => i === 0 || rows[i - 1]!.category !== c.category);
}
