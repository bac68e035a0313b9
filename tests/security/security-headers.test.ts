// The security headers on every kind of response of the built app (`node build`), those that
// adapter-node's file server sends before any hook runs and those of the hooks that answer before
// the others (the CSRF check) included; the pages' Content-Security-Policy with its nonce on every
// script; HSTS only when ORIGIN is https.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { cspDirectives, expectCsp, expectSecurityHeaders } from '../helpers/security-headers';

describe.each([
	['http', false],
	['https', true]
] as const)('security headers with an %s ORIGIN', (scheme, https) => {
	let app: RunningApp;
	let cookie: string;

	beforeAll(async () => {
		app = await startApp({ scheme });
		cookie = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
		expect(cookie).toBeTruthy();
	});
	afterAll(() => app?.dispose());

	/** A response of a dynamic route: the headers, and a policy that none may frame. */
	const dynamic = (r: Response, what: string, page: boolean) => {
		expectSecurityHeaders(r, what, https);
		expectCsp(r, what, page);
	};

	it('a page: its policy, whose nonce is on every script, and no inline script else', async () => {
		const r = await app.fetch('/sign-in');
		expect(r.status).toBe(200);
		dynamic(r, 'page', true);
		const csp = cspDirectives(r);
		const script = csp.get('script-src')!;
		expect(script).toContain("'self'");
		expect(script).not.toContain("'unsafe-inline'");
		expect(script).not.toContain("'unsafe-eval'");
		const nonces = script.filter((s) => s.startsWith("'nonce-"));
		expect(nonces).toHaveLength(1);
		const nonce = nonces[0]!.slice("'nonce-".length, -1);
		expect(nonce.length).toBeGreaterThanOrEqual(16);
		const html = await r.text();
		const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
		expect(scripts.length).toBeGreaterThan(0);
		for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
		// No inline event handlers, which no nonce allows.
		expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i);
		expect(csp.get('object-src')).toEqual(["'none'"]);
		expect(csp.get('base-uri')).toEqual(["'self'"]);
		expect(csp.get('form-action')).toEqual(["'self'"]);
		expect(csp.get('style-src')).toEqual(["'self'"]);
		expect(csp.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
		expect(csp.get('img-src')).toEqual(["'self'"]);
		expect(csp.get('connect-src')).toEqual(["'self'"]);
		// A fresh nonce for each page.
		const again = cspDirectives(await app.fetch('/sign-in')).get('script-src')!;
		expect(again).not.toContain(nonces[0]);
	});

	it('a signed-in page and its __data.json: not stored', async () => {
		const page = await app.fetch('/users', { cookie });
		expect(page.status).toBe(200);
		dynamic(page, 'signed-in page', true);
		expect(page.headers.get('cache-control')).toBe('no-store');
		const data = await app.fetch('/users/__data.json', { cookie });
		expect(data.status).toBe(200);
		dynamic(data, '__data.json', false);
		expect(data.headers.get('cache-control')).toBe('no-store');
	});

	it('a form post, refused and accepted', async () => {
		const refused = await app.fetch('/sign-in', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ username: ADMIN.username, password: 'wrong password' })
		});
		expect(refused.status).toBe(400);
		dynamic(refused, 'form post refused', true);
		const signedIn = await app.signIn(ADMIN.username, ADMIN.password);
		expect(signedIn.response.status).toBe(303);
		dynamic(signedIn.response, 'form post accepted', false);
	});

	it('the API, a download and the CSRF check’s refusal', async () => {
		const api = await app.fetch('/api/v1/openapi.json');
		expect(api.status).toBe(200);
		dynamic(api, 'API', false);
		const unpublished = await app.fetch('/api/v1/results/2003');
		expect(unpublished.status).toBe(404);
		dynamic(unpublished, 'API 404', false);
		const download = await app.fetch('/import-templates/cases', { cookie });
		expect(download.status).toBe(200);
		expect(download.headers.get('content-disposition')).toContain('attachment');
		dynamic(download, 'download', false);
		const forged = await app.fetch('/sign-in', {
			method: 'POST',
			sameOrigin: false,
			headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
			body: 'username=admin'
		});
		expect(forged.status).toBe(403);
		dynamic(forged, 'CSRF 403', false);
	});

	it('404s: a page and a missing asset', async () => {
		const page = await app.fetch('/no-such-page');
		expect(page.status).toBe(404);
		dynamic(page, '404 page', true);
		const asset = await app.fetch('/_app/immutable/no-such-file.js');
		expect(asset.status).toBe(404);
		expectSecurityHeaders(asset, '404 asset', https);
	});

	it('static files: an immutable asset, kept a year, and a file from static/', async () => {
		const html = await (await app.fetch('/sign-in')).text();
		const path = html.match(/\/_app\/immutable\/[^"']+\.js/)?.[0];
		expect(path).toBeTruthy();
		const asset = await app.fetch(path!);
		expect(asset.status).toBe(200);
		expectSecurityHeaders(asset, 'immutable asset', https);
		expect(asset.headers.get('cache-control')).toBe('public,max-age=31536000,immutable');
		const favicon = await app.fetch('/favicon.svg');
		expect(favicon.status).toBe(200);
		expect(favicon.headers.get('content-type')).toContain('image/svg+xml');
		expectSecurityHeaders(favicon, 'static file', https);
		// A conditional request answered from the browser's copy too.
		const etag = favicon.headers.get('etag');
		expect(etag).toBeTruthy();
		const notModified = await app.fetch('/favicon.svg', { headers: { 'if-none-match': etag! } });
		expect(notModified.status).toBe(304);
		expectSecurityHeaders(notModified, 'static file 304', https);
	});
});
