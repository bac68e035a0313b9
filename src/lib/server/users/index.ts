// Accounts: create, change role or department, disable, reset password. Changes that alter
// what a user may do end all of that user's sessions.
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { needsDepartment, type AccountRole } from '$lib/domain/roles';
import * as audit from '$lib/server/audit';
import { hashPassword, verifyPassword } from '$lib/server/auth/password';
import {
	clearFailures,
	recordFailure,
	retryAfterSeconds,
	throttleKeys
} from '$lib/server/auth/rate-limit';
import { invalidateUserSessions } from '$lib/server/auth/session';
import { DomainError } from '$lib/errors';
import type { Database, Executor, Tx } from '$lib/server/db';
import { department, enterprise, user, type User } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';

/** What may be shown and logged of an account: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash'>;
const publicColumns = {
	id: user.id,
	username: user.username,
	displayName: user.displayName,
	role: user.role,
	departmentId: user.departmentId,
	enterpriseId: user.enterpriseId,
	disabled: user.disabled,
	createdAt: user.createdAt,
	updatedAt: user.updatedAt
};

async function departmentIdOf(tx: Executor, code: string | undefined | null) {
	if (!code) return null;
	const [d] = await tx
		.select({ id: department.id })
		.from(department)
		.where(eq(department.code, code));
	if (!d)
		throw new DomainError('department_unknown', { params: { code }, field: 'departmentCode' });
	return d.id;
}

/**
 * The enterprise record an account is linked to, by USCC: only an enterprise account may have
 * one, and no two accounts the same (the database says so too; this says it in words).
 */
async function enterpriseIdOf(
	tx: Executor,
	uscc: string | undefined | null,
	role: AccountRole,
	accountId: number | null
): Promise<number | null> {
	if (!uscc) return null;
	if (role !== 'enterprise')
		throw new DomainError('user_enterprise_role', { field: 'enterpriseUscc' });
	const [e] = await tx
		.select({ id: enterprise.id })
		.from(enterprise)
		.where(eq(enterprise.uscc, uscc));
	if (!e)
		throw new DomainError('user_enterprise_unknown', { params: { uscc }, field: 'enterpriseUscc' });
	const [holder] = await tx
		.select({ username: user.username })
		.from(user)
		.where(
			and(eq(user.enterpriseId, e.id), accountId === null ? undefined : ne(user.id, accountId))
		);
	if (holder)
		throw new DomainError('user_enterprise_taken', {
			params: { username: holder.username },
			field: 'enterpriseUscc'
		});
	return e.id;
}

function auditView(u: PublicUser) {
	return {
		username: u.username,
		displayName: u.displayName,
		role: u.role,
		departmentId: u.departmentId,
		enterpriseId: u.enterpriseId,
		disabled: u.disabled
	};
}

export async function create(
	db: Executor,
	input: {
		username: string;
		displayName: string;
		role: AccountRole;
		departmentCode?: string | null;
		/** An enterprise account's enterprise. */
		enterpriseUscc?: string | null;
		password: string;
	},
	actor: audit.Actor
): Promise<PublicUser> {
	return db.transaction(async (tx) => {
		const departmentId = await departmentIdOf(tx, input.departmentCode);
		if (needsDepartment(input.role) && departmentId === null)
			throw new DomainError('user_department_required', { field: 'departmentCode' });
		const [taken] = await tx
			.select({ id: user.id })
			.from(user)
			.where(eq(user.username, input.username));
		if (taken) throw new DomainError('username_taken', { field: 'username' });
		const enterpriseId = await enterpriseIdOf(tx, input.enterpriseUscc, input.role, null);
		const [row] = await tx
			.insert(user)
			.values({
				username: input.username,
				displayName: input.displayName,
				role: input.role,
				departmentId,
				enterpriseId,
				passwordHash: await hashPassword(input.password)
			})
			.returning(publicColumns);
		await audit.record(tx, actor, {
			action: 'user.create',
			entity: 'user',
			entityId: row!.id,
			changes: audit.diff(null, auditView(row!))
		});
		return row!;
	});
}

/**
 * An account with its department's code (what forms and the CLI name it by) and names, and an
 * enterprise account's enterprise (USCC and name).
 */
export type UserDetail = PublicUser & {
	departmentCode: string | null;
	departmentNameZh: string | null;
	departmentNameEn: string | null;
	enterpriseUscc: string | null;
	enterpriseName: string | null;
};

const detailColumns = {
	...publicColumns,
	departmentCode: department.code,
	departmentNameZh: department.nameZh,
	departmentNameEn: department.nameEn,
	enterpriseUscc: enterprise.uscc,
	enterpriseName: enterprise.name
};

/** Accounts with their department and enterprise, to select `detailColumns` from. */
const detailed = (db: Executor) =>
	db
		.select(detailColumns)
		.from(user)
		.leftJoin(department, eq(department.id, user.departmentId))
		.leftJoin(enterprise, eq(enterprise.id, user.enterpriseId))
		.$dynamic();

export async function get(db: Executor, id: number): Promise<UserDetail | null> {
	const [row] = await detailed(db).where(eq(user.id, id));
	return row ?? null;
}

// Taking the last enabled admin's role away, or disabling it, would leave nobody able to manage
// accounts; only the CLI could repair that. Checked after the change, inside its transaction.
async function ensureAnAdminRemains(tx: Tx): Promise<void> {
	const [r] = await tx
		.select({ n: count() })
		.from(user)
		.where(and(eq(user.role, 'admin'), eq(user.disabled, false)));
	if (!r || r.n === 0) throw new DomainError('last_admin');
}

