// Signing in and out. The throttle is read before any hashing; a session presented at sign-in
// is ended, so a token planted before sign-in is never valid after it (session fixation).
import * as audit from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import * as users from '$lib/server/users';
import { dummyPasswordHash, verifyPassword } from './password';
import { clearFailures, recordFailure, retryAfterSeconds, throttleKeys } from './rate-limit';
import { createSession, invalidateSession, sessionIdOf } from './session';

export type SignInResult =
	| { ok: true; token: string; createdAt: Date; userId: number }
	| { ok: false; reason: 'throttled'; retryAfter: number }
	| { ok: false; reason: 'invalid' };

export async function signIn(
	db: Database,
	input: { username: string; password: string; address: string; presentedToken?: string | null },
	now = new Date()
): Promise<SignInResult> {
	const username = input.username.trim();
	const keys = throttleKeys(username, input.address);
	const retryAfter = await retryAfterSeconds(db, keys, now);
	if (retryAfter > 0) return { ok: false, reason: 'throttled', retryAfter };

	const account = await users.credentials(db, username);
	// Hash even for unknown users so that response time does not reveal which usernames exist.
	const valid = account
		? await verifyPassword(account.passwordHash, input.password)
		: (await verifyPassword(await dummyPasswordHash(), input.password)) && false;
	if (!account || !valid || account.disabled) {
		await recordFailure(db, keys, now);
		return { ok: false, reason: 'invalid' };
	}
	const presentedId = input.presentedToken ? sessionIdOf(input.presentedToken) : null;
	return db.transaction(async (tx) => {
		if (presentedId) await invalidateSession(tx, presentedId);
		await clearFailures(tx, keys.slice(0, 1));
		const { token, session } = await createSession(tx, account.id, now);
		await audit.record(
			tx,
			{ kind: 'user', id: account.id, label: username, address: input.address },
			{ action: 'session.sign_in', entity: 'user', entityId: account.id }
		);
		return { ok: true as const, token, createdAt: session.createdAt, userId: account.id };
	});
}

export async function signOut(db: Database, sessionId: string, actor: audit.Actor): Promise<void> {
	await db.transaction(async (tx) => {
		await invalidateSession(tx, sessionId);
		await audit.record(tx, actor, {
			action: 'session.sign_out',
			entity: 'user',
			entityId: actor.id
		});
	});
}
