import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { isDomainError, messageOf } from '$lib/errors';
import { paraglideMiddleware } from '$lib/paraglide/server';
import {
	handleAuth,
	handleCsrf,
	handleFormBodies,
	handleSecurityHeaders
} from '$lib/server/auth/handle';
import { bootstrap } from '$lib/server/bootstrap';
import { pickLocale } from '$lib/server/console-locale';
import { databaseHealth, startDatabase } from '$lib/server/db/app-db';
import { isUnavailableError } from '$lib/server/db/health';
import { isPoolBusyError } from '$lib/server/db/pool-wait';
import { handleUnavailable } from '$lib/server/db/unavailable';
import { DatabaseLockedError } from '$lib/server/db/lock';
import { handleBodyLimit } from '$lib/server/imports/body-limit';
import { logError } from '$lib/server/log';
import { loggablePath } from '$lib/server/log-safe';
import { handleRequestLog } from '$lib/server/request-log';

export const init: ServerInit = async () => {
	try {
		const handle = await startDatabase();
		await bootstrap(handle.db);
	} catch (e) {
		// A locked embedded database and an audit key that cannot be had are expected refusals:
		// say so plainly, without a stack.
		const { locale } = pickLocale(undefined);
		if (e instanceof DatabaseLockedError) console.error(e.describe(locale));
		else if (isDomainError(e)) console.error(messageOf(e.code, e.params, locale));
		else throw e;
		process.exit(1);
	}
};

// Paraglide picks the language from the address and the cookie, and hands on a clone of the
// request it is given. A clone tees the body: the original's branch, which nobody reads, would
// keep the whole of it in memory (an upload of hundreds of megabytes). So it is given the request
// without its body, and the request goes on as it came (the cookie strategy leaves the URL as is).
const handleParaglide: Handle = ({ event, resolve }) =>
	paraglideMiddleware(
		new Request(event.request.url, { headers: event.request.headers }),
		({ locale }) =>
			resolve(event, {
				transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
			})
	);

export const handle = sequence(
	handleRequestLog,
	handleSecurityHeaders,
	handleCsrf,
	handleBodyLimit,
	handleParaglide,
	handleUnavailable,
	handleFormBodies,
	handleAuth
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message };
	// A lost database is the request hook's to answer (503), and has the server probed at once.
	if (isUnavailableError(error)) {
		event.locals.databaseLost = true;
		databaseHealth()?.report(error);
	}
	// So is a wait for a pooled connection past its limit (db/pool-wait.ts): 503, not 500.
	if (isPoolBusyError(error)) event.locals.databaseBusy = true;
	// The request's id, which the error page shows, finds the line; without a failed query's
	// values or an invitation's token (no respondent in the log).
	const id = event.locals.requestId ?? crypto.randomUUID();
	logError('unexpected error', error, {
		requestId: id,
		method: event.request.method,
		path: loggablePath(event.url.pathname)
	});
	return { message, id };
};
