// Request hooks for security: the strict cross-site check, form actions only with forms, loading
// who is asking, and the headers a response needs besides those every one gets.
import { json, type Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db/app-db';
import { HEALTH_PATHS } from '$lib/server/db/health';
import * as apiTokens from './api-token';
import { sessionCookieName, validateSessionToken } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The JSON API authenticates by bearer token only: it never reads the session cookie. */
function isApi(url: URL): boolean {
	return url.pathname.startsWith('/api/');
}

function bearerOf(request: Request): string | null {
	const h = request.headers.get('authorization');
	return h && /^Bearer /i.test(h) ? h.slice(7).trim() : null;
}

/**
 * SvelteKit's own check lets a cross-site POST through when it has no form Content-Type.
 * This refuses every unsafe request unless the browser says it is same-origin. Requests with
 * a bearer token, and every request to the JSON API, carry no ambient credential (cookies are
 * ignored for them), so a forged cross-site request cannot use one.
 */
export const handleCsrf: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	if (!SAFE_METHODS.has(request.method) && !bearerOf(request) && !isApi(url)) {
		const origin = request.headers.get('origin');
		const site = request.headers.get('sec-fetch-site');
		const sameOrigin =
			(origin !== null || site !== null) &&
			(origin === null || origin === url.origin) &&
			(site === null || site === 'same-origin');
		if (!sameOrigin) {
			return json(
				{ error: { code: 'cross_site_request', message: 'Cross-site request refused' } },
				{ status: 403 }
			);
		}
	}
	return resolve(event);
};

/** Route ids with a `+server.ts`: their handlers read a body as they choose (or none). */
const ENDPOINTS = new Set(
	Object.keys(import.meta.glob('/src/routes/**/+server.ts')).map(
		(file) => file.slice('/src/routes'.length, -'/+server.ts'.length) || '/'
	)
);

/** What `request.formData()` reads. */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * A POST to a page is a form action, and every action reads a form. SvelteKit refuses most other
 * bodies itself (415) but passes `text/plain`, which HTML forms may send and `formData()` cannot
 * read: the action then fails with a 500. Refusing here, once, covers every action, those that
 * read their form without the forms helper (uploads) and those that read none.
 */
export const handleFormBodies: Handle = async ({ event, resolve }) => {
	const { request, route } = event;
	if (request.method === 'POST' && route.id !== null && !ENDPOINTS.has(route.id)) {
		const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
		if (!FORM_TYPES.has(type)) {
			return json(
				{ error: { code: 'unsupported_media_type', message: m.form_not_a_form() } },
				{ status: 415 }
			);
		}
	}
	return resolve(event);
};

export const handleAuth: Handle = async ({ event, resolve }) => {
	event.locals.principal = null;
	event.locals.session = null;
	event.locals.secondStep = null;
	// A load balancer's checks are nobody's, and must not wait for a session lookup.
	if (HEALTH_PATHS.has(event.url.pathname)) return resolve(event);
	const bearer = bearerOf(event.request);
	if (bearer !== null) {
		const token = await apiTokens.validate(db(), bearer);
		if (token) {
			event.locals.principal = {
				kind: 'api',
				id: null,
				label: `api:${token.name}`,
				role: token.role,
				departmentId: token.departmentId,
				departmentCode: token.departmentCode
			};
		}
		return resolve(event);
	}
	if (isApi(event.url)) return resolve(event);
	const token = event.cookies.get(sessionCookieName(event.url));
	if (token) {
		const valid = await validateSessionToken(db(), token);
		if (valid && valid.secondStep !== 'done') {
			// Half signed in: nothing but the second step's page and sign-out (guard.ts).
			event.locals.secondStep = {
				kind: valid.secondStep,
				sessionId: valid.session.id,
				userId: valid.user.id,
				username: valid.user.username,
				role: valid.user.role
			};
		} else if (valid) {
			event.locals.session = {
				id: valid.session.id,
				expiresAt: valid.expiresAt,
				sudoUntil: valid.session.sudoUntil
			};
			event.locals.user = valid.user;
			event.locals.principal = {
				kind: 'user',
				id: valid.user.id,
				label: valid.user.username,
				role: valid.user.role,
				departmentId: valid.user.departmentId,
				departmentCode: valid.user.departmentCode
			};
		} else {
			event.cookies.delete(sessionCookieName(event.url), {
				path: '/',
				secure: event.url.protocol === 'https:'
			});
		}
	}
	return resolve(event);
};

/** Nothing to load, run or frame: a response that is not a page needs nothing. */
const NOT_A_PAGE_CSP =
	"default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * What the headers set on every response (src/lib/server/security-headers.js, before the app's
 * handler) cannot know: a Content-Security-Policy for what is not a page — SvelteKit sets the
 * pages' own, with their nonce — such as the 503 page, the API's documents and __data.json, and no
 * caching of what a signed-in user was shown. Outermost, so that the responses of every other
 * hook (the CSRF check's 403, the body limit's 413, the 503) have it too.
 */
export const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!response.headers.has('Content-Security-Policy')) {
		response.headers.set('Content-Security-Policy', NOT_A_PAGE_CSP);
	}
	if (event.locals.principal) response.headers.set('Cache-Control', 'no-store');
	return response;
};
