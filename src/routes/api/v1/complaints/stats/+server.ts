// GET /api/v1/complaints/stats?year=Y[&through=MM-DD]: complaints received from 1 January through
// the given day of Y and of Y − 1, and the change in percent. `through=02-29` is a day only of a
// leap year Y (422 otherwise); the non-leap previous year then counts through 28 February. The
// figures are the total of the statistics page's query ($lib/server/complaints/statistics.ts).
import { json } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { statsQuerySchema } from '$lib/schemas/complaints';
import { ApiError, handle } from '$lib/server/api';
import * as complaints from '$lib/server/complaints';
import { db } from '$lib/server/db/app-db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) =>
	handle(event, ROLES.complaintStats, async (principal) => {
		const params = event.url.searchParams;
		const query = {
			year: params.get('year') ?? undefined,
			through: params.get('through') ?? undefined
		};
		const parsed = statsQuerySchema.safeParse(query);
		if (!parsed.success) {
			const details = parsed.error.issues.map((issue) => {
				const path = String(issue.path[0] ?? '');
				return {
					path,
					message:
						path === 'through'
							? m.api_stats_through()
							: m.api_stats_year({ min: MIN_YEAR + 1, max: MAX_YEAR })
				};
			});
			throw new ApiError(422, 'invalid_query', m.api_invalid_content(), details);
		}
		const { year, through } = parsed.data;
		const result = await complaints.stats(db(), principal, year, through);
		if (result === 'no_such_day') {
			const message = m.api_stats_no_such_day({ year, through: through ?? '' });
			throw new ApiError(422, 'invalid_query', message, [{ path: 'through', message }]);
		}
		return json(result);
	});
