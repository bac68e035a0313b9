// The staff second factor against the database: enrolment, the code step (reuse refused), a
// recovery code used once, the throttle on wrong codes, removal and an admin's reset, the
// settings that extend the requirement, and sudo mode's expiry.
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createSession, validateSessionToken } from '$lib/server/auth/session';
import { grantSudo, inSudo, SUDO_MINUTES } from '$lib/server/auth/sudo';
import { decryptTotpKey, stepAt, totpCode, totpEncryptionKey } from '$lib/server/auth/totp';
import * as twoFactor from '$lib/server/auth/two-factor';
import type { Database } from '$lib/server/db';
import { auditEntry, recoveryCode, session, userTotp } from '$lib/server/db/schema';
import { setSecondFactorSettings } from '$lib/server/settings';
import { cliRefusal, runCli } from '../helpers/cli';
import { describeEachDatabase } from '../helpers/db';
import { makeUser, testActor } from '../factories';

const T0 = new Date('2026-03-02T01:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const KEY = new Uint8Array(20).map((_, i) => 200 - i);
const codeAt = (t: Date, offset = 0) => totpCode(KEY, stepAt(t) + offset);

async function actions(db: Database, userId: number) {
	const rows = await db
		.select({ action: auditEntry.action })
		.from(auditEntry)
		.where(and(eq(auditEntry.entity, 'user'), eq(auditEntry.entityId, String(userId))));
	return rows.map((r) => r.action);
}

/** A staff account with a second factor set up at T0 on a session of its own. */
async function enrolled(db: Database, role: 'admin' | 'supervisor' = 'admin') {
	const u = await makeUser(db, { role });
	const { token, session: s } = await createSession(db, u.id, T0);
	const actor = { kind: 'user' as const, id: u.id, label: u.username };
	const r = await twoFactor.enrol(
		db,
		{ userId: u.id, role, sessionId: s.id, key: KEY, code: codeAt(T0) },
		actor,
		T0
	);
	expect(r.ok).toBe(true);
	return { u, token, sessionId: s.id, actor, recoveryCodes: r.recoveryCodes! };
}

describeEachDatabase('the second factor', (t) => {
	it('sends an admin without one to enrol, and enrolment verifies the session', async () => {
		const u = await makeUser(t.db, { role: 'admin' });
		const { token, session: s } = await createSession(t.db, u.id, T0);
		expect((await validateSessionToken(t.db, token, T0))!.secondStep).toBe('enrol');
		const wrong = await twoFactor.enrol(
			t.db,
			{ userId: u.id, role: 'admin', sessionId: s.id, key: KEY, code: codeAt(T0, 5) },
			testActor,
			T0
		);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		const r = await twoFactor.enrol(
			t.db,
			{ userId: u.id, role: 'admin', sessionId: s.id, key: KEY, code: codeAt(T0) },
			{ kind: 'user', id: u.id, label: u.username },
			T0
		);
		expect(r.ok).toBe(true);
		expect(r.recoveryCodes).toHaveLength(10);
		expect((await validateSessionToken(t.db, token, at(1)))!.secondStep).toBe('done');
		// Stored encrypted, never in clear; the recovery codes as hashes only.
		const [row] = await t.db.select().from(userTotp).where(eq(userTotp.userId, u.id));
		expect(Buffer.from(row!.keyEncrypted).includes(Buffer.from(KEY))).toBe(false);
		expect(
			decryptTotpKey(await totpEncryptionKey(), u.id, new Uint8Array(row!.keyEncrypted))
		).toEqual(KEY);
		const codes = await t.db.select().from(recoveryCode).where(eq(recoveryCode.userId, u.id));
		expect(codes).toHaveLength(10);
		for (const c of codes) expect(Buffer.from(c.codeHash)).toHaveLength(32);
		expect(await actions(t.db, u.id)).toContain('two_factor.enrol');
		// Set up once only.
		await expect(
			twoFactor.enrol(
				t.db,
				{ userId: u.id, role: 'admin', sessionId: s.id, key: KEY, code: codeAt(T0, 1) },
				testActor,
				T0
			)
		).rejects.toMatchObject({ code: 'two_factor_already_enrolled' });
	});

	it('asks a new session for a code, accepts it once, and refuses it again', async () => {
		const { u } = await enrolled(t.db);
		const { token, session: s } = await createSession(t.db, u.id, at(40));
		expect((await validateSessionToken(t.db, token, at(40)))!.secondStep).toBe('verify');
		// The code used at enrolment (step of T0) is spent.
		const reused = await twoFactor.verifyCode(
			t.db,
			{ userId: u.id, sessionId: s.id, code: codeAt(T0) },
			at(40)
		);
		expect(reused).toEqual({ ok: false, reason: 'invalid' });
		const ok = await twoFactor.verifyCode(
			t.db,
			{ userId: u.id, sessionId: s.id, code: codeAt(at(40)) },
			at(40)
		);
		expect(ok).toEqual({ ok: true });
		expect((await validateSessionToken(t.db, token, at(41)))!.secondStep).toBe('done');
		const other = await createSession(t.db, u.id, at(42));
		const again = await twoFactor.verifyCode(
			t.db,
			{ userId: u.id, sessionId: other.session.id, code: codeAt(at(40)) },
			at(42)
		);
		expect(again).toEqual({ ok: false, reason: 'invalid' });
		expect((await validateSessionToken(t.db, other.token, at(43)))!.secondStep).toBe('verify');
	});

	it('accepts each recovery code once, audited with how many are left', async () => {
		const { u, recoveryCodes } = await enrolled(t.db);
		const a = await createSession(t.db, u.id, at(60));
		const use = (sessionId: string, code: string) =>
			twoFactor.useRecoveryCode(t.db, { userId: u.id, sessionId, code }, testActor, at(60));
		expect(await use(a.session.id, recoveryCodes[3]!)).toEqual({ ok: true });
		expect((await validateSessionToken(t.db, a.token, at(61)))!.secondStep).toBe('done');
		const b = await createSession(t.db, u.id, at(62));
		expect(await use(b.session.id, recoveryCodes[3]!)).toEqual({ ok: false, reason: 'invalid' });
		expect((await twoFactor.status(t.db, u.id, 'admin')).recoveryCodesLeft).toBe(9);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(
				and(
					eq(auditEntry.action, 'two_factor.recovery_code_used'),
					eq(auditEntry.entityId, String(u.id))
				)
			);
		expect(entry!.changes).toEqual({ recoveryCodesLeft: 9 });
		// New codes void the old ones.
		const fresh = await twoFactor.regenerateRecoveryCodes(t.db, u.id, testActor);
		expect(await use(b.session.id, recoveryCodes[4]!)).toEqual({ ok: false, reason: 'invalid' });
		expect(await use(b.session.id, fresh[0]!)).toEqual({ ok: true });
		expect(await actions(t.db, u.id)).toContain('two_factor.recovery_codes_regenerated');
	});

	it('throttles wrong codes per account, and signing in again does not reset the count', async () => {
		const { u } = await enrolled(t.db);
		const s = await createSession(t.db, u.id, at(100));
		const tryCode = (code: string, when: Date) =>
			twoFactor.verifyCode(t.db, { userId: u.id, sessionId: s.session.id, code }, when);
		for (let i = 0; i < 5; i++) expect((await tryCode('000000', at(100))).ok).toBe(false);
		const blocked = await tryCode(codeAt(at(100)), at(100));
		expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
		// Recovery codes are behind the same throttle.
		const r = await twoFactor.useRecoveryCode(
			t.db,
			{ userId: u.id, sessionId: s.session.id, code: 'AAAAAAAAAA' },
			testActor,
			at(100)
		);
		expect(r).toMatchObject({ ok: false, reason: 'throttled' });
		// After the delay the right code passes and clears the count.
		expect(await tryCode(codeAt(at(106)), at(106))).toEqual({ ok: true });
	});

	it('lets a supervisor remove its own, refuses an admin, and lets an admin reset one', async () => {
		const sup = await enrolled(t.db, 'supervisor');
		await twoFactor.remove(t.db, sup.u.id, 'supervisor', sup.actor);
		expect((await twoFactor.status(t.db, sup.u.id, 'supervisor')).enrolled).toBe(false);
		expect(await actions(t.db, sup.u.id)).toContain('two_factor.remove');

		const admin = await enrolled(t.db);
		await expect(twoFactor.remove(t.db, admin.u.id, 'admin', admin.actor)).rejects.toMatchObject({
			code: 'two_factor_required'
		});
		await twoFactor.reset(t.db, admin.u.id, testActor);
		expect(await t.db.select().from(session).where(eq(session.userId, admin.u.id))).toEqual([]);
		expect(
			await t.db.select().from(recoveryCode).where(eq(recoveryCode.userId, admin.u.id))
		).toEqual([]);
		expect(await actions(t.db, admin.u.id)).toContain('two_factor.reset');
		// Signed in again, the admin must set up the new phone first.
		const again = await createSession(t.db, admin.u.id, at(200));
		expect((await validateSessionToken(t.db, again.token, at(200)))!.secondStep).toBe('enrol');
		await expect(twoFactor.reset(t.db, admin.u.id, testActor)).rejects.toMatchObject({
			code: 'two_factor_not_enrolled'
		});
	});

	it('resets one from the command line, for the admin who can no longer sign in', async () => {
		const admin = await enrolled(t.db);
		const out = await runCli(t.handle, ['user', 'reset-second-factor'], {
			username: admin.u.username
		});
		expect(out.text).toEqual([
			`Removed the second factor of ${admin.u.username} and ended its sessions.`
		]);
		expect((await twoFactor.status(t.db, admin.u.id, 'admin')).enrolled).toBe(false);
		expect(await t.db.select().from(session).where(eq(session.userId, admin.u.id))).toEqual([]);
		const [entry] = await t.db
			.select({ actorKind: auditEntry.actorKind })
			.from(auditEntry)
			.where(
				and(eq(auditEntry.action, 'two_factor.reset'), eq(auditEntry.entityId, String(admin.u.id)))
			);
		expect(entry).toEqual({ actorKind: 'cli' });
		// Nothing to reset now; no such user; no username.
		for (const [values, code] of [
			[{ username: admin.u.username }, 'two_factor_not_enrolled'],
			[{ username: 'nobody-here' }, 'user_not_found'],
			[{}, 'missing_option']
		] as const)
			expect(
				(await cliRefusal(runCli(t.handle, ['user', 'reset-second-factor'], values))).code
			).toBe(code);
	});

	it('requires one of supervisors and liaisons when the settings say so, never of enterprises', async () => {
		const sup = await makeUser(t.db, { role: 'supervisor' });
		const s = await createSession(t.db, sup.id, T0);
		expect((await validateSessionToken(t.db, s.token, T0))!.secondStep).toBe('done');
		await setSecondFactorSettings(t.db, { supervisors: true, liaisons: false }, testActor);
		try {
			expect((await validateSessionToken(t.db, s.token, at(1)))!.secondStep).toBe('enrol');
		} finally {
			await setSecondFactorSettings(t.db, { supervisors: false, liaisons: false }, testActor);
		}
		await expect(
			twoFactor.enrol(
				t.db,
				{ userId: sup.id, role: 'enterprise', sessionId: s.session.id, key: KEY, code: codeAt(T0) },
				testActor,
				T0
			)
		).rejects.toMatchObject({ code: 'two_factor_not_for_role' });
	});

	it('grants sudo mode for SUDO_MINUTES after the password or a code, audited', async () => {
		const { u, sessionId, actor } = await enrolled(t.db);
		const address = '192.0.2.200';
		const wrong = await grantSudo(
			t.db,
			{ userId: u.id, sessionId, address, password: 'nope' },
			actor,
			at(300)
		);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		const byPassword = await grantSudo(
			t.db,
			{ userId: u.id, sessionId, address, password: u.password },
			actor,
			at(300)
		);
		expect(byPassword.ok).toBe(true);
		const [row] = await t.db.select().from(session).where(eq(session.id, sessionId));
		expect(row!.sudoUntil!.getTime()).toBe(at(300).getTime() + SUDO_MINUTES * 60_000);
		// Valid until then, not a moment after.
		const locals = { session: { id: sessionId, expiresAt: at(9999), sudoUntil: row!.sudoUntil } };
		expect(inSudo({ locals } as never, at(300 + SUDO_MINUTES * 60 - 1))).toBe(true);
		expect(inSudo({ locals } as never, at(300 + SUDO_MINUTES * 60))).toBe(false);
		const byCode = await grantSudo(
			t.db,
			{ userId: u.id, sessionId, address, code: codeAt(at(400)) },
			actor,
			at(400)
		);
		expect(byCode.ok).toBe(true);
		// The same code again is refused (it was used).
		const reused = await grantSudo(
			t.db,
			{ userId: u.id, sessionId, address, code: codeAt(at(400)) },
			actor,
			at(401)
		);
		expect(reused).toEqual({ ok: false, reason: 'invalid' });
		expect((await actions(t.db, u.id)).filter((a) => a === 'session.sudo')).toHaveLength(2);
	});
});
