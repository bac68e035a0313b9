// For a load balancer: the process is up and serving (it asks nothing of the database).
import { json } from '@sveltejs/kit';
import { allowPublic } from '$lib/server/auth/guard';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	allowPublic(event);
	return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
};
