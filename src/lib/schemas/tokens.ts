// Input of an API token, shared by the tokens page and `token create`. Problems are codes of
// `$lib/errors`: the CLI words them in its own --lang, the page in the user's.
import { z } from 'zod';
import { STAFF_ROLES, type AccountRole } from '$lib/domain/roles';
import { problem } from '$lib/errors';

/** Tokens are for other systems acting as staff; an enterprise speaks for itself on the site. */
export const TOKEN_ROLES = STAFF_ROLES as readonly ['admin', 'supervisor', 'leader', 'liaison'];
export const TOKEN_NAME_MAX = 100;

export const createTokenSchema = z
	.object({
		name: z.string({ error: 'required' }).trim().min(1, 'required').max(TOKEN_NAME_MAX),
		role: z.enum(TOKEN_ROLES as unknown as [AccountRole, ...AccountRole[]]),
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
			problem(ctx, 'token_department_required', {}, ['departmentCode']);
		if (v.role && v.role !== 'liaison' && v.departmentCode)
			problem(ctx, 'token_department_forbidden', {}, ['departmentCode']);
	});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({
	id: z.string().trim().min(1).max(64),
	confirm: z.literal('yes', { error: 'confirm_required' })
});
