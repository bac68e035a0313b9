// Input schemas for accounts, shared by the users pages and the CLI. Problems are codes of
// `$lib/errors`, worded in the reader's language when shown.
import { z } from 'zod';
import { ACCOUNT_ROLES } from '$lib/domain/roles';
import { MIN_PASSWORD_LENGTH } from '$lib/domain/password-policy';
import { usccCell } from './enterprises';

export const usernameSchema = z
	.string()
	.trim()
	.min(3)
	.max(64)
	.regex(/^[a-zA-Z0-9._-]+$/, 'username_format');

export const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH).max(256);

export const roleSchema = z.enum(ACCOUNT_ROLES);

const displayNameSchema = z.string().trim().min(1).max(100);

/** An optional department code: an empty select option means none. */
const departmentCodeSchema = z
	.string()
	.trim()
	.max(64)
	.optional()
	.transform((v) => v || undefined);

/**
 * An enterprise account's enterprise, by its USCC (checked as in the enterprises file); an empty
 * field means none.
 */
const enterpriseUsccSchema = z.preprocess(
	(v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
	usccCell.optional()
);

export const createUserSchema = z.object({
	username: usernameSchema,
	displayName: displayNameSchema,
	role: roleSchema,
	departmentCode: departmentCodeSchema,
	enterpriseUscc: enterpriseUsccSchema,
	password: passwordSchema
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** What an admin may change on an account's edit form (disabling has its own step). */
export const updateUserSchema = z.object({
	displayName: displayNameSchema,
	role: roleSchema,
	departmentCode: departmentCodeSchema,
	enterpriseUscc: enterpriseUsccSchema
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

// A checkbox the user ticks to confirm a destructive step; works without JavaScript.
const confirmedSchema = z.literal('yes', { error: 'confirm_required' });

export const resetPasswordSchema = z.object({
	password: passwordSchema,
	confirm: confirmedSchema
});

export const setDisabledSchema = z.object({
	disabled: z.enum(['true', 'false']).transform((v) => v === 'true'),
	confirm: confirmedSchema
});

/** A user's own password change: the current one, and the new one twice. */
export const changePasswordSchema = z
	.object({
		current: z.string().min(1).max(256),
		password: passwordSchema,
		repeat: z.string().max(256)
	})
	.refine((v) => v.password === v.repeat, { path: ['repeat'], message: 'password_mismatch' });
