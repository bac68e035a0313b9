// Sessions, API tokens and sign-in throttling: how a request is tied to an account or a token.
import { customType, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
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
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull()
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
