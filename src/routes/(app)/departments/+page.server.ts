import { error, redirect } from '@sveltejs/kit';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { currentYear, yearMenu } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { listQuerySchema } from '$lib/schemas/departments';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as departments from '$lib/server/departments';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewDepartments);
	// A liaison speaks for one department: the list is that department's page.
	if (!seesAllDepartments(p.role)) {
		const own = p.departmentId === null ? null : await departments.getById(db(), p.departmentId);
		if (!own) error(403, m.auth_forbidden());
		redirect(303, `/departments/${encodeURIComponent(own.code)}`);
	}
	const query = listQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const thisYear = currentYear();
	const year = query.year ?? thisYear;
	const { rows, total } = await departments.list(db(), {
		q: query.q,
		year,
		page: query.page,
		pageSize: PAGE_SIZE
	});
	return {
		departments: rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: { q: query.q, year },
		// Recent years and the next one (categories are often set ahead).
		years: yearMenu(thisYear + 1, 12, year),
		// After a department's page deleted it (POST, then this GET).
		removed: event.url.searchParams.get('removed'),
		canManage: hasRole(p.role, ROLES.manageDepartments)
	};
};
