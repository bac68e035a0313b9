// The departments a form may offer in a select (a user's department, say): code and names only,
// read-only, so pages outside the departments module need not know its tables.
import { asc, eq } from 'drizzle-orm';
import type { DepartmentCategory } from '$lib/domain/departments';
import type { Executor } from '$lib/server/db';
import { department } from '$lib/server/db/schema';
import { categoryAtSql } from './index';

export interface DepartmentOption {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	active: boolean;
}

export async function listOptions(db: Executor): Promise<DepartmentOption[]> {
	return db
		.select({
			id: department.id,
			code: department.code,
			nameZh: department.nameZh,
			nameEn: department.nameEn,
			active: department.active
		})
		.from(department)
		.orderBy(asc(department.code));
}

/** The departments one may complain about, by category in `year` (the uncategorised last). */
export interface DepartmentGroup {
	category: DepartmentCategory | null;
	departments: { code: string; nameZh: string; nameEn: string }[];
}

/** The active departments, grouped by their category in `year`, each group by code. */
export async function activeByCategory(db: Executor, year: number): Promise<DepartmentGroup[]> {
	const list = await db
		.select({
			code: department.code,
			nameZh: department.nameZh,
			nameEn: department.nameEn,
			category: categoryAtSql(department.id, year)
		})
		.from(department)
		.where(eq(department.active, true))
		.orderBy(asc(department.code));
	const order: (DepartmentCategory | null)[] = ['municipal', 'vertical', null];
	return order
		.map((category) => ({
			category,
			departments: list
				.filter((d) => d.category === category)
				.map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn }))
		}))
		.filter((g) => g.departments.length > 0);
}
