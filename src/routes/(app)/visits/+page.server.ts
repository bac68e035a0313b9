// The visits recorded, the latest first, by campaign, period or enterprise.
import { hasRole, ROLES } from '$lib/domain/roles';
import { visitListQuerySchema } from '$lib/schemas/visits';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as visits from '$lib/server/visits';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewVisits);
	const query = visitListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const filter = {
		campaign: query.campaign || undefined,
		q: query.q || undefined,
		from: query.from,
		to: query.to
	};
	const { rows, total } = await visits.listVisits(db(), p, filter, query.page, PAGE_SIZE);
	return {
		visits: rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: { campaign: query.campaign, q: query.q, from: query.from ?? '', to: query.to ?? '' },
		filtered: Boolean(query.campaign || query.q || query.from || query.to),
		canRecord: hasRole(p.role, ROLES.manageVisits)
	};
};
