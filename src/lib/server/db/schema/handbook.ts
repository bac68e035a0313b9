// The handbook of approval items (《行政事业单位审批(服务)事项汇编》, issue 9 §7): per year, the
// catalogue of each department's approval and service items with the working days promised,
// their prerequisites, and whether each is an instant item (即办件: promised in 0 days, as a
// service case's `promised_working_days` says). Service cases name items by `item_code`.
import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	smallint,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { department } from './departments';
import { user } from './users';

/** An approval (审批) or a service (服务) item. */
export const handbookItemKind = pgEnum('handbook_item_kind', ['approval', 'service']);

/** One year's edition of the handbook; its items are replaced as a whole on import. */
export const handbookEdition = pgTable('handbook_edition', {
	id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
	year: smallint('year').notNull().unique(),
	createdBy: integer('created_by').references(() => user.id),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
export type HandbookEdition = typeof handbookEdition.$inferSelect;

export const handbookItem = pgTable(
	'handbook_item',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		editionId: integer('edition_id')
			.notNull()
			.references(() => handbookEdition.id, { onDelete: 'cascade' }),
		itemCode: text('item_code').notNull(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => department.id),
		name: text('name').notNull(),
		kind: handbookItemKind('kind').notNull(),
		/** 承诺时限: 0 = an instant item (即办件). */
		promisedWorkingDays: smallint('promised_working_days').notNull(),
		/** 法定时限, where the law sets one. */
		statutoryWorkingDays: smallint('statutory_working_days'),
		/** 前置条件: one entry per prerequisite. */
		prerequisites: text('prerequisites')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** The legal basis (设定依据). */
		basis: text('basis').notNull().default(''),
		position: integer('position').notNull()
	},
	(t) => [
		unique('handbook_item_code').on(t.editionId, t.itemCode),
		index('handbook_item_department_idx').on(t.editionId, t.departmentId),
		check('handbook_item_promise', sql`${t.promisedWorkingDays} >= 0`),
		check(
			'handbook_item_statutory',
			sql`${t.statutoryWorkingDays} is null or ${t.statutoryWorkingDays} >= 0`
		)
	]
);
export type HandbookItem = typeof handbookItem.$inferSelect;
