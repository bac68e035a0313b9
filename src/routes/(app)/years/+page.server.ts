import { hasRole, ROLES } from '$lib/domain/roles';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import * as reporting from '$lib/server/reporting';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewYears);
	const [years, results] = await Promise.all([
		evaluation.listYears(db()),
		reporting.years(db(), true)
	]);
	const byYear = new Map(results.map((r) => [r.year, r]));
	return {
		years: years.map((y) => ({
			year: y.year,
			firstPublishedAt: y.firstPublishedAt,
			revision: byYear.get(y.year)?.revision ?? null,
			computed: byYear.has(y.year)
		})),
		canManage: hasRole(p.role, ROLES.manageYears)
	};
};
