// Input of an API token, shared by the tokens page and `token create`. Messages are problem codes
// (`tokenProblemMessage` translates them): the CLI speaks its own --lang, the page the user's.
import { z } from 'zod';
import { STAFF_ROLES, type AccountRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';

/** Tokens are for other systems acting as staff; an enterprise speaks for itself on the site. */
export const TOKEN_ROLES = STAFF_ROLES as readonly ['admin', 'supervisor', 'leader', 'liaison'];
export const TOKEN_NAME_MAX = 100;

export type TokenProblem = 'name' | 'role' | 'department_required' | 'department_forbidden';

export const createTokenSchema = z
	.object({
		name: z.string({ error: 'name' }).trim().min(1, 'name').max(TOKEN_NAME_MAX, 'name'),
		role: z.enum(TOKEN_ROLES as unknown as [AccountRole, ...AccountRole[]], { error: 'role' }),
		departmentCode: z
			.string()
			.trim()
			.max(64)
			.optional()
			.transform((v) => v || undefined)
	})
	.superRefine((v, ctx) => {
		// A liaison's token speaks for one department, like a liaison's account.
		if (v.role === 'liaison' && !v.departmentCode)
			ctx.addIssue({ code: 'custom', path: ['departmentCode'], message: 'department_required' });
		if (v.role && v.role !== 'liaison' && v.departmentCode)
			ctx.addIssue({ code: 'custom', path: ['departmentCode'], message: 'department_forbidden' });
	});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({
	id: z.string().trim().min(1).max(64),
	confirm: z.literal('yes', { error: 'confirm' })
});

export function tokenProblemMessage(problem: string, locale?: 'zh-CN' | 'en'): string {
	const o = locale ? { locale } : undefined;
	switch (problem) {
		case 'name':
			return m.tokens_error_name({ max: TOKEN_NAME_MAX }, o);
		case 'role':
			return m.tokens_error_role({ roles: TOKEN_ROLES.join(', ') }, o);
		case 'department_required':
			return m.tokens_error_department_required({}, o);
		case 'department_forbidden':
			return m.tokens_error_department_forbidden({}, o);
		case 'confirm':
			return m.form_confirm_required({}, o);
		default:
			return m.form_invalid({}, o);
	}
}

/** The first problem of each field, translated. */
export function tokenFieldErrors(error: z.ZodError, locale?: 'zh-CN' | 'en') {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? '_form');
		out[key] ??= tokenProblemMessage(issue.message, locale);
	}
	return out;
}
