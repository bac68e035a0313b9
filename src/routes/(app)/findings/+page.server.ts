import { error } from '@sveltejs/kit';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { listQuerySchema } from '$lib/schemas/findings';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as departments from '$lib/server/departments';
import { listOptions } from '$lib/server/departments/options';
import * as findings from '$lib/server/findings';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewFindings);
	const query = listQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	// A liaison sees the findings against its own department, whatever the query asks for.
	const all = seesAllDepartments(p.role);
	let own: { code: string; nameZh: string; nameEn: string } | null = null;
	if (!all) {
		const d = p.departmentId === null ? null : await departments.getById(db(), p.departmentId);
		if (!d) error(403, m.auth_forbidden());
		own = { code: d.code, nameZh: d.nameZh, nameEn: d.nameEn };
	}
	const departmentId = all ? undefined : p.departmentId!;
	const [{ rows, total, confirmedPoints }, years, options] = await Promise.all([
		findings.list(db(), p, {
			q: query.q,
			year: query.year,
			departmentId,
			departmentCode: all ? query.department : undefined,
			status: query.status,
			source: query.source,
			page: query.page,
			pageSize: PAGE_SIZE
		}),
		findings.years(db(), departmentId),
		all ? listOptions(db()) : Promise.resolve([])
	]);
	const thisYear = currentYear();
	if (!years.includes(thisYear)) years.unshift(thisYear);
	if (query.year !== undefined && !years.includes(query.year)) years.push(query.year);
	years.sort((a, b) => b - a);
	const filtered =
		!!query.q || query.year !== undefined || !!query.department || !!query.status || !!query.source;
	return {
		findings: rows,
		total,
		confirmedPoints,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: {
			q: query.q,
			year: query.year ?? null,
			department: all ? (query.department ?? null) : null,
			status: query.status ?? null,
			source: query.source ?? null
		},
		filtered,
		years,
		departments: options,
		ownDepartment: own,
		canManage: hasRole(p.role, ROLES.manageFindings)
	};
};
