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
