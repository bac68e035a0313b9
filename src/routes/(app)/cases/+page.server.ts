import { hasRole, ROLES } from '$lib/domain/roles';
import { currentYear, yearMenu } from '$lib/domain/years';
import { formatDate } from '$lib/domain/time';
import { caseListQuerySchema } from '$lib/schemas/cases';
import { requireRole } from '$lib/server/auth/guard';
import * as cases from '$lib/server/cases';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { KINDS } from '$lib/server/imports/kinds';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewCases);
	const query = caseListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const today = formatDate(new Date());
	const [{ rows, total }, departments] = await Promise.all([
		cases.list(
			db(),
			{
				departmentCode: query.department || undefined,
				year: query.year,
				status: query.status,
				q: query.q || undefined,
				promiseDiffers: query.handbook === 'differs',
				today
			},
			query.page,
			PAGE_SIZE
		),
		listOptions(db())
	]);
	return {
		cases: rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: {
			q: query.q,
			department: query.department,
			year: query.year ?? null,
			status: query.status ?? null,
			handbook: query.handbook ?? null
		},
		filtered: Boolean(query.q || query.department || query.year || query.status || query.handbook),
		departments,
		years: yearMenu(currentYear(), 10, query.year),
		today,
		canImport: hasRole(p.role, KINDS.cases.roles)
	};
};
