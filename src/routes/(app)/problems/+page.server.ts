// The problems raised on enterprise visits that the reader sees, overdue first, then those
// waiting for the reader (a supervisor's to settle, a leader's to instruct, a liaison's to report
// on); filtered by state, department and category. Which ones is the visits module's to decide.
import { ROLES } from '$lib/domain/roles';
import { problemListQuerySchema } from '$lib/schemas/problems';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import * as visits from '$lib/server/visits';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewProblems);
	const query = problemListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const [list, departments] = await Promise.all([
		visits.problemList(db(), p, {
			state: query.state,
			departmentId: query.department,
			category: query.category,
			mine: query.mine,
			page: query.page,
			pageSize: PAGE_SIZE
		}),
		// Only staff who see every problem choose among every department.
		p.role === 'admin' || p.role === 'supervisor' || p.role === 'leader'
			? listOptions(db())
			: Promise.resolve([])
	]);
	return {
		rows: list.rows,
		total: list.total,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: {
			state: query.state ?? null,
			department: query.department ?? null,
			category: query.category ?? null,
			mine: query.mine
		},
		departments,
		// An enterprise account's problems wait for nobody it could act as.
		canFilterMine: p.role !== 'enterprise'
	};
};
