// The request hook that names every request (`locals.requestId`, the `X-Request-Id` response
// header) and writes one log line for it when it is answered: method, path (an invitation's
// token replaced), status, milliseconds and who asked (role and account id, never a name). The
// query string stays out: a search may hold a phone number. Health checks are not logged.
import type { Handle } from '@sveltejs/kit';
import { HEALTH_PATHS } from './db/health';
import { log, requestIdOf } from './log';
import { loggablePath } from './log-safe';

export const handleRequestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = requestIdOf(event.request);
	event.locals.requestId = requestId;
	const response = await resolve(event);
	try {
		response.headers.set('x-request-id', requestId);
	} catch {
		// A response with immutable headers (a fetched one passed through) keeps them.
	}
	if (!HEALTH_PATHS.has(event.url.pathname)) {
		const p = event.locals.principal;
		log('info', 'request', {
			requestId,
			method: event.request.method,
			path: loggablePath(event.url.pathname),
			status: response.status,
			ms: Math.round(performance.now() - started),
			...(p ? { role: p.role, account: p.kind === 'user' ? p.id : p.label } : {})
		});
	}
	return response;
};