export async function update(
	db: Executor,
	id: number,
	input: {
		displayName: string;
		role: AccountRole;
		departmentCode?: string | null;
		/** An enterprise account's enterprise; none when not given. */
		enterpriseUscc?: string | null;
		/** Unchanged when not given. */
		disabled?: boolean;
	},
	actor: audit.Actor
): Promise<{ user: PublicUser; sessionsEnded: boolean }> {
	return db.transaction(async (tx) => {
		const before = await get(tx, id);
		if (!before) throw new DomainError('user_not_found');
		const departmentId = await departmentIdOf(tx, input.departmentCode);
		if (needsDepartment(input.role) && departmentId === null)
			throw new DomainError('user_department_required', { field: 'departmentCode' });
		const enterpriseId = await enterpriseIdOf(tx, input.enterpriseUscc, input.role, id);
		const [after] = await tx
			.update(user)
			.set({
				displayName: input.displayName,
				role: input.role,
				departmentId,
				enterpriseId,
				disabled: input.disabled ?? before.disabled,
				updatedAt: new Date()
			})
			.where(eq(user.id, id))
			.returning(publicColumns);
		if (before.role === 'admin' && !before.disabled) await ensureAnAdminRemains(tx);
		const sessionsEnded =
			before.role !== after!.role ||
			before.departmentId !== after!.departmentId ||
			before.enterpriseId !== after!.enterpriseId ||
			after!.disabled;
		if (sessionsEnded) await invalidateUserSessions(tx, id);
		await audit.record(tx, actor, {
			action: 'user.update',
			entity: 'user',
			entityId: id,
			changes: audit.diff(auditView(before), auditView(after!))
		});
		return { user: after!, sessionsEnded };
	});
}

/** Disables an account (ending its sessions) or enables it again. */
export async function setDisabled(
	db: Executor,
	id: number,
	disabled: boolean,
	actor: audit.Actor
): Promise<PublicUser> {
	return db.transaction(async (tx) => {
		const before = await get(tx, id);
		if (!before) throw new DomainError('user_not_found');
		const [after] = await tx
			.update(user)
			.set({ disabled, updatedAt: new Date() })
			.where(eq(user.id, id))
			.returning(publicColumns);
		if (disabled) {
			if (before.role === 'admin') await ensureAnAdminRemains(tx);
			await invalidateUserSessions(tx, id);
		}
		await audit.record(tx, actor, {
			action: disabled ? 'user.disable' : 'user.enable',
			entity: 'user',
			entityId: id,
			changes: audit.diff(auditView(before), auditView(after!))
		});
		return after!;
	});
}

/** Sets a new password (a reset by an admin or the user's own change); ends every session. */
export async function setPassword(
	db: Executor,
	id: number,
	password: string,
	actor: audit.Actor
): Promise<void> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(user)
			.set({ passwordHash: await hashPassword(password), updatedAt: new Date() })
			.where(eq(user.id, id))
			.returning({ id: user.id });
		if (!row) throw new DomainError('user_not_found');
		await invalidateUserSessions(tx, id);
		// The audit entry says that the password changed, never what it is.
		await audit.record(tx, actor, {
			action: 'user.password',
			entity: 'user',
			entityId: id,
			changes: {}
		});
	});
}

export type ChangeOwnPasswordResult =
	| { ok: true }
	| { ok: false; reason: 'throttled'; retryAfter: number }
	| { ok: false; reason: 'wrong_password' };

/**
 * A signed-in user changes their own password after proving the current one. Wrong guesses
 * count towards the sign-in throttle, checked before hashing, so a stolen session cannot be
 * used to guess the password. Success ends every session of the user, this one included.
 */
export async function changeOwnPassword(
	db: Database,
	input: { userId: number; current: string; next: string; address: string },
	actor: audit.Actor,
	now = new Date()
): Promise<ChangeOwnPasswordResult> {
	const [account] = await db
		.select({ username: user.username, passwordHash: user.passwordHash })
		.from(user)
		.where(eq(user.id, input.userId));
	if (!account) throw new DomainError('user_not_found');
	const keys = throttleKeys(account.username, input.address);
	const retryAfter = await retryAfterSeconds(db, keys, now);
	if (retryAfter > 0) return { ok: false, reason: 'throttled', retryAfter };
	if (!(await verifyPassword(account.passwordHash, input.current))) {
		await recordFailure(db, keys, now);
		return { ok: false, reason: 'wrong_password' };
	}
	// One transaction: the throttle is cleared only if the new password is stored.
	await db.transaction(async (tx) => {
		await clearFailures(tx, keys.slice(0, 1));
		await setPassword(tx, input.userId, input.next, actor);
	});
	return { ok: true };
}

export async function list(
	db: Executor,
	opts: { q?: string; role?: AccountRole; page: number; pageSize: number }
) {
	const where = and(
		containsAny(opts.q, [user.username, user.displayName]),
		opts.role ? eq(user.role, opts.role) : undefined
	);
	const [rows, [total]] = await Promise.all([
		detailed(db)
			.where(where)
			.orderBy(asc(user.username))
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db.select({ n: count() }).from(user).where(where)
	]);
	return { rows, total: total?.n ?? 0 };
}

export async function total(db: Executor): Promise<number> {
	const [r] = await db.select({ n: count() }).from(user);
	return r?.n ?? 0;
}

/** The id of the account with this username, or null. */
export async function idByUsername(db: Executor, username: string): Promise<number | null> {
	const [row] = await db.select({ id: user.id }).from(user).where(eq(user.username, username));
	return row?.id ?? null;
}

/** For sign-in only: the stored hash of an enabled account. */
export async function credentials(db: Executor, username: string) {
	const [row] = await db
		.select({ id: user.id, passwordHash: user.passwordHash, disabled: user.disabled })
		.from(user)
		.where(and(eq(user.username, username)));
	return row ?? null;
}
