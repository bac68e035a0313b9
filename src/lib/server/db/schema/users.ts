// Accounts: who signs in, with which role and, for a liaison, which department.
import { boolean, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { department } from './departments';

// `public` is a role of spec/roles.md but never an account: it is whoever is not signed in.
export const accountRole = pgEnum('account_role', [
	'admin',
	'supervisor',
	'leader',
	'liaison',
	'enterprise'
]);

export const user = pgTable(
	'user',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		username: text('username').notNull().unique(),
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: accountRole('role').notNull(),
		departmentId: integer('department_id').references(() => department.id),
		disabled: boolean('disabled').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('user_department_idx').on(t.departmentId)]
);
export type User = typeof user.$inferSelect;
