// Session promises, against the built app: cookie name and flags, idle and absolute expiry (on
// the app's fake clock), sign-out, invalidation on a password change, and session fixation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PASSWORD = 'correct horse battery';
const STAFF = [
	'staff-idle',
	'staff-absolute',
	'staff-signout',
	'staff-password',
	'staff-role',
	'fix-a',
	'fix-b'
];

/** Where `GET /` sends this cookie's holder: '/sign-in' when the session is not valid. */
async function landing(app: RunningApp, cookie: string | null): Promise<string> {
	const r = await app.fetch('/', { cookie });
	expect(r.status).toBe(303);
	return new URL(r.headers.get('location')!, app.baseUrl).pathname;
}

async function signedIn(app: RunningApp, username: string, password = PASSWORD) {
	const s = await app.signIn(username, password);
	expect(s.response.status).toBe(303);
	expect(s.cookie).toBeTruthy();
	return s.cookie!;
}

describe('sessions over plain http', () => {
	let app: RunningApp;
	const ids: Record<string, number> = {};
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				for (const username of STAFF)
					ids[username] = (await makeUser(db, { username, role: 'supervisor' })).id;
				await makeUser(db, { username: 'enterprise-idle', role: 'enterprise' });
			}
		});
	});
	afterAll(() => app?.dispose());

	it('sets an HttpOnly, SameSite=Lax cookie named `session`, without Secure', async () => {
		const { response, setCookie } = await app.signIn(ADMIN.username, ADMIN.password);
		expect(response.status).toBe(303);
		expect(setCookie).toMatch(/^session=[a-z0-9]+\.[a-z0-9]+;/);
		const attributes = setCookie!.split(/;\s*/).slice(1);
		expect(attributes).toContain('Path=/');
		expect(attributes).toContain('HttpOnly');
		expect(attributes).toContain('SameSite=Lax');
		expect(attributes.some((a) => /^Secure$/i.test(a))).toBe(false);
		expect(attributes.some((a) => /^Domain=/i.test(a))).toBe(false);
	});

	it('refuses a session cookie whose secret is wrong, and deletes it', async () => {
		const cookie = await signedIn(app, 'staff-signout');
		const [name, token] = cookie.split('=') as [string, string];
		const forged = `${name}=${token.split('.')[0]}.${'a'.repeat(32)}`;
		const r = await app.fetch('/', { cookie: forged });
		expect(toSignIn(r)).toBe(true);
		expect(r.headers.getSetCookie().some((c) => /^session=;.*Max-Age=0/i.test(c))).toBe(true);
		expect(await landing(app, cookie)).toBe('/home');
	});

	it('signs out only by POST, and the old cookie is then refused', async () => {
		const cookie = await signedIn(app, 'staff-signout');
		const get = await app.fetch('/sign-out', { cookie });
		expect(get.status).toBe(405);
		expect(await landing(app, cookie)).toBe('/home');

		const post = await app.fetch('/sign-out', { method: 'POST', cookie });
		expect(toSignIn(post)).toBe(true);
		expect(post.headers.getSetCookie().some((c) => /^session=;.*Max-Age=0/i.test(c))).toBe(true);
		// Replaying the cookie a browser would have dropped: the session is gone on the server.
		expect(await landing(app, cookie)).toBe('/sign-in');
		const again = await app.fetch('/departments', { cookie });
		expect(toSignIn(again)).toBe(true);
	});

	it('ends every session of a user whose password an admin resets', async () => {
		const first = await signedIn(app, 'staff-password');
		const second = await signedIn(app, 'staff-password');
		const other = await signedIn(app, 'staff-idle');
		expect(await landing(app, first)).toBe('/home');
		const admin = await signedIn(app, ADMIN.username, ADMIN.password);
		// The admin's reset on the users page.
		const reset = await app.fetch(`/users/${ids['staff-password']}?/password`, {
			method: 'POST',
			cookie: admin,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ password: 'a brand new password', confirm: 'yes' })
		});
		expect(reset.status).toBe(303);
		expect(await landing(app, first)).toBe('/sign-in');
		expect(await landing(app, second)).toBe('/sign-in');
		// Only that user's sessions end.
		expect(await landing(app, other)).toBe('/home');
		expect(await landing(app, admin)).toBe('/dashboard');
		expect((await app.signIn('staff-password', PASSWORD)).cookie).toBeNull();
		const renewed = await signedIn(app, 'staff-password', 'a brand new password');
		expect(await landing(app, renewed)).toBe('/home');
	});

	it('ends the sessions of a user whose role or department an admin changes, or who is disabled', async () => {
		const admin = await signedIn(app, ADMIN.username, ADMIN.password);
		const asAdmin = (path: string, form: Record<string, string>) =>
			app.fetch(path, {
				method: 'POST',
				cookie: admin,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(form)
			});
		const id = ids['staff-role'];

		let cookie = await signedIn(app, 'staff-role');
		const role = await asAdmin(`/users/${id}?/update`, {
			displayName: 'Test User',
			role: 'leader',
			departmentCode: ''
		});
		expect(role.status).toBe(303);
		expect(await landing(app, cookie)).toBe('/sign-in');

		cookie = await signedIn(app, 'staff-role');
		const department = await asAdmin(`/users/${id}?/update`, {
			displayName: 'Test User',
			role: 'leader',
			departmentCode: 'fgj'
		});
		expect(department.status).toBe(303);
		expect(await landing(app, cookie)).toBe('/sign-in');

		// A change of display name alone is not a reason to sign anyone out.
		cookie = await signedIn(app, 'staff-role');
		const name = await asAdmin(`/users/${id}?/update`, {
			displayName: 'Renamed',
			role: 'leader',
			departmentCode: 'fgj'
		});
		expect(name.status).toBe(303);
		expect(await landing(app, cookie)).toBe('/dashboard');

		const disabled = await asAdmin(`/users/${id}?/status`, { disabled: 'true', confirm: 'yes' });
		expect(disabled.status).toBe(303);
		expect(await landing(app, cookie)).toBe('/sign-in');
		expect((await app.signIn('staff-role', PASSWORD)).cookie).toBeNull();
	});

	it('never keeps a session token presented at sign-in (fixation)', async () => {
		// An attacker's own valid session, planted in the victim's browser before sign-in.
		const planted = await signedIn(app, 'fix-a');
		const victim = await app.signIn('fix-b', PASSWORD, { cookie: planted });
		expect(victim.response.status).toBe(303);
		expect(victim.cookie).toBeTruthy();
		expect(victim.cookie).not.toBe(planted);
		expect(await landing(app, planted)).toBe('/sign-in');
		expect(await landing(app, victim.cookie)).toBe('/home');

		// A made-up token is not adopted either.
		const madeUp = 'session=aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
		const fresh = await app.signIn('fix-b', PASSWORD, { cookie: madeUp });
		expect(fresh.cookie).toBeTruthy();
		expect(fresh.cookie).not.toBe(madeUp);
	});

	// The clock only moves forward, so the expiry tests come last.
	it('ends a staff session after 30 minutes idle, not before', async () => {
		const cookie = await signedIn(app, 'staff-idle');
		app.advanceClock(29 * MINUTE);
		expect(await landing(app, cookie)).toBe('/home');
		// Activity moved the idle window: another 29 minutes is still within it.
		app.advanceClock(29 * MINUTE);
		expect(await landing(app, cookie)).toBe('/home');
		app.advanceClock(30 * MINUTE + 1_000);
		expect(await landing(app, cookie)).toBe('/sign-in');
	});

	it('ends an enterprise session after one hour idle, not before', async () => {
		const cookie = await signedIn(app, 'enterprise-idle');
		app.advanceClock(45 * MINUTE);
		expect(await landing(app, cookie)).toBe('/home');
		app.advanceClock(59 * MINUTE);
		expect(await landing(app, cookie)).toBe('/home');
		app.advanceClock(60 * MINUTE + 1_000);
		expect(await landing(app, cookie)).toBe('/sign-in');
	});

	it('ends a staff session 12 hours after sign-in even with activity every 20 minutes', async () => {
		const cookie = await signedIn(app, 'staff-absolute');
		for (let elapsed = 20 * MINUTE; elapsed < 12 * HOUR; elapsed += 20 * MINUTE) {
			app.advanceClock(20 * MINUTE);
			expect(await landing(app, cookie)).toBe('/home');
		}
		app.advanceClock(20 * MINUTE);
		expect(await landing(app, cookie)).toBe('/sign-in');
	});
});

describe('sessions behind https', () => {
	let app: RunningApp;
	beforeAll(async () => {
		app = await startApp({ scheme: 'https' });
	});
	afterAll(() => app?.dispose());

	it('names the cookie __Host-session with Secure, HttpOnly, SameSite=Lax and Path=/', async () => {
		const { response, setCookie, cookie } = await app.signIn(ADMIN.username, ADMIN.password);
		expect(response.status).toBe(303);
		expect(setCookie).toMatch(/^__Host-session=[a-z0-9]+\.[a-z0-9]+;/);
		const attributes = setCookie!.split(/;\s*/).slice(1);
		expect(attributes).toEqual(
			expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax'])
		);
		// `__Host-` cookies must not name a Domain, or browsers drop them.
		expect(attributes.some((a) => /^Domain=/i.test(a))).toBe(false);
		expect(await landing(app, cookie)).toBe('/dashboard');
		// The same token under the plain name is not a session here.
		expect(await landing(app, cookie!.replace('__Host-session=', 'session='))).toBe('/sign-in');
	});
});
