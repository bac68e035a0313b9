// Accounts: the verbs the users pages and the CLI call, against a real database. Every change
// that alters what a user may do must end that user's sessions and leave an audit entry that
// names the changed fields and never any password material.
import { and, count, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import { verifyPassword } from '$lib/server/auth/password';
import { validateSessionToken } from '$lib/server/auth/session';
import { rows, type Database } from '$lib/server/db';
import { auditEntry, session, user } from '$lib/server/db/schema';
import * as users from '$lib/server/users';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, makeSession, makeUser, testActor, unique } from '../factories';

async function sessionCount(db: Database, userId: number): Promise<number> {
	const [r] = await db.select({ n: count() }).from(session).where(eq(session.userId, userId));
	return r!.n;
}

async function entriesFor(db: Database, userId: number, action: string) {
	return db
		.select()
		.from(auditEntry)
		.where(
			and(
				eq(auditEntry.entity, 'user'),
				eq(auditEntry.entityId, String(userId)),
				eq(auditEntry.action, action)
			)
		);
}

/** A user with two open sessions, and another user whose session must survive. */
async function withSessions(db: Database, overrides: Parameters<typeof makeUser>[1] = {}) {
	const u = await makeUser(db, { role: 'supervisor', ...overrides });
	await makeSession(db, u.id);
	await makeSession(db, u.id);
	const bystander = await makeUser(db, { role: 'supervisor' });
	const kept = await makeSession(db, bystander.id);
	expect(await sessionCount(db, u.id)).toBe(2);
	return { u, kept };
}

