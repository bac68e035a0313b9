import { error } from '@sveltejs/kit';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { currentYear, yearMenu } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { complaintListQuerySchema } from '$lib/schemas/complaints';
import { requireDepartmentAccess, requireRole } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { mayReadStatistics } from '$lib/server/complaints/statistics';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { KINDS } from '$lib/server/imports/kinds';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewComplaints);
	const query = complaintListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const departments = await listOptions(db());
	// A liaison sees the complaints against its own department only, whatever the query says.
	const all = seesAllDepartments(p.role);
	let own: (typeof departments)[number] | null = null;
	if (!all) {
		if (p.departmentId === null) error(403, m.auth_forbidden());
		requireDepartmentAccess(p, p.departmentId);
		own = departments.find((d) => d.id === p.departmentId) ?? null;
		if (!own) error(403, m.auth_forbidden());
	}
	const { rows, total } = await complaints.list(
		db(),
		p,
		{
			departmentId: own?.id,
			departmentCode: own ? undefined : query.department || undefined,
			year: query.year,
			status: query.status,
			q: query.q || undefined
		},
		query.page,
		PAGE_SIZE
	);
	return {
		complaints: rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: {
			q: query.q,
			department: own ? own.code : query.department,
			year: query.year ?? null,
			status: query.status ?? null
		},
		filtered: Boolean(query.q || (!own && query.department) || query.year || query.status),
		// The department menu only for those who see every department.
		departments: own ? [] : departments,
		own: own && { code: own.code, nameZh: own.nameZh, nameEn: own.nameEn },
		years: yearMenu(currentYear(), 10, query.year),
		canImport: hasRole(p.role, KINDS.complaints.roles),
		canEnter: hasRole(p.role, ROLES.manageComplaints),
		canWork: hasRole(p.role, ROLES.complaintWorklist),
		canSeeStatistics: mayReadStatistics(p)
	};
};
