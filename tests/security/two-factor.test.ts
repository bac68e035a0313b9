// The second factor and sudo mode against the built app: a session signed in by password only
// reaches nothing but its second step (every route of the route tree, generated from
// src/routes), nor the API with its cookie; an admin without a factor must set one up first;
// and each action of auth/sudo.ts sends a signed-in admin to confirm it is them first.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user } from '$lib/server/db/schema';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample } from '../factories/samples';
import { eq } from 'drizzle-orm';

const PASSWORD = 'correct horse battery';
const ROUTES = resolve(import.meta.dirname, '../../src/routes');
const CAMPAIGN = 'sudo-2026';

/** A value for each route parameter, so that every route of the tree can be requested. */
const PARAMS: Record<string, string> = {
	year: '2026',
	code: CAMPAIGN,
	id: '1',
	no: 'X-1',
	format: 'csv',
	kind: 'departments',
	key: 'k',
	doc: 'formats',
	token: 'a'.repeat(32),
	version: '1',
	path: 'v1/x'
};

interface Entry {
	path: string;
	file: string;
	/** A page's form actions. */
	actions: string[];
	/** The HTTP methods an endpoint answers (GET for a page). */
	methods: string[];
}

/** Every page and endpoint of the signed-in app (`(app)`), with its actions. */
function appRoutes(): Entry[] {
	const out: Entry[] = [];
	for (const file of readdirSync(join(ROUTES, '(app)'), { recursive: true, encoding: 'utf8' })) {
		const m = /^(.*?)\/?\+(page\.server|server)\.ts$/.exec(file);
		if (!m) continue;
		const path =
			'/' +
			m[1]!
				.split('/')
				.filter(Boolean)
				.map((seg) =>
					seg.replace(/^\[(?:\.\.\.)?([a-z]+)(?:=[a-z]+)?\]$/, (_, p: string) => PARAMS[p]!)
				)
				.join('/');
		const text = readFileSync(join(ROUTES, '(app)', file), 'utf8');
		const page = m[2] === 'page.server';
		const actions = page ? [...text.matchAll(/^\t(\w+): async \(event\)/gm)].map((a) => a[1]!) : [];
		const methods = page
			? ['GET']
			: [...text.matchAll(/^export const (GET|POST|PUT|PATCH|DELETE)\b/gm)].map((x) => x[1]!);
		out.push({ path, file, actions, methods });
	}
	return out;
}

