// The request hook that fails fast while PostgreSQL is unreachable (health.ts): 503 with
// Retry-After at once while the server is judged down, and to a request still waiting when it
// goes down — the API's error document on /api/, a page of its own elsewhere (the app's pages
// need the database to render). The health endpoints answer for themselves.
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { errorResponse } from '$lib/server/api';
import { databaseHealth } from './app-db';
import {
	HEALTH_PATHS,
	isUnavailableError,
	RETRY_AFTER_SECONDS,
	SLOW_REQUEST_MS,
	type DatabaseHealth
} from './health';
import { isPoolBusyError } from './pool-wait';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The 503 for this request, while the database is down or every pooled connection stayed busy
 * (pool-wait.ts): JSON on the API, a page elsewhere; never cached.
 */
export function unavailableResponse(
	event: Pick<RequestEvent, 'url'>,
	reason: 'down' | 'busy' = 'down'
): Response {
	const headers = { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' };
	const message =
		reason === 'busy'
			? m.db_busy({ seconds: RETRY_AFTER_SECONDS })
			: m.db_unavailable({ seconds: RETRY_AFTER_SECONDS });
	if (event.url.pathname.startsWith('/api/')) {
		const code = reason === 'busy' ? 'database_busy' : 'database_unavailable';
		const response = errorResponse(503, code, message);
		for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
		return response;
	}
	const title = reason === 'busy' ? m.db_busy_title() : m.db_unavailable_title();
	const html = `<!doctype html>
<html lang="${getLocale()}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · ${escape(m.app_name())}</title></head>
<body>
<main>
<h1>${escape(title)}</h1>
<p role="alert">${escape(message)}</p>
<p><a href="${escape(event.url.pathname + event.url.search)}">${escape(m.db_unavailable_retry())}</a></p>
</main>
</body>
</html>
`;
	return new Response(html, {
		status: 503,
		headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }
	});
}

/** Resolves the request unless the database is, or goes, down first; null then. */
async function unlessDown(
	health: DatabaseHealth,
	work: Promise<Response>
): Promise<Response | 'busy' | null> {
	const slow = setTimeout(() => void health.check(), SLOW_REQUEST_MS);
	try {
		return await Promise.race([work, health.whenDown().then(() => null)]);
	} catch (e) {
		health.report(e);
		if (isUnavailableError(e)) return null;
		if (isPoolBusyError(e)) return 'busy';
		throw e;
	} finally {
		clearTimeout(slow);
	}
}

export const handleUnavailable: Handle = async ({ event, resolve }) => {
	const health = databaseHealth();
	if (!health || HEALTH_PATHS.has(event.url.pathname)) return resolve(event);
	if (!health.up) return unavailableResponse(event);
	const response = await unlessDown(health, (async () => resolve(event))());
	if (response === 'busy' || event.locals.databaseBusy) return unavailableResponse(event, 'busy');
	return response && !event.locals.databaseLost ? response : unavailableResponse(event);
};
