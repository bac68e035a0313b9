// Sessions, API tokens, sign-in throttling and the staff second factor: how a request is tied to
// an account or a token.
import { bigint, customType, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { department } from './departments';
import { accountRole, user } from './users';

/** Raw bytes; both drivers hand `bytea` back as a Uint8Array/Buffer. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea'
});

export const session = pgTable(
	'session',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		secretHash: bytea('secret_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull(),
		/** When the second step (TOTP or recovery code) was passed; null until then. */
		twoFactorVerifiedAt: timestamp('two_factor_verified_at', { withTimezone: true }),
		/** Sudo mode: a re-authentication on this session, valid until this instant. */
		sudoUntil: timestamp('sudo_until', { withTimezone: true })
	},
	(t) => [index('session_user_idx').on(t.userId)]
);
export type Session = typeof session.$inferSelect;

export const apiToken = pgTable('api_token', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	role: accountRole('role').notNull(),
	departmentId: integer('department_id').references(() => department.id),
	secretHash: bytea('secret_hash').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
	revokedAt: timestamp('revoked_at', { withTimezone: true })
});
export type ApiToken = typeof apiToken.$inferSelect;

/** Failed sign-ins per key (`u:<username>` or `a:<address>`), read before any hashing. */
export const signInThrottle = pgTable('sign_in_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull().default(0),
	lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
	blockedUntil: timestamp('blocked_until', { withTimezone: true })
});

/**
 * A staff account's TOTP (RFC 6238) key, encrypted with a key the database does not hold
 * (auth/totp.ts), and the last time step accepted, so that a code is never accepted twice.
 */
export const userTotp = pgTable('user_totp', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => user.id, { onDelete: 'cascade' }),
	keyEncrypted: bytea('key_encrypted').notNull(),
	lastStep: bigint('last_step', { mode: 'number' }),
	enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull()
});
export type UserTotp = typeof userTotp.$inferSelect;

/** Single-use recovery codes of a second factor: only SHA-256 of each code is stored. */
export const recoveryCode = pgTable(
	'recovery_code',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		codeHash: bytea('code_hash').notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('recovery_code_user_idx').on(t.userId)]
);
