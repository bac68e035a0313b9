// Signing in: wrong and unknown credentials, the throttle per username and per client address
// (read before any hashing, growing delay), and session fixation. Each test uses its own
// usernames and addresses, and an explicit clock, so the throttle rows never meet.
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { signIn } from '$lib/server/auth/sign-in';
import { createSession, validateSessionToken } from '$lib/server/auth/session';
import { auditEntry, session, signInThrottle, user } from '$lib/server/db/schema';
import type { Database } from '$lib/server/db';
import { describeEachDatabase } from '../helpers/db';
import { makeUser, unique } from '../factories';

const T0 = new Date('2025-04-01T01:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let addressCounter = 0;
const newAddress = () => `192.0.2.${++addressCounter}`;

async function throttleRow(db: Database, key: string) {
	const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
	return row ?? null;
}

async function sessionsOf(db: Database, userId: number) {
	return db.select().from(session).where(eq(session.userId, userId));
}

describeEachDatabase('sign-in', (t) => {
	it('refuses a wrong password and counts the failure', async () => {
		const u = await makeUser(t.db, { role: 'supervisor' });
		const address = newAddress();
		const r = await signIn(t.db, { username: u.username, password: 'wrong-password', address }, T0);
		expect(r).toEqual({ ok: false, reason: 'invalid' });
		expect(await sessionsOf(t.db, u.id)).toEqual([]);
		expect((await throttleRow(t.db, `u:${u.username}`))!.failures).toBe(1);
		expect((await throttleRow(t.db, `a:${address}`))!.failures).toBe(1);
	});

	it('refuses an unknown username the same way', async () => {
		const username = unique('ghost');
		const r = await signIn(
			t.db,
			{ username, password: 'whatever-password', address: newAddress() },
			T0
		);
		expect(r).toEqual({ ok: false, reason: 'invalid' });
		expect((await throttleRow(t.db, `u:${username}`))!.failures).toBe(1);
	});

	it('refuses a disabled account even with the right password', async () => {
		const u = await makeUser(t.db, { role: 'leader' });
		// Directly: this is about sign-in, not about the verb that disables.
		await t.db.update(user).set({ disabled: true }).where(eq(user.id, u.id));
		const r = await signIn(
			t.db,
			{ username: u.username, password: u.password, address: newAddress() },
			T0
		);
		expect(r).toEqual({ ok: false, reason: 'invalid' });
		expect(await sessionsOf(t.db, u.id)).toEqual([]);
	});

	it('signs in with the right password and audits it; the password is case-sensitive', async () => {
		const u = await makeUser(t.db, { role: 'supervisor' });
		const r = await signIn(
			t.db,
			{ username: `  ${u.username} `, password: u.password, address: newAddress() },
			T0
		);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		const valid = await validateSessionToken(t.db, r.token, at(1));
		expect(valid?.user.id).toBe(u.id);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'session.sign_in'), eq(auditEntry.entityId, String(u.id))));
		expect(entry).toMatchObject({ actorId: u.id, actorLabel: u.username });
		const wrongCase = await signIn(
			t.db,
			{ username: u.username, password: u.password.toUpperCase(), address: newAddress() },
			T0
		);
		expect(wrongCase.ok).toBe(false);
	});

	it('throttles a username after 5 failures from any addresses, even the right password', async () => {
		const u = await makeUser(t.db, { role: 'supervisor' });
		for (let i = 0; i < 5; i++) {
			const r = await signIn(
				t.db,
				{ username: u.username, password: `guess-${i}`, address: newAddress() },
				T0
			);
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		// The throttle is read before the password is even looked at: the right one is refused.
		const blocked = await signIn(
			t.db,
			{ username: u.username, password: u.password, address: newAddress() },
			at(1)
		);
		expect(blocked).toEqual({ ok: false, reason: 'throttled', retryAfter: 4 });
		expect(await sessionsOf(t.db, u.id)).toEqual([]);
		// A throttled attempt is not a failure: it does not lengthen the wait.
		expect((await throttleRow(t.db, `u:${u.username}`))!.failures).toBe(5);
		const later = await signIn(
			t.db,
			{ username: u.username, password: u.password, address: newAddress() },
			at(5)
		);
		expect(later.ok).toBe(true);
	});

	it('throttles a client address after 5 failures across usernames', async () => {
		const address = newAddress();
		for (let i = 0; i < 5; i++) {
			await signIn(t.db, { username: unique('nobody'), password: 'x-password', address }, T0);
		}
		const u = await makeUser(t.db, { role: 'leader' });
		const fromThere = await signIn(
			t.db,
			{ username: u.username, password: u.password, address },
			at(2)
		);
		expect(fromThere).toEqual({ ok: false, reason: 'throttled', retryAfter: 3 });
		const elsewhere = await signIn(
			t.db,
			{ username: u.username, password: u.password, address: newAddress() },
			at(2)
		);
		expect(elsewhere.ok).toBe(true);
	});

	it('makes each further failure wait twice as long', async () => {
		const u = await makeUser(t.db, { role: 'supervisor' });
		const attempt = (seconds: number) =>
			signIn(
				t.db,
				{ username: u.username, password: 'still-wrong', address: newAddress() },
				at(seconds)
			);
		for (let i = 0; i < 5; i++) await attempt(0);
		expect(await attempt(0)).toMatchObject({ reason: 'throttled', retryAfter: 5 });
		// Each failure once the wait is over doubles the next wait: 10 s, 20 s, 40 s.
		let now = 5;
		for (const wait of [10, 20, 40]) {
			expect(await attempt(now)).toEqual({ ok: false, reason: 'invalid' });
			expect(await attempt(now)).toEqual({ ok: false, reason: 'throttled', retryAfter: wait });
			now += wait;
		}
		expect((await throttleRow(t.db, `u:${u.username}`))!.failures).toBe(8);
	});

	it('clears the username counter on success, not the address counter', async () => {
		const u = await makeUser(t.db, { role: 'supervisor' });
		const address = newAddress();
		for (let i = 0; i < 4; i++) {
			await signIn(t.db, { username: u.username, password: `nope-${i}`, address }, T0);
		}
		const ok = await signIn(t.db, { username: u.username, password: u.password, address }, T0);
		expect(ok.ok).toBe(true);
		expect(await throttleRow(t.db, `u:${u.username}`)).toBeNull();
		expect((await throttleRow(t.db, `a:${address}`))!.failures).toBe(4);
		// Four more failures elsewhere stay under the limit only because the count restarted.
		for (let i = 0; i < 4; i++) {
			await signIn(
				t.db,
				{ username: u.username, password: `again-${i}`, address: newAddress() },
				T0
			);
		}
		const still = await signIn(
			t.db,
			{ username: u.username, password: u.password, address: newAddress() },
			T0
		);
		expect(still.ok).toBe(true);
	});

	it('ends a session token presented at sign-in (session fixation)', async () => {
		const victim = await makeUser(t.db, { role: 'admin' });
		const attacker = await makeUser(t.db, { role: 'enterprise' });
		// A token the attacker holds and managed to plant in the victim's browser.
		const planted = await createSession(t.db, attacker.id, T0);
		const r = await signIn(
			t.db,
			{
				username: victim.username,
				password: victim.password,
				address: newAddress(),
				presentedToken: planted.token
			},
			at(10)
		);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.token).not.toBe(planted.token);
		expect(r.token.split('.')[0]).not.toBe(planted.session.id);
		expect(await validateSessionToken(t.db, planted.token, at(11))).toBeNull();
		expect((await validateSessionToken(t.db, r.token, at(11)))?.user.id).toBe(victim.id);
		// A presented token that matches nothing is harmless.
		const again = await signIn(
			t.db,
			{
				username: victim.username,
				password: victim.password,
				address: newAddress(),
				presentedToken: 'no-such-id.no-such-secret'
			},
			at(12)
		);
		expect(again.ok).toBe(true);
	});
});
