// Sign-in throttling against the built app: per username and per client address, checked before
// the password, so even the right password is refused while blocked. Requests leave from
// distinct loopback addresses (127.0.0.x) so the app sees distinct clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { startApp, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';

const PASSWORD = 'correct horse battery';

/** The message as the page shows it, with any number of seconds. */
function messagePattern(locale: 'zh-CN' | 'en'): RegExp {
	const [before, after] = m.auth_throttled({ seconds: '§' }, { locale }).split('§') as [
		string,
		string
	];
	const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`${escape(before)}\\d+${escape(after)}`);
}

describe('sign-in throttling', () => {
	let app: RunningApp;
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				for (const username of ['victim', 'bystander', 'neighbour'])
					await makeUser(db, { username, role: 'supervisor' });
			}
		});
	});
	afterAll(() => app?.dispose());

	it('refuses the 6th attempt on a username, even with the right password, with the message', async () => {
		// Five failures, each from another address, so only the username's count reaches five.
		for (let i = 1; i <= 5; i++) {
			const r = await app.signIn('victim', 'wrong password', { from: `127.0.0.${10 + i}` });
			expect(r.response.status).toBe(400);
			expect(await r.response.text()).toContain(m.auth_invalid({}, { locale: 'zh-CN' }));
		}
		const blocked = await app.signIn('victim', PASSWORD, { from: '127.0.0.16' });
		expect(blocked.response.status).toBe(429);
		expect(blocked.cookie).toBeNull();
		expect(await blocked.response.text()).toMatch(messagePattern('zh-CN'));

		// In the user's language.
		const english = await app.signIn('victim', PASSWORD, {
			from: '127.0.0.16',
			headers: { cookie: 'PARAGLIDE_LOCALE=en' }
		});
		expect(english.response.status).toBe(429);
		expect(await english.response.text()).toMatch(messagePattern('en'));

		// The address itself is not blocked: another account signs in from it.
		const other = await app.signIn('bystander', PASSWORD, { from: '127.0.0.16' });
		expect(other.response.status).toBe(303);
		expect(other.cookie).toBeTruthy();
	});

	it('refuses the 6th attempt from one address, whatever the username', async () => {
		const from = '127.0.0.30';
		for (let i = 1; i <= 5; i++) {
			const r = await app.signIn(`nobody-${i}`, 'wrong password', { from });
			expect(r.response.status).toBe(400);
		}
		const blocked = await app.signIn('neighbour', PASSWORD, { from });
		expect(blocked.response.status).toBe(429);
		expect(blocked.cookie).toBeNull();
		expect(await blocked.response.text()).toMatch(messagePattern('zh-CN'));

		// The same account from another address is not blocked.
		const elsewhere = await app.signIn('neighbour', PASSWORD, { from: '127.0.0.31' });
		expect(elsewhere.response.status).toBe(303);
		expect(elsewhere.cookie).toBeTruthy();
	});

	it('lets a blocked key try again after the delay, and blocks longer after another failure', async () => {
		const from = '127.0.0.40';
		for (let i = 1; i <= 5; i++) await app.signIn(`stranger-${i}`, 'wrong password', { from });
		expect((await app.signIn('neighbour', PASSWORD, { from })).response.status).toBe(429);
		app.advanceClock(6_000);
		// A sixth failure once the first delay is over doubles the delay.
		expect((await app.signIn('stranger-6', 'wrong password', { from })).response.status).toBe(400);
		app.advanceClock(6_000);
		expect((await app.signIn('neighbour', PASSWORD, { from })).response.status).toBe(429);
		app.advanceClock(5_000);
		const allowed = await app.signIn('neighbour', PASSWORD, { from });
		expect(allowed.response.status).toBe(303);
		expect(allowed.cookie).toBeTruthy();
	});
});
