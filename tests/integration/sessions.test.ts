// Session lifetimes with an explicit clock: staff 30 minutes idle and 12 hours in all,
// enterprise accounts 1 hour and 24 hours, both changeable in the settings; last activity
// written at most once a minute; a wrong secret, or a disabled account, is never let in.
import { eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import {
	createSession,
	validateSessionToken,
	ACTIVITY_WRITE_INTERVAL_MS
} from '$lib/server/auth/session';
import type { Database } from '$lib/server/db';
import { session, user } from '$lib/server/db/schema';
import { DEFAULT_SESSION_SETTINGS, setSessionSettings } from '$lib/server/settings';
import * as users from '$lib/server/users';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, makeUser, testActor } from '../factories';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = new Date('2025-06-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

async function stored(db: Database, id: string) {
	const [row] = await db.select().from(session).where(eq(session.id, id));
	return row ?? null;
}

describeEachDatabase('sessions', (t) => {
	afterEach(async () => {
		await t.db.transaction((tx) => setSessionSettings(tx, DEFAULT_SESSION_SETTINGS, testActor));
	});

	it.each([
		['admin', 30],
		['supervisor', 30],
		['leader', 30],
		['liaison', 30],
		['enterprise', 60]
	] as const)('a %s session ends after %i minutes without activity', async (role, minutes) => {
		const departmentCode = role === 'liaison' ? (await makeDepartment(t.db)).code : undefined;
		const u = await makeUser(t.db, { role, departmentCode });
		const early = await createSession(t.db, u.id, T0);
		const late = await createSession(t.db, u.id, T0);
		expect(await validateSessionToken(t.db, early.token, at(minutes * MIN - 1))).not.toBeNull();
		expect(await validateSessionToken(t.db, late.token, at(minutes * MIN))).toBeNull();
		// An expired session is deleted, not just refused.
		expect(await stored(t.db, late.session.id)).toBeNull();
	});

	it('a staff session idles out at 30 minutes where an enterprise one does not', async () => {
		const staff = await makeUser(t.db, { role: 'supervisor' });
		const firm = await makeUser(t.db, { role: 'enterprise' });
		const a = await createSession(t.db, staff.id, T0);
		const b = await createSession(t.db, firm.id, T0);
		expect(await validateSessionToken(t.db, a.token, at(45 * MIN))).toBeNull();
		expect(await validateSessionToken(t.db, b.token, at(45 * MIN))).not.toBeNull();
	});

	it.each([
		['supervisor', 12, 25 * MIN],
		['enterprise', 24, 55 * MIN]
	] as const)(
		'a %s session ends %i hours after sign-in however active it is',
		async (role, hours, step) => {
			const absolute = hours * HOUR;
			const u = await makeUser(t.db, { role });
			const s = await createSession(t.db, u.id, T0);
			let last = 0;
			for (let ms = step; ms < absolute; ms += step) {
				const valid = await validateSessionToken(t.db, s.token, at(ms));
				expect(valid, `at ${ms / MIN} min`).not.toBeNull();
				last = ms;
			}
			// Still within the idle window of the last activity, but past the absolute limit.
			expect(absolute - last).toBeLessThanOrEqual(step);
			expect(await validateSessionToken(t.db, s.token, at(absolute))).toBeNull();
		}
	);

	it('reports when the session ends: the earlier of idle and absolute expiry', async () => {
		const u = await makeUser(t.db, { role: 'leader' });
		const s = await createSession(t.db, u.id, T0);
		const fresh = await validateSessionToken(t.db, s.token, at(5 * MIN));
		expect(fresh!.expiresAt).toEqual(at(35 * MIN));
		for (let ms = 25 * MIN; ms <= 11 * HOUR + 50 * MIN; ms += 25 * MIN) {
			await validateSessionToken(t.db, s.token, at(ms));
		}
		const nearEnd = await validateSessionToken(t.db, s.token, at(11 * HOUR + 55 * MIN));
		expect(nearEnd!.expiresAt).toEqual(at(12 * HOUR));
	});

	it('follows the settings: shorter staff idle time, longer enterprise absolute time', async () => {
		await t.db.transaction((tx) =>
			setSessionSettings(
				tx,
				{ ...DEFAULT_SESSION_SETTINGS, staffIdleMinutes: 10, enterpriseAbsoluteHours: 48 },
				testActor
			)
		);
		const staff = await makeUser(t.db, { role: 'admin' });
		const a = await createSession(t.db, staff.id, T0);
		const b = await createSession(t.db, staff.id, T0);
		expect(await validateSessionToken(t.db, a.token, at(10 * MIN - 1))).not.toBeNull();
		expect(await validateSessionToken(t.db, b.token, at(10 * MIN))).toBeNull();

		const firm = await makeUser(t.db, { role: 'enterprise' });
		const c = await createSession(t.db, firm.id, T0);
		for (let ms = 50 * MIN; ms <= 30 * HOUR; ms += 50 * MIN) {
			expect(await validateSessionToken(t.db, c.token, at(ms))).not.toBeNull();
		}
	});

	it('writes the last activity at most once a minute', async () => {
		const u = await makeUser(t.db, { role: 'supervisor' });
		const s = await createSession(t.db, u.id, T0);
		await validateSessionToken(t.db, s.token, at(30_000));
		expect((await stored(t.db, s.session.id))!.lastActivityAt).toEqual(T0);
		await validateSessionToken(t.db, s.token, at(ACTIVITY_WRITE_INTERVAL_MS - 1));
		expect((await stored(t.db, s.session.id))!.lastActivityAt).toEqual(T0);
		await validateSessionToken(t.db, s.token, at(ACTIVITY_WRITE_INTERVAL_MS));
		expect((await stored(t.db, s.session.id))!.lastActivityAt).toEqual(at(MIN));
		await validateSessionToken(t.db, s.token, at(MIN + 59_000));
		expect((await stored(t.db, s.session.id))!.lastActivityAt).toEqual(at(MIN));
		// The idle window counts from the last write: 30 minutes after 1:00, not after 1:59.
		expect(await validateSessionToken(t.db, s.token, at(31 * MIN))).toBeNull();
	});

	it('refuses a wrong secret with the right id, and malformed tokens', async () => {
		const u = await makeUser(t.db, { role: 'leader' });
		const s = await createSession(t.db, u.id, T0);
		const [id, secret] = s.token.split('.') as [string, string];
		const flipped = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
		for (const bad of [
			`${id}.${flipped}`,
			`${id}.`,
			id,
			`${id}.${secret}.x`,
			`.${secret}`,
			`${'x'.repeat(65)}.${secret}`,
			''
		]) {
			expect(await validateSessionToken(t.db, bad, at(MIN)), bad).toBeNull();
		}
		// The real token still works: a guess does not lock its owner out.
		const valid = await validateSessionToken(t.db, s.token, at(MIN));
		expect(valid?.user).toMatchObject({ id: u.id, role: 'leader' });
	});

	it('refuses the session of a disabled user and deletes it', async () => {
		const u = await makeUser(t.db, { role: 'supervisor' });
		const s = await createSession(t.db, u.id, T0);
		// Flip the column directly: the check must hold even if no verb ended the sessions.
		await t.db.update(user).set({ disabled: true }).where(eq(user.id, u.id));
		expect(await validateSessionToken(t.db, s.token, at(MIN))).toBeNull();
		expect(await stored(t.db, s.session.id)).toBeNull();
		expect((await users.get(t.db, u.id))!.disabled).toBe(true);
	});
});
