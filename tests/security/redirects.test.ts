// Open redirects against the built app: `next` on /sign-in and /language may only lead to a page
// of the app. Each `next` is written as an attacker puts it in a link (percent-encoded in the
// query), and the Location the app answers with is what a browser would follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';

/** `next=` values, raw as in a link's query string, that must end on `/`. */
const HOSTILE: [string, string][] = [
	['a tab', '/%09/evil.example/phish'],
	['a carriage return', '/%0d/evil.example/phish'],
	['a line feed', '/%0a/evil.example/phish'],
	['a backslash', '/%5cevil.example/phish'],
	['a raw backslash', '/\\evil.example/phish'],
	['encoded slashes', '%2f%2fevil.example/phish'],
	['a slash then encoded slashes', '/%2f%2fevil.example/phish'],
	['protocol-relative', '//evil.example/phish'],
	['an absolute URL', 'https%3A%2F%2Fevil.example%2Fphish'],
	['an absolute URL with a tab in the scheme', 'ht%09tps://evil.example/phish'],
	['javascript:', 'javascript:alert(document.cookie)'],
	['javascript: encoded', 'javascript%3Aalert(1)']
];

/** A good `next`: a path with a query and a hash, kept as it is. */
const GOOD = {
	raw: encodeURIComponent('/users?q=a b&page=2#list'),
	location: '/users?q=a%20b&page=2#list'
};

describe('redirect targets', () => {
	let app: RunningApp;
	beforeAll(async () => {
		app = await startApp();
	});
	afterAll(() => app?.dispose());

	const target = (r: Response) => r.headers.get('location');
	/**
	 * Where a sign-in sends the admin on: first to the code step (the admin has a second
	 * factor), which carries the checked `next` along.
	 */
	const onward = (r: Response) => {
		const to = new URL(target(r) ?? '', 'http://x');
		expect(to.pathname).toBe('/two-factor');
		return to.searchParams.get('next');
	};

	it.each(HOSTILE)('the language switch refuses %s', async (_, raw) => {
		const r = await app.fetch(`/language?locale=en&next=${raw}`);
		expect(r.status).toBe(303);
		expect(target(r)).toBe('/');
		// The language is still switched.
		expect(r.headers.getSetCookie().some((c) => c.startsWith('PARAGLIDE_LOCALE=en'))).toBe(true);
	});

	it('the language switch keeps a path of the app, with its query and hash', async () => {
		const r = await app.fetch(`/language?locale=en&next=${GOOD.raw}`);
		expect(r.status).toBe(303);
		expect(target(r)).toBe(GOOD.location);
	});

	it('drops line breaks: no header is injected and no 500, the path stays on the app', async () => {
		const r = await app.fetch('/language?locale=en&next=/%0d%0aSet-Cookie:%20x=1');
		expect(r.status).toBe(303);
		expect(target(r)).toBe('/Set-Cookie:%20x=1');
		expect(r.headers.getSetCookie().some((c) => c.startsWith('x='))).toBe(false);
	});

	it.each(HOSTILE)('a real sign-in refuses %s', async (_, raw) => {
		const r = await app.fetch(`/sign-in?next=${raw}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ username: ADMIN.username, password: ADMIN.password })
		});
		expect(r.status).toBe(303);
		expect(r.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(true);
		expect(onward(r)).toBe('/');
	});

	it('a real sign-in goes on to a path of the app, with its query and hash', async () => {
		const r = await app.fetch(`/sign-in?next=${GOOD.raw}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ username: ADMIN.username, password: ADMIN.password })
		});
		expect(r.status).toBe(303);
		expect(onward(r)).toBe(GOOD.location);
	});

	it('the sign-in page of a signed-in user refuses a hostile next and keeps a good one', async () => {
		const { cookie } = await app.signIn(ADMIN.username, ADMIN.password);
		for (const [, raw] of HOSTILE) {
			const r = await app.fetch(`/sign-in?next=${raw}`, { cookie });
			expect([r.status, target(r)]).toEqual([303, '/']);
		}
		const good = await app.fetch(`/sign-in?next=${GOOD.raw}`, { cookie });
		expect([good.status, target(good)]).toEqual([303, GOOD.location]);
	});
});
