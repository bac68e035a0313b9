// The staff second factor (issue 11): enrolment, the second step of signing in (a TOTP code or a
// recovery code), recovery codes, removal, and an admin's reset for a lost phone. Every wrong
// code counts against the account in the sign-in throttle (key `t:<user id>`), which only a
// right code clears: signing in again with the password does not buy more guesses.
import { and, count, eq, isNull, or, lt, sql } from 'drizzle-orm';
import { mayHaveSecondFactor, secondFactorRequired } from '$lib/domain/two-factor';
import type { AccountRole } from '$lib/domain/roles';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import type { Database, Executor } from '$lib/server/db';
import { recoveryCode, user, userTotp } from '$lib/server/db/schema';
import { getSecondFactorSettings } from '$lib/server/settings';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes';
import { clearFailures, recordFailure, retryAfterSeconds } from './rate-limit';
import { invalidateUserSessions, markVerified } from './session';
import { decryptTotpKey, encryptTotpKey, matchStep, totpEncryptionKey } from './totp';

export type CodeResult =
	| { ok: true }
	| { ok: false; reason: 'throttled'; retryAfter: number }
	| { ok: false; reason: 'invalid' };

/** The throttle key of an account's code attempts. */
export const codeThrottleKey = (userId: number) => `t:${userId}`;

export interface SecondFactorStatus {
	enrolled: boolean;
	enrolledAt: Date | null;
	/** Recovery codes not used yet. */
	recoveryCodesLeft: number;
	/** The account's role must have one (so it cannot be removed). */
	required: boolean;
	/** Only staff accounts may have one. */
	allowed: boolean;
}

export async function status(
	db: Executor,
	userId: number,
	role: AccountRole
): Promise<SecondFactorStatus> {
	const [[totp], [left], settings] = await Promise.all([
		db
			.select({ enrolledAt: userTotp.enrolledAt })
			.from(userTotp)
			.where(eq(userTotp.userId, userId)),
		db
			.select({ n: count() })
			.from(recoveryCode)
			.where(and(eq(recoveryCode.userId, userId), isNull(recoveryCode.usedAt))),
		getSecondFactorSettings(db)
	]);
	return {
		enrolled: !!totp,
		enrolledAt: totp?.enrolledAt ?? null,
		recoveryCodesLeft: left?.n ?? 0,
		required: secondFactorRequired(role, settings),
		allowed: mayHaveSecondFactor(role)
	};
}

async function storeRecoveryCodes(tx: Executor, userId: number): Promise<string[]> {
	const codes = newRecoveryCodes();
	await tx.delete(recoveryCode).where(eq(recoveryCode.userId, userId));
	await tx
		.insert(recoveryCode)
		.values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
	return codes;
}

