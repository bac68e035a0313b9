// Accounts: who signs in, with which role and, for a liaison, which department.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { department } from './departments';
import { enterprise } from './enterprises';

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
		/** An enterprise account's enterprise record (the enterprise role only). */
		enterpriseId: integer('enterprise_id').references(() => enterprise.id),
		disabled: boolean('disabled').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('user_department_idx').on(t.departmentId),
		unique('user_enterprise').on(t.enterpriseId),
		check('user_enterprise_role', sql`${t.enterpriseId} is null or ${t.role} = 'enterprise'`)
	]
);
export type User = typeof user.$inferSelect;
