// The security headers every response carries — pages, the API, downloads and the static files
// that adapter-node's file server answers before any SvelteKit hook runs — set by a Node
// middleware in front of the app's handler: in production through the adapter (svelte.config.js,
// which copies this file into build/), in `vite dev` and `vite preview` through a Vite plugin.
// Plain JavaScript without imports, so that the built server can load it as it is. The
// Content-Security-Policy of pages is SvelteKit's (`kit.csp`), with nonces; responses without one
// get a strict one in the request hooks (src/lib/server/auth/handle.ts).

/**
 * Browser features the app never uses, denied to it and to anything injected into it. Only
 * features Chromium knows: it reports the others as errors on every page.
 */
const DENIED_FEATURES = [
	'accelerometer',
	'autoplay',
	'bluetooth',
	'camera',
	'display-capture',
	'geolocation',
	'gyroscope',
	'hid',
	'magnetometer',
	'microphone',
	'midi',
	'payment',
	'publickey-credentials-get',
	'screen-wake-lock',
	'serial',
	'usb',
	'xr-spatial-tracking'
];

/** One year, as HSTS preload lists ask. */
const HSTS_MAX_AGE = 31_536_000;

/**
 * The headers for every response of an app served at `origin` (adapter-node's ORIGIN).
 * Strict-Transport-Security only when that origin is https: a browser that reached the app over
 * plain http would otherwise be told to insist on a TLS the server does not offer.
 * @param {string | undefined} origin
 * @returns {[string, string][]}
 */
export function securityHeaders(origin) {
	/** @type {[string, string][]} */
	const headers = [
		['X-Content-Type-Options', 'nosniff'],
		// Invitation and open-link tokens live in addresses (/i/TOKEN, /o/TOKEN): never sent to
		// another site, not even its origin.
		['Referrer-Policy', 'same-origin'],
		// For browsers without CSP's frame-ancestors (set on every page too).
		['X-Frame-Options', 'DENY'],
		['Cross-Origin-Opener-Policy', 'same-origin'],
		['Cross-Origin-Resource-Policy', 'same-origin'],
		['Permissions-Policy', DENIED_FEATURES.map((f) => `${f}=()`).join(', ')]
	];
	if (origin?.toLowerCase().startsWith('https://')) {
		headers.push(['Strict-Transport-Security', `max-age=${HSTS_MAX_AGE}; includeSubDomains`]);
	}
	return headers;
}

/**
 * `handler` (a Node or Connect middleware) with the security headers set on every response
 * before it answers. Headers the handler sets itself (SvelteKit's) take precedence.
 * @template {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => unknown} H
 * @param {H} handler
 * @param {string | undefined} [origin]
 * @returns {H}
 */
export function withSecurityHeaders(handler, origin = process.env.ORIGIN) {
	const headers = securityHeaders(origin);
	return /** @type {H} */ (
		(req, res, next) => {
			for (const [name, value] of headers) res.setHeader(name, value);
			return handler(req, res, next);
		}
	);
}
