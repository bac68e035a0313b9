// Enterprises: the sample that enterprise visits draw from.
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Enterprises (企业), keyed by their unified social credit code (GB 32100-2015). */
export const enterprise = pgTable('enterprise', {
	id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
	uscc: text('uscc').notNull().unique(),
	name: text('name').notNull(),
	address: text('address').notNull().default(''),
	township: text('township').notNull().default(''),
	/** Industry (行业), a stratum for drawing samples. */
	industry: text('industry').notNull().default(''),
	// Personal information (roles.md): shown masked except to admin and supervisors.
	contactName: text('contact_name').notNull().default(''),
	contactPhone: text('contact_phone').notNull().default(''),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
export type Enterprise = typeof enterprise.$inferSelect;
