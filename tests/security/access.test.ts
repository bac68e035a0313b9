// Who may reach what, against the built app: anonymous visitors go to sign-in; a liaison reaches
// its own department and nothing of another's or of the admin pages, neither as a page nor
// through `__data.json` (what client-side navigation fetches), nor by posting to an action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';

const PASSWORD = 'correct horse battery';
// Example departments every fresh database has (src/lib/server/departments/examples.ts).
const OWN = { code: 'fgj', nameZh: '市发展和改革局', nameEn: 'Development and Reform Bureau' };
const OTHER = { code: 'czj', nameZh: '市财政局', nameEn: 'Finance Bureau' };

const ADMIN_PAGES = ['/users', '/users/new', '/users/1', '/audit', '/settings'];

interface DataJson {
	type: 'data' | 'redirect' | 'error';
	location?: string;
	nodes?: ({ type: 'data' } | { type: 'skip' } | { type: 'error'; status?: number })[];
}

/** The status a `__data.json` answer carries for the page itself (its last node). */
function pageStatus(body: DataJson): number | undefined {
	const last = body.nodes?.at(-1);
	return last?.type === 'error' ? last.status : last?.type === 'data' ? 200 : undefined;
}

describe('access control', () => {
	let app: RunningApp;
	let liaison: string;
	let supervisor: string;
	let leader: string;
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeUser(db, { username: 'liaison-own', role: 'liaison', departmentCode: OWN.code });
				await makeUser(db, { username: 'supervisor', role: 'supervisor' });
				await makeUser(db, { username: 'leader', role: 'leader' });
			}
		});
		liaison = (await app.signIn('liaison-own', PASSWORD)).cookie!;
		supervisor = (await app.signIn('supervisor', PASSWORD)).cookie!;
		leader = (await app.signIn('leader', PASSWORD)).cookie!;
		expect(leader).toBeTruthy();
		expect(liaison).toBeTruthy();
		expect(supervisor).toBeTruthy();
	});
	afterAll(() => app?.dispose());

	it.each([...ADMIN_PAGES, '/departments', `/departments/${OWN.code}`, '/account'])(
		'sends an anonymous visitor of %s to sign-in, and back afterwards',
		async (path) => {
			const r = await app.fetch(path);
			expect(toSignIn(r)).toBe(true);
			const next = new URL(r.headers.get('location')!, app.baseUrl).searchParams.get('next');
			expect(next).toBe(path);
			const data = await app.fetch(`${path === '/' ? '' : path}/__data.json`);
			const body = (await data.json()) as DataJson;
			expect(body.type).toBe('redirect');
			expect(body.location).toMatch(/^\/sign-in/);
		}
	);

	it.each(ADMIN_PAGES)('refuses a liaison %s with 403, also as __data.json', async (path) => {
		const r = await app.fetch(path, { cookie: liaison });
		expect(r.status).toBe(403);
		const data = await app.fetch(`${path}/__data.json`, { cookie: liaison });
		expect(pageStatus((await data.json()) as DataJson)).toBe(403);
	});

	it.each(ADMIN_PAGES)('refuses a supervisor %s with 403', async (path) => {
		const r = await app.fetch(path, { cookie: supervisor });
		expect(r.status).toBe(403);
	});

	it("shows a liaison its own department's page", async () => {
		const r = await app.fetch(`/departments/${OWN.code}`, { cookie: liaison });
		expect(r.status).toBe(200);
		expect(await r.text()).toContain(OWN.nameZh);
		const data = await app.fetch(`/departments/${OWN.code}/__data.json`, { cookie: liaison });
		const text = await data.text();
		expect(pageStatus(JSON.parse(text) as DataJson)).toBe(200);
		expect(text).toContain(OWN.nameEn);
		// The list is the own department's page for a liaison.
		const list = await app.fetch('/departments', { cookie: liaison });
		expect(list.status).toBe(303);
		expect(list.headers.get('location')).toBe(`/departments/${OWN.code}`);
	});

	it("refuses a liaison another department's page with 403, also as __data.json", async () => {
		const r = await app.fetch(`/departments/${OTHER.code}`, { cookie: liaison });
		expect(r.status).toBe(403);
		const html = await r.text();
		expect(html).not.toContain(OTHER.nameZh);
		expect(html).not.toContain(OTHER.nameEn);

		const data = await app.fetch(`/departments/${OTHER.code}/__data.json`, { cookie: liaison });
		const text = await data.text();
		expect(pageStatus(JSON.parse(text) as DataJson)).toBe(403);
		expect(text).not.toContain(OTHER.nameZh);
		expect(text).not.toContain(OTHER.nameEn);

		// Whether a code exists is not revealed either.
		const unknown = await app.fetch('/departments/no-such-code', { cookie: liaison });
		expect(unknown.status).toBe(403);
	});

	it('refuses a liaison the department actions, for its own and other departments', async () => {
		for (const code of [OTHER.code, OWN.code]) {
			const r = await app.fetch(`/departments/${code}?/update`, {
				method: 'POST',
				cookie: liaison,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ nameZh: '改名', nameEn: 'Renamed', active: 'true' })
			});
			expect(r.status).toBe(403);
		}
		const after = await app.fetch(`/departments/${OWN.code}`, { cookie: liaison });
		const html = await after.text();
		expect(html).toContain(OWN.nameZh);
		expect(html).not.toContain('Renamed');
		for (const path of ['/departments/new', '/departments/import']) {
			expect((await app.fetch(path, { cookie: liaison })).status).toBe(403);
		}
	});

	it('refuses a liaison the admin actions', async () => {
		const r = await app.fetch('/users/1?/password', {
			method: 'POST',
			cookie: liaison,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ password: 'taken over by liaison', confirm: 'yes' })
		});
		expect(r.status).toBe(403);
		const admin = await app.signIn('admin', 'taken over by liaison');
		expect(admin.cookie).toBeNull();
	});

	it('lets a leader view users but change nothing (roles.md: users — leader views)', async () => {
		for (const path of ['/users', '/users/1']) {
			const r = await app.fetch(path, { cookie: leader });
			expect(r.status).toBe(200);
			const html = await r.text();
			expect(html).not.toContain('data-testid="user-update-form"');
			expect(html).not.toContain('data-testid="users-new"');
		}
		for (const path of ['/users/new', '/audit']) {
			expect((await app.fetch(path, { cookie: leader })).status).toBe(403);
		}
		const r = await app.fetch('/users/1?/password', {
			method: 'POST',
			cookie: leader,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ password: 'taken over by leader', confirm: 'yes' })
		});
		expect(r.status).toBe(403);
		expect((await app.signIn('admin', 'taken over by leader')).cookie).toBeNull();
	});

	it('lets a supervisor see every department', async () => {
		for (const d of [OWN, OTHER]) {
			const r = await app.fetch(`/departments/${d.code}`, { cookie: supervisor });
			expect(r.status).toBe(200);
			expect(await r.text()).toContain(d.nameZh);
		}
	});
});