describe('the second factor', () => {
	let app: RunningApp;
	let leaderId = 0;
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeUser(db, { username: 'leader-2fa', role: 'leader' });
				const c = await makeCampaign(db, { year: 2026, code: CAMPAIGN, kind: 'enterprise_visit' });
				await makeSample(db, c.id, { units: 3 });
				const [l] = await db
					.select({ id: user.id })
					.from(user)
					.where(eq(user.username, 'leader-2fa'));
				leaderId = l!.id;
			}
		});
	});
	afterAll(() => app?.dispose());

	it('sends a password-only admin session to the code step from every route of the app', async () => {
		const { cookie, response } = await app.signIn(ADMIN.username, ADMIN.password, {
			secondStep: false
		});
		expect(new URL(response.headers.get('location')!, app.baseUrl).pathname).toBe('/two-factor');
		const routes = appRoutes();
		expect(routes.length).toBeGreaterThan(60);
		const toStep = (r: Response) =>
			r.status === 303 &&
			new URL(r.headers.get('location')!, app.baseUrl).pathname === '/two-factor';
		for (const { path, file, actions, methods } of routes) {
			expect(methods.length, file).toBeGreaterThan(0);
			for (const method of methods) {
				const r = await app.fetch(path, { cookie, method });
				expect(toStep(r), `${method} ${path} (${file})`).toBe(true);
			}
			if (file.endsWith('+page.server.ts')) {
				const data = await app.fetch(`${path}/__data.json`, { cookie });
				const body = (await data.json()) as { type: string; location?: string };
				expect(body.location ?? '', `${path}/__data.json`).toMatch(/^\/two-factor/);
			}
			for (const action of actions) {
				const target = action === 'default' ? path : `${path}?/${action}`;
				const r = await app.fetch(target, {
					cookie,
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: ''
				});
				expect(toStep(r), `POST ${target}`).toBe(true);
			}
		}
		// The start page, too; the public pages stay public (nobody is signed in for them).
		expect(toStep(await app.fetch('/', { cookie }))).toBe(true);
		expect((await app.fetch('/results', { cookie })).status).toBe(200);
		// The code step itself is open to it, and signing out works.
		expect((await app.fetch('/two-factor', { cookie })).status).toBe(200);
		const out = await app.fetch('/sign-out', { cookie, method: 'POST' });
		expect(out.status).toBe(303);
		expect((await app.fetch('/two-factor', { cookie })).headers.get('location')).toMatch(
			/^\/sign-in/
		);
	});

	it('gives a stolen half-signed-in cookie nothing of the API or the pages', async () => {
		const { cookie } = await app.signIn(ADMIN.username, ADMIN.password, { secondStep: false });
		// The API never reads the cookie: as if nobody had asked.
		expect((await app.fetch('/api/v1/complaints/stats', { cookie })).status).toBe(401);
		const posted = await app.fetch('/api/v1/responses', {
			cookie,
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '[]'
		});
		expect(posted.status).toBe(401);
		const users = await app.fetch('/users', { cookie });
		expect(users.status).toBe(303);
		expect(await users.text()).not.toContain(ADMIN.username);
		// A wrong code keeps it half signed in; the right one completes it.
		const wrong = await app.fetch('/two-factor?/totp', {
			cookie,
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ code: '000000' })
		});
		expect(wrong.status).toBe(400);
		expect((await app.fetch('/users', { cookie })).status).toBe(303);
		const right = await app.fetch('/two-factor?/totp', {
			cookie,
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ code: await app.totp.next(ADMIN.username), next: '/users' })
		});
		expect(right.status).toBe(303);
		expect(right.headers.get('location')).toBe('/users');
		expect((await app.fetch('/users', { cookie })).status).toBe(200);
	});

	describe('sudo mode', () => {
		let admin = '';
		beforeAll(async () => {
			admin = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
		});
		const post = (path: string, body: Record<string, string> = {}) =>
			app.fetch(path, {
				cookie: admin,
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(body)
			});
		const toSudo = (r: Response, next: string) => {
			expect(r.status).toBe(303);
			const to = new URL(r.headers.get('location')!, app.baseUrl);
			expect(to.pathname).toBe('/sudo');
			expect(to.searchParams.get('next')).toBe(next);
		};

		it.each([
			['publishing results', 'POST', '/years/2026/publish', '/years/2026/publish'],
			[
				'exporting responses with identities',
				'GET',
				`/campaigns/${CAMPAIGN}/responses/download/csv?identity=1`,
				`/campaigns/${CAMPAIGN}/responses/download/csv?identity=1`
			],
			[
				'exporting invitations',
				'GET',
				`/campaigns/${CAMPAIGN}/invitations/csv`,
				`/campaigns/${CAMPAIGN}/invitations/csv`
			],
			[
				'revealing a page of phone numbers',
				'GET',
				`/campaigns/${CAMPAIGN}/sample?phones=1`,
				`/campaigns/${CAMPAIGN}/sample?phones=1`
			],
			['issuing an API token', 'POST', '/tokens?/issue', '/tokens'],
			['generating new recovery codes', 'POST', '/account?/regenerateCodes', '/account'],
			['resetting a second factor', 'POST', '/users/1?/resetSecondFactor', '/users/1']
		])('is required before %s', async (_, method, path, next) => {
			toSudo(method === 'GET' ? await app.fetch(path, { cookie: admin }) : await post(path), next);
		});

		it('masks the sample’s numbers until asked for, and shows them in sudo mode', async () => {
			const masked = await (
				await app.fetch(`/campaigns/${CAMPAIGN}/sample`, { cookie: admin })
			).text();
			expect(masked).toMatch(/\d{3}\*{4}\d{4}/);
			const wrong = await post(`/sudo?/password&next=${encodeURIComponent('/tokens')}`, {
				password: 'wrong'
			});
			expect(wrong.status).toBe(400);
			const ok = await post(
				`/sudo?/password&next=${encodeURIComponent(`/campaigns/${CAMPAIGN}/sample?phones=1`)}`,
				{
					password: ADMIN.password
				}
			);
			expect(ok.status).toBe(303);
			expect(ok.headers.get('location')).toBe(`/campaigns/${CAMPAIGN}/sample?phones=1`);
			const shown = await app.fetch(`/campaigns/${CAMPAIGN}/sample?phones=1`, { cookie: admin });
			expect(shown.status).toBe(200);
			expect(await shown.text()).not.toMatch(/\d{3}\*{4}\d{4}/);
			// An API token may be issued now; ten minutes later, sudo again.
			const issued = await post('/tokens?/issue', { name: 'sudo-test', role: 'supervisor' });
			expect(issued.status).toBe(200);
			app.advanceClock(10 * 60_000 + 1_000);
			// The session itself must outlive the wait: touch it is not needed (idle 30 min).
			toSudo(await post('/tokens?/issue', { name: 'sudo-test-2', role: 'supervisor' }), '/tokens');
		});

		it('lets an admin reset a leader’s second factor; the leader must then set one up first', async () => {
			const admin2 = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
			await app.sudo(admin2, ADMIN.password);
			const reset = await app.fetch(`/users/${leaderId}?/resetSecondFactor`, {
				cookie: admin2,
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: ''
			});
			expect(reset.status).toBe(303);
			const half = await app.signIn('leader-2fa', PASSWORD, { secondStep: false });
			expect(new URL(half.response.headers.get('location')!, app.baseUrl).pathname).toBe(
				'/two-factor/setup'
			);
			for (const path of ['/dashboard', '/account', '/two-factor']) {
				const r = await app.fetch(path, { cookie: half.cookie });
				expect(new URL(r.headers.get('location')!, app.baseUrl).pathname, path).toBe(
					'/two-factor/setup'
				);
			}
			const page = await (await app.fetch('/two-factor/setup', { cookie: half.cookie })).text();
			expect(page).toContain('data-testid="totp-key"');
			expect(page).toContain('<svg');
			// The helper sets it up as a person would (reading the key from the page).
			const full = await app.signIn('leader-2fa', PASSWORD);
			expect((await app.fetch('/dashboard', { cookie: full.cookie })).status).toBe(200);
		});
	});
});
