// For a load balancer: the database answers and holds this build's migrations (200), else 503.
import { json } from '@sveltejs/kit';
import { allowPublic } from '$lib/server/auth/guard';
import { readiness } from '$lib/server/db/app-db';
import { RETRY_AFTER_SECONDS } from '$lib/server/db/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	allowPublic(event);
	const r = await readiness();
	return json(
		{
			status: r.ready ? 'ready' : 'not_ready',
			database: r.database,
			migrationsCurrent: r.migrationsCurrent
		},
		{
			status: r.ready ? 200 : 503,
			headers: {
				'cache-control': 'no-store',
				...(r.ready ? {} : { 'retry-after': String(RETRY_AFTER_SECONDS) })
			}
		}
	);
};
