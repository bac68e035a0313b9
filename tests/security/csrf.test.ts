// Cross-site requests against the built app: SvelteKit's own origin check lets a POST without a
// form Content-Type through, so the app refuses every unsafe request that the browser does not
// mark as same-origin, whatever its Content-Type. Same-origin requests still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';

type Body = { contentType: string | null; body: () => BodyInit };

const credentials = { username: ADMIN.username, password: ADMIN.password };

/** Each Content-Type a forged request may carry, with a body a server might accept as a form. */
const BODIES: Record<string, Body> = {
	'application/x-www-form-urlencoded': {
		contentType: 'application/x-www-form-urlencoded',
		body: () => new URLSearchParams(credentials).toString()
	},
	// fetch writes the multipart Content-Type with its boundary.
	'multipart/form-data': {
		contentType: null,
		body: () => {
			const f = new FormData();
			f.set('username', credentials.username);
			f.set('password', credentials.password);
			return f;
		}
	},
	'text/plain': {
		contentType: 'text/plain',
		body: () => new URLSearchParams(credentials).toString()
	},
	'application/json': {
		contentType: 'application/json',
		body: () => JSON.stringify(credentials)
	},
	// Bytes: fetch adds no Content-Type at all.
	none: {
		contentType: null,
		body: () => new TextEncoder().encode(new URLSearchParams(credentials).toString())
	}
};

/** Headers of requests a browser sends from another site, or that carry no origin at all. */
const CROSS_SITE: Record<string, Record<string, string>> = {
	'Origin of another site': { origin: 'https://evil.example' },
	'Sec-Fetch-Site: cross-site': { 'sec-fetch-site': 'cross-site' },
	'both from another site': { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
	'a sibling site (same-site)': {
		origin: 'http://evil.127.0.0.1.nip.io',
		'sec-fetch-site': 'same-site'
	},
	'an opaque origin (null)': { origin: 'null' },
	'no origin headers': {}
};

const cases = Object.entries(CROSS_SITE).flatMap(([via, headers]) =>
	Object.entries(BODIES).map(([type, body]) => ({ via, headers, type, body }))
);

function post(
	app: RunningApp,
	path: string,
	body: Body,
	headers: Record<string, string>,
	cookie?: string
) {
	const h = new Headers(headers);
	if (body.contentType) h.set('content-type', body.contentType);
	return app.fetch(path, {
		method: 'POST',
		headers: h,
		body: body.body(),
		cookie,
		sameOrigin: false
	});
}

describe('cross-site request forgery', () => {
	let app: RunningApp;
	let victim: string;
	beforeAll(async () => {
		app = await startApp();
		const s = await app.signIn(ADMIN.username, ADMIN.password);
		victim = s.cookie!;
		expect(victim).toBeTruthy();
	});
	afterAll(() => app?.dispose());

	const signedIn = async (cookie: string) => {
		const r = await app.fetch('/', { cookie });
		return new URL(r.headers.get('location')!, app.baseUrl).pathname !== '/sign-in';
	};

	it.each(cases)('refuses POST /sign-in with $via and Content-Type $type', async (c) => {
		const r = await post(app, '/sign-in', c.body, c.headers);
		expect(r.status).toBe(403);
		expect(r.headers.getSetCookie().some((x) => x.startsWith('session='))).toBe(false);
	});

	it.each(cases)('refuses POST /sign-out with $via and Content-Type $type', async (c) => {
		const r = await post(app, '/sign-out', c.body, c.headers, victim);
		expect(r.status).toBe(403);
		// The forged sign-out did nothing: the victim is still signed in.
		expect(await signedIn(victim)).toBe(true);
	});

	it.each(['application/x-www-form-urlencoded', 'multipart/form-data'])(
		'signs in with a same-origin POST of %s',
		async (type) => {
			const body = BODIES[type]!;
			const r = await post(app, '/sign-in', body, {
				origin: app.origin,
				'sec-fetch-site': 'same-origin'
			});
			expect(r.status).toBe(303);
			const cookie = r.headers.getSetCookie().find((x) => x.startsWith('session='));
			expect(cookie).toBeTruthy();
			expect(await signedIn(cookie!.split(';')[0]!)).toBe(true);
		}
	);

	it('signs in with a same-origin POST that has only an Origin header (older browsers)', async () => {
		const r = await post(app, '/sign-in', BODIES['application/x-www-form-urlencoded']!, {
			origin: app.origin
		});
		expect(r.status).toBe(303);
		expect(r.headers.getSetCookie().some((x) => x.startsWith('session='))).toBe(true);
	});

	it.each(Object.keys(BODIES))(
		'signs out with a same-origin POST, Content-Type %s',
		async (type) => {
			const cookie = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
			expect(await signedIn(cookie)).toBe(true);
			const r = await post(
				app,
				'/sign-out',
				BODIES[type]!,
				{ origin: app.origin, 'sec-fetch-site': 'same-origin' },
				cookie
			);
			expect(r.status).toBe(303);
			expect(await signedIn(cookie)).toBe(false);
			// Other sessions of the same user are untouched by one sign-out.
			expect(await signedIn(victim)).toBe(true);
		}
	);
});