describeEachDatabase('users', (t) => {
	it('creates an account with an argon2id hash and audits it without the password', async () => {
		const dept = await makeDepartment(t.db);
		const password = 'a-secret-password-1';
		const created = await makeUser(t.db, {
			username: 'liaison.one',
			role: 'liaison',
			departmentCode: dept.code,
			password
		});
		const [row] = await t.db.select().from(user).where(eq(user.id, created.id));
		expect(row).toMatchObject({
			username: 'liaison.one',
			role: 'liaison',
			departmentId: dept.id,
			disabled: false
		});
		expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
		expect(row!.passwordHash).not.toContain(password);
		expect(await verifyPassword(row!.passwordHash, password)).toBe(true);
		expect('passwordHash' in created).toBe(false);

		const [entry] = await entriesFor(t.db, created.id, 'user.create');
		expect(entry!.changes).toEqual({
			username: { before: null, after: 'liaison.one' },
			displayName: { before: null, after: 'Test User' },
			role: { before: null, after: 'liaison' },
			departmentId: { before: null, after: dept.id },
			disabled: { before: null, after: false }
		});
	});

	it('refuses a taken username and writes nothing', async () => {
		const first = await makeUser(t.db, { username: 'taken.name' });
		const [before] = await t.db.select({ n: count() }).from(auditEntry);
		const attempt = makeUser(t.db, { username: 'taken.name', role: 'leader' });
		await expect(attempt).rejects.toMatchObject({ code: 'username_taken', field: 'username' });
		const [same] = await t.db.select().from(user).where(eq(user.username, 'taken.name'));
		expect(same).toMatchObject({ id: first.id, role: 'admin' });
		const [after] = await t.db.select({ n: count() }).from(auditEntry);
		expect(after!.n).toBe(before!.n);
	});

	it('refuses a liaison without a department, and an unknown department', async () => {
		await expect(makeUser(t.db, { username: 'no.dept', role: 'liaison' })).rejects.toMatchObject({
			code: 'user_department_required',
			field: 'departmentCode'
		});
		await expect(
			makeUser(t.db, { username: 'bad.dept', role: 'supervisor', departmentCode: 'nope' })
		).rejects.toMatchObject({ code: 'department_unknown', field: 'departmentCode' });
		const found = await t.db
			.select()
			.from(user)
			.where(sql`${user.username} in ('no.dept', 'bad.dept')`);
		expect(found).toEqual([]);
	});

	it('a role change ends all of that user’s sessions, and only that user’s', async () => {
		const { u, kept } = await withSessions(t.db);
		await t.db.transaction((tx) =>
			users.update(
				tx,
				u.id,
				{ displayName: u.displayName, role: 'leader', disabled: false },
				testActor
			)
		);
		expect(await sessionCount(t.db, u.id)).toBe(0);
		expect(await validateSessionToken(t.db, kept.token)).not.toBeNull();
		const [entry] = await entriesFor(t.db, u.id, 'user.update');
		expect(entry!.changes).toEqual({ role: { before: 'supervisor', after: 'leader' } });
	});

	it('a department change ends the sessions; a display-name change does not', async () => {
		const [a, b] = [await makeDepartment(t.db), await makeDepartment(t.db)];
		const { u } = await withSessions(t.db, { role: 'liaison', departmentCode: a.code });
		const base = { role: 'liaison' as const, disabled: false, departmentCode: a.code };
		await t.db.transaction((tx) =>
			users.update(tx, u.id, { ...base, displayName: 'Renamed' }, testActor)
		);
		expect(await sessionCount(t.db, u.id)).toBe(2);
		await t.db.transaction((tx) =>
			users.update(tx, u.id, { ...base, displayName: 'Renamed', departmentCode: b.code }, testActor)
		);
		expect(await sessionCount(t.db, u.id)).toBe(0);
		const entries = await entriesFor(t.db, u.id, 'user.update');
		expect(entries.map((e) => e.changes)).toEqual([
			{ displayName: { before: 'Test User', after: 'Renamed' } },
			{ departmentId: { before: a.id, after: b.id } }
		]);
	});

	it('disabling ends the sessions; enabling again is audited too', async () => {
		const { u, kept } = await withSessions(t.db);
		await t.db.transaction((tx) => users.setDisabled(tx, u.id, true, testActor));
		expect(await sessionCount(t.db, u.id)).toBe(0);
		expect((await users.get(t.db, u.id))!.disabled).toBe(true);
		expect(await validateSessionToken(t.db, kept.token)).not.toBeNull();
		await t.db.transaction((tx) => users.setDisabled(tx, u.id, false, testActor));
		expect((await users.get(t.db, u.id))!.disabled).toBe(false);
		const [off] = await entriesFor(t.db, u.id, 'user.disable');
		const [on] = await entriesFor(t.db, u.id, 'user.enable');
		expect(off!.changes).toEqual({ disabled: { before: false, after: true } });
		expect(on!.changes).toEqual({ disabled: { before: true, after: false } });
	});

	it('a password reset ends the sessions and records no password material', async () => {
		const { u } = await withSessions(t.db);
		const next = 'brand-new-password-42';
		await t.db.transaction((tx) => users.setPassword(tx, u.id, next, testActor));
		expect(await sessionCount(t.db, u.id)).toBe(0);
		const [row] = await t.db.select().from(user).where(eq(user.id, u.id));
		expect(await verifyPassword(row!.passwordHash, next)).toBe(true);
		expect(await verifyPassword(row!.passwordHash, u.password)).toBe(false);
		const [entry] = await entriesFor(t.db, u.id, 'user.password');
		expect(entry!.changes).toEqual({});

		// Nowhere in the whole trail: not the passwords, not the hash, not a field named so.
		const all = await rows<{ text: string }>(
			t.db,
			sql`select changes::text as text from audit_entry`
		);
		const trail = all.map((r) => r.text).join('\n');
		expect(trail).not.toContain(next);
		expect(trail).not.toContain(u.password);
		expect(trail).not.toContain(row!.passwordHash);
		expect(trail).not.toMatch(/password/i);
		expect((await audit.verify(t.db)).ok).toBe(true);
	});

	it('keeps at least one enabled admin', async () => {
		const admins = await t.db
			.select({ id: user.id })
			.from(user)
			.where(and(eq(user.role, 'admin'), eq(user.disabled, false)));
		// Leave exactly one enabled admin.
		for (const a of admins.slice(1)) {
			await t.db.transaction((tx) => users.setDisabled(tx, a.id, true, testActor));
		}
		const last = admins[0]!.id;
		await expect(
			t.db.transaction((tx) => users.setDisabled(tx, last, true, testActor))
		).rejects.toMatchObject({ code: 'last_admin' });
		await expect(
			t.db.transaction((tx) =>
				users.update(tx, last, { displayName: 'x', role: 'leader', disabled: false }, testActor)
			)
		).rejects.toMatchObject({ code: 'last_admin' });
		expect(await users.get(t.db, last)).toMatchObject({ role: 'admin', disabled: false });
		// With a second admin, the first may step down.
		const other = await makeUser(t.db, { role: 'admin' });
		await t.db.transaction((tx) =>
			users.update(tx, last, { displayName: 'x', role: 'leader', disabled: false }, testActor)
		);
		expect((await users.get(t.db, last))!.role).toBe('leader');
		expect((await users.get(t.db, other.id))!.role).toBe('admin');
	});

	it('changes one’s own password only with the current one, then ends every session', async () => {
		const { u } = await withSessions(t.db);
		const now = new Date('2025-03-01T02:00:00Z');
		const input = { userId: u.id, next: 'my-own-new-password', address: '10.9.0.1' };
		const wrong = await users.changeOwnPassword(
			t.db,
			{ ...input, current: 'not it at all' },
			testActor,
			now
		);
		expect(wrong).toEqual({ ok: false, reason: 'wrong_password' });
		expect(await sessionCount(t.db, u.id)).toBe(2);
		const ok = await users.changeOwnPassword(
			t.db,
			{ ...input, current: u.password },
			testActor,
			now
		);
		expect(ok).toEqual({ ok: true });
		expect(await sessionCount(t.db, u.id)).toBe(0);
		const [row] = await t.db.select().from(user).where(eq(user.id, u.id));
		expect(await verifyPassword(row!.passwordHash, 'my-own-new-password')).toBe(true);
	});

	it('counts wrong current passwords towards the sign-in throttle', async () => {
		const u = await makeUser(t.db, { role: 'leader' });
		const now = new Date('2025-03-02T02:00:00Z');
		const input = { userId: u.id, next: 'never-set-password', address: '10.9.0.2' };
		for (let i = 0; i < 5; i++) {
			const r = await users.changeOwnPassword(
				t.db,
				{ ...input, current: `guess ${i}` },
				testActor,
				now
			);
			expect(r).toEqual({ ok: false, reason: 'wrong_password' });
		}
		// Even the right password is refused while throttled, and the password stays as it was.
		const r = await users.changeOwnPassword(
			t.db,
			{ ...input, current: u.password },
			testActor,
			now
		);
		expect(r).toEqual({ ok: false, reason: 'throttled', retryAfter: 5 });
		const [row] = await t.db.select().from(user).where(eq(user.id, u.id));
		expect(await verifyPassword(row!.passwordHash, u.password)).toBe(true);
	});

	it('lists with search (wildcards taken literally), role filter and pages', async () => {
		const tag = unique('zz');
		await makeUser(t.db, { username: `${tag}_a`, role: 'leader' });
		await makeUser(t.db, { username: `${tag}_b`, role: 'supervisor' });
		await makeUser(t.db, { username: `${tag}xc`, role: 'leader' });
		const all = await users.list(t.db, { q: tag, page: 1, pageSize: 10 });
		expect(all.total).toBe(3);
		const underscore = await users.list(t.db, { q: `${tag}_`, page: 1, pageSize: 10 });
		expect(underscore.rows.map((r) => r.username)).toEqual([`${tag}_a`, `${tag}_b`]);
		const leaders = await users.list(t.db, { q: tag, role: 'leader', page: 1, pageSize: 10 });
		expect(leaders.rows.map((r) => r.username)).toEqual([`${tag}_a`, `${tag}xc`]);
		const second = await users.list(t.db, { q: tag, page: 2, pageSize: 2 });
		expect(second).toMatchObject({ total: 3, rows: [{ username: `${tag}xc` }] });
		expect(await users.list(t.db, { q: '%', page: 1, pageSize: 10 })).toEqual({
			rows: [],
			total: 0
		});
	});
});
