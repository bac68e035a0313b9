import { error } from '@sveltejs/kit';
import { ROLES, seesAllDepartments } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { rectificationListSchema } from '$lib/schemas/rectification';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as rectifications from '$lib/server/rectification';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewRectification);
	// A liaison sees its own department's rectifications only.
	const departmentId = seesAllDepartments(p.role) ? null : p.departmentId;
	if (!seesAllDepartments(p.role) && departmentId === null) error(403, m.auth_forbidden());
	const query = rectificationListSchema.parse(Object.fromEntries(event.url.searchParams));
	const [{ rows, total }, overdue, years] = await Promise.all([
		rectifications.list(db(), {
			year: query.year,
			overdue: query.overdue,
			departmentId,
			page: query.page,
			pageSize: PAGE_SIZE
		}),
		rectifications.list(db(), { overdue: true, departmentId, page: 1, pageSize: 1 }),
		rectifications.years(db(), departmentId)
	]);
	return {
		rows,
		total,
		overdueTotal: overdue.total,
		years,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: { year: query.year ?? null, overdue: query.overdue },
		filtered: query.year !== undefined || query.overdue
	};
};
