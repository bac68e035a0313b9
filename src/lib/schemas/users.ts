// Input schemas for accounts, shared by the users pages and the CLI.
import { z } from 'zod';
import { ACCOUNT_ROLES } from '$lib/domain/roles';
import { MIN_PASSWORD_LENGTH } from '$lib/domain/password-policy';

export const usernameSchema = z
	.string()
	.trim()
	.min(3)
	.max(64)
	.regex(/^[a-zA-Z0-9._-]+$/);

export const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH).max(256);

export const roleSchema = z.enum(ACCOUNT_ROLES);

export const createUserSchema = z.object({
	username: usernameSchema,
	displayName: z.string().trim().min(1).max(100),
	role: roleSchema,
	departmentCode: z
		.string()
		.trim()
		.max(64)
		.optional()
		.transform((v) => v || undefined),
	password: passwordSchema
});
export type CreateUserInput = z.infer<typeof createUserSchema>;
