// The departments a form may offer in a select (a user's department, say): code and names only,
// read-only, so pages outside the departments module need not know its tables.
import { asc } from 'drizzle-orm';
import type { Executor } from '$lib/server/db';
import { department } from '$lib/server/db/schema';

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
