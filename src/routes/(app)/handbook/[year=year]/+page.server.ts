import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { handbookItemsQuerySchema } from '$lib/schemas/handbook';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as handbook from '$lib/server/handbook';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 100;

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.viewHandbook);
	const year = Number(event.params.year);
	const query = handbookItemsQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const [edition, editions] = await Promise.all([
		handbook.edition(db(), year),
		handbook.editions(db())
	]);
	if (!edition) error(404, m.handbook_no_edition({ year }));
	const [{ rows, total }, departments] = await Promise.all([
		handbook.items(
			db(),
			year,
			{
				departmentCode: query.department || undefined,
				kind: query.kind,
				instantOnly: query.instant === 'yes',
				q: query.q || undefined
			},
			query.page,
			PAGE_SIZE
		),
		handbook.departmentsOf(db(), year)
	]);
	// The edition before this one, for the link to the reform statistics.
	const previous = editions.find((e) => e.year < year)?.year ?? null;
	return {
		edition,
		previous,
		items: rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: {
			q: query.q,
			department: query.department,
			kind: query.kind ?? null,
			instant: query.instant ?? null
		},
		filtered: Boolean(query.q || query.department || query.kind || query.instant),
		departments
	};
};
