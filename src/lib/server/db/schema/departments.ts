// Departments and their year-dependent facts. Category and exemption change between years and
// the year-end rules read the value of a given year, so both keep their history.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp
} from 'drizzle-orm/pg-core';

export const departmentCategory = pgEnum('department_category', ['municipal', 'vertical']);

export const department = pgTable('department', {
	id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
	code: text('code').notNull().unique(),
	nameZh: text('name_zh').notNull(),
	nameEn: text('name_en').notNull(),
	// Only vertically-managed departments have one; it receives the two-years-running report.
	superiorAuthority: text('superior_authority'),
	active: boolean('active').notNull().default(true),
	// Created on first start to show the pages (bootstrap.ts); removable while nothing refers to
	// it, and no longer an example once an import or a clerk's edit names it.
	example: boolean('example').notNull().default(false),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
export type Department = typeof department.$inferSelect;

/** The category a department has from `fromYear` on, until a later row replaces it. */
export const departmentCategoryHistory = pgTable(
	'department_category_history',
	{
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id, { onDelete: 'cascade' }),
		fromYear: smallint('from_year').notNull(),
		category: departmentCategory('category').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.departmentId, t.fromYear] }),
		check('department_category_history_year', sql`${t.fromYear} between 1990 and 2200`)
	]
);
export type DepartmentCategoryHistory = typeof departmentCategoryHistory.$inferSelect;

/** A department exempt in a year takes no part in that year's evaluation. */
export const departmentExemption = pgTable(
	'department_exemption',
	{
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id, { onDelete: 'cascade' }),
		year: smallint('year').notNull(),
		reason: text('reason'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.departmentId, t.year] }),
		check('department_exemption_year', sql`${t.year} between 1990 and 2200`)
	]
);
export type DepartmentExemption = typeof departmentExemption.$inferSelect;
