import { ROLES } from '$lib/domain/roles';
import { formatDate } from '$lib/domain/time';
import { currentYear, MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { statisticsQuerySchema } from '$lib/schemas/complaint-statistics';
import { requireRole } from '$lib/server/auth/guard';
import { statistics } from '$lib/server/complaints/statistics';
import { db } from '$lib/server/db/app-db';
import type { PageServerLoad } from './$types';

const REFUSALS = {
	no_such_day: () => m.complaint_stats_error_no_such_day(),
	range_reversed: () => m.complaint_stats_error_range_reversed(),
	range_out_of_years: () =>
		m.complaint_stats_error_range_out_of_years({ min: MIN_YEAR + 1, max: MAX_YEAR })
};

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.complaintStats);
	const query = statisticsQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const now = new Date();
	const year = currentYear(now);
	// Default: this year to date against the same days a year earlier.
	const range = { from: query.from ?? `${year}-01-01`, to: query.to ?? formatDate(now) };
	const result = await statistics(db(), p, range);
	return {
		range,
		year,
		today: formatDate(now),
		figures: typeof result === 'string' ? null : result,
		error: typeof result === 'string' ? REFUSALS[result]() : null
	};
};