/** Runs `check` unless the account is throttled; a failed check is counted, a passed one clears. */
async function throttled(
	db: Database,
	userId: number,
	now: Date,
	check: () => Promise<boolean>
): Promise<CodeResult> {
	const keys = [codeThrottleKey(userId)];
	const retryAfter = await retryAfterSeconds(db, keys, now);
	if (retryAfter > 0) return { ok: false, reason: 'throttled', retryAfter };
	if (!(await check())) {
		await recordFailure(db, keys, now);
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(db, keys);
	return { ok: true };
}

/**
 * Sets up a second factor with `key`, which the user's app shows `code` for: the key is stored
 * encrypted, the session counts as verified, and ten recovery codes are made. They are returned
 * this once, to be shown; only their hashes are kept.
 */
export async function enrol(
	db: Database,
	input: { userId: number; role: AccountRole; sessionId: string; key: Uint8Array; code: string },
	actor: audit.Actor,
	now = new Date()
): Promise<CodeResult & { recoveryCodes?: string[] }> {
	if (!mayHaveSecondFactor(input.role)) throw new DomainError('two_factor_not_for_role');
	const secret = await totpEncryptionKey();
	let codes: string[] = [];
	const result = await throttled(db, input.userId, now, async () => {
		const step = matchStep(input.key, input.code, now, null);
		if (step === null) return false;
		codes = await db.transaction(async (tx) => {
			const [made] = await tx
				.insert(userTotp)
				.values({
					userId: input.userId,
					keyEncrypted: encryptTotpKey(secret, input.userId, input.key),
					lastStep: step,
					enrolledAt: now
				})
				.onConflictDoNothing()
				.returning({ userId: userTotp.userId });
			if (!made) throw new DomainError('two_factor_already_enrolled');
			const fresh = await storeRecoveryCodes(tx, input.userId);
			await markVerified(tx, input.sessionId, now);
			await audit.record(tx, actor, {
				action: 'two_factor.enrol',
				entity: 'user',
				entityId: input.userId
			});
			return fresh;
		});
		return true;
	});
	return result.ok ? { ...result, recoveryCodes: codes } : result;
}

/**
 * Whether `code` is the account's current TOTP code, never used before; the step is recorded
 * in the same statement that checks it, so two requests cannot both use one code.
 */
async function consumeTotp(db: Executor, userId: number, code: string, now: Date) {
	const [row] = await db
		.select({ keyEncrypted: userTotp.keyEncrypted, lastStep: userTotp.lastStep })
		.from(userTotp)
		.where(eq(userTotp.userId, userId));
	if (!row) return false;
	const key = decryptTotpKey(await totpEncryptionKey(), userId, new Uint8Array(row.keyEncrypted));
	const step = matchStep(key, code, now, row.lastStep);
	if (step === null) return false;
	const [taken] = await db
		.update(userTotp)
		.set({ lastStep: step })
		.where(
			and(eq(userTotp.userId, userId), or(isNull(userTotp.lastStep), lt(userTotp.lastStep, step)))
		)
		.returning({ userId: userTotp.userId });
	return !!taken;
}

/** The second step of signing in with a TOTP code: the session then counts as verified. */
export async function verifyCode(
	db: Database,
	input: { userId: number; sessionId: string; code: string },
	now = new Date()
): Promise<CodeResult> {
	return throttled(db, input.userId, now, async () => {
		if (!(await consumeTotp(db, input.userId, input.code, now))) return false;
		await markVerified(db, input.sessionId, now);
		return true;
	});
}

/** A TOTP code as re-authentication (sudo): checked, used up, nothing else. */
export async function checkCode(
	db: Database,
	userId: number,
	code: string,
	now = new Date()
): Promise<CodeResult> {
	return throttled(db, userId, now, () => consumeTotp(db, userId, code, now));
}

/**
 * The second step with a recovery code (normalised): used up, audited with how many are left,
 * and the session counts as verified.
 */
export async function useRecoveryCode(
	db: Database,
	input: { userId: number; sessionId: string; code: string },
	actor: audit.Actor,
	now = new Date()
): Promise<CodeResult> {
	return throttled(db, input.userId, now, () =>
		db.transaction(async (tx) => {
			const [used] = await tx
				.update(recoveryCode)
				.set({ usedAt: now })
				.where(
					and(
						eq(recoveryCode.userId, input.userId),
						eq(recoveryCode.codeHash, hashRecoveryCode(input.code)),
						isNull(recoveryCode.usedAt)
					)
				)
				.returning({ id: recoveryCode.id });
			if (!used) return false;
			const [left] = await tx
				.select({ n: count() })
				.from(recoveryCode)
				.where(and(eq(recoveryCode.userId, input.userId), isNull(recoveryCode.usedAt)));
			await markVerified(tx, input.sessionId, now);
			await audit.record(tx, actor, {
				action: 'two_factor.recovery_code_used',
				entity: 'user',
				entityId: input.userId,
				changes: { recoveryCodesLeft: left?.n ?? 0 }
			});
			return true;
		})
	);
}

/** A new set of recovery codes, the old ones void; returned this once. */
export async function regenerateRecoveryCodes(
	db: Database,
	userId: number,
	actor: audit.Actor
): Promise<string[]> {
	return db.transaction(async (tx) => {
		const [totp] = await tx
			.select({ userId: userTotp.userId })
			.from(userTotp)
			.where(eq(userTotp.userId, userId));
		if (!totp) throw new DomainError('two_factor_not_enrolled');
		const codes = await storeRecoveryCodes(tx, userId);
		await audit.record(tx, actor, {
			action: 'two_factor.recovery_codes_regenerated',
			entity: 'user',
			entityId: userId
		});
		return codes;
	});
}

async function forget(tx: Executor, userId: number): Promise<boolean> {
	await tx.delete(recoveryCode).where(eq(recoveryCode.userId, userId));
	const gone = await tx
		.delete(userTotp)
		.where(eq(userTotp.userId, userId))
		.returning({ userId: userTotp.userId });
	return gone.length > 0;
}

/** The user removes their own second factor; refused when their role must have one. */
export async function remove(
	db: Database,
	userId: number,
	role: AccountRole,
	actor: audit.Actor
): Promise<void> {
	await db.transaction(async (tx) => {
		if (secondFactorRequired(role, await getSecondFactorSettings(tx)))
			throw new DomainError('two_factor_required');
		if (!(await forget(tx, userId))) throw new DomainError('two_factor_not_enrolled');
		await audit.record(tx, actor, {
			action: 'two_factor.remove',
			entity: 'user',
			entityId: userId
		});
	});
}

/**
 * An admin removes another account's second factor (a lost phone) and ends its sessions: the
 * user signs in with the password again and, if the role requires one, enrols a new phone.
 */
export async function reset(db: Database, userId: number, actor: audit.Actor): Promise<void> {
	await db.transaction(async (tx) => {
		const [target] = await tx.select({ id: user.id }).from(user).where(eq(user.id, userId));
		if (!target) throw new DomainError('user_not_found');
		if (!(await forget(tx, userId))) throw new DomainError('two_factor_not_enrolled');
		await invalidateUserSessions(tx, userId);
		await audit.record(tx, actor, {
			action: 'two_factor.reset',
			entity: 'user',
			entityId: userId
		});
	});
}

/** Whether an account has a second factor (for the sudo page: may it use a code). */
export async function isEnrolled(db: Executor, userId: number): Promise<boolean> {
	const [row] = await db
		.select({ one: sql<number>`1` })
		.from(userTotp)
		.where(eq(userTotp.userId, userId));
	return !!row;
}
