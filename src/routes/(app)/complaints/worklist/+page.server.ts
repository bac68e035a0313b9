// The complaints being handled, those longest past their deadline first: a supervisor's own (and
// those not yet accepted), every open one on request; a liaison's department's, those awaiting
// its answer first. Which ones, and what of them, is the complaints module's to decide.
import { z } from 'zod';
import { ROLES } from '$lib/domain/roles';
import { pageNumber } from '$lib/schemas/query';
import { requireRole } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { db } from '$lib/server/db/app-db';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const querySchema = z.object({ page: pageNumber, all: z.string().optional().catch(undefined) });

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.complaintWorklist);
	const query = querySchema.parse(Object.fromEntries(event.url.searchParams));
	const all = query.all === '1';
	const { rows, total } = await complaints.worklist(db(), p, {
		page: query.page,
		pageSize: PAGE_SIZE,
		all
	});
	return {
		rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		all,
		// Only a supervisor has a narrower list of their own to switch from.
		canWiden: p.role === 'supervisor'
	};
};
