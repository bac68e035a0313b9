// Sessions after the Lucia reference: the token is `<id>.<secret>`, only SHA-256 of the secret
// is stored and it is compared in constant time. Staff and enterprise accounts have their own
// idle and absolute lifetimes (settings); last activity is written at most once a minute. A staff
// session may be signed in by password only, waiting for its second step (domain/two-factor.ts).
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { eq, sql } from 'drizzle-orm';
import { isStaff, type AccountRole } from '$lib/domain/roles';
import { secondStep, type SecondStep } from '$lib/domain/two-factor';
import type { Executor } from '$lib/server/db';
import { department, session, setting, user, userTotp, type Session } from '$lib/server/db/schema';
import {
	parseSecondFactorSettings,
	parseSessionSettings,
	SECOND_FACTOR_SETTINGS_KEY,
	SESSION_SETTINGS_KEY,
	type SessionSettings
} from '$lib/server/settings';

export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	role: AccountRole;
	departmentId: number | null;
	departmentCode: string | null;
}

export interface ValidSession {
	session: Session;
	user: SessionUser;
	/** When the session ends if nothing else happens: the earlier of idle and absolute expiry. */
	expiresAt: Date;
	/** `done` unless the session still owes its second step (a code, or enrolment). */
	secondStep: SecondStep;
}

function randomString(bytes: number): string {
	const b = new Uint8Array(bytes);
	crypto.getRandomValues(b);
	return encodeBase32LowerCaseNoPadding(b);
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export function lifetimes(role: AccountRole, s: SessionSettings) {
	return isStaff(role)
		? { idleMs: s.staffIdleMinutes * 60_000, absoluteMs: s.staffAbsoluteHours * 3_600_000 }
		: {
				idleMs: s.enterpriseIdleMinutes * 60_000,
				absoluteMs: s.enterpriseAbsoluteHours * 3_600_000
			};
}

export async function createSession(
	db: Executor,
	userId: number,
	now = new Date()
): Promise<{ token: string; session: Session }> {
	const id = randomString(15);
	const secret = randomString(20);
	const [row] = await db
		.insert(session)
		.values({ id, userId, secretHash: hashSecret(secret), createdAt: now, lastActivityAt: now })
		.returning();
	return { token: `${id}.${secret}`, session: row! };
}

/** The session and its user when the token is valid and neither expired nor disabled. */
export async function validateSessionToken(
	db: Executor,
	token: string,
	now = new Date()
): Promise<ValidSession | null> {
	const parts = token.split('.');
	if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0].length > 64) return null;
	const [id, secret] = parts as [string, string];
	const [row] = await db
		.select({
			session,
			user: {
				id: user.id,
				username: user.username,
				displayName: user.displayName,
				role: user.role,
				departmentId: user.departmentId,
				disabled: user.disabled
			},
			departmentCode: department.code,
			enrolledAt: userTotp.enrolledAt,
			settings: sql<unknown>`(select ${setting.value} from ${setting} where ${setting.key} = ${SESSION_SETTINGS_KEY})`,
			secondFactor: sql<unknown>`(select ${setting.value} from ${setting} where ${setting.key} = ${SECOND_FACTOR_SETTINGS_KEY})`
		})
		.from(session)
		.innerJoin(user, eq(user.id, session.userId))
		.leftJoin(department, eq(department.id, user.departmentId))
		.leftJoin(userTotp, eq(userTotp.userId, user.id))
		.where(eq(session.id, id));
	if (!row) return null;
	if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.session.secretHash))) return null;
	if (row.user.disabled) {
		await invalidateSession(db, id);
		return null;
	}
	const { idleMs, absoluteMs } = lifetimes(row.user.role, parseSessionSettings(row.settings));
	const t = now.getTime();
	const absoluteEnd = row.session.createdAt.getTime() + absoluteMs;
	if (t >= absoluteEnd || t >= row.session.lastActivityAt.getTime() + idleMs) {
		await invalidateSession(db, id);
		return null;
	}
	let current = row.session;
	if (t - row.session.lastActivityAt.getTime() >= ACTIVITY_WRITE_INTERVAL_MS) {
		current = { ...row.session, lastActivityAt: now };
		await db.update(session).set({ lastActivityAt: now }).where(eq(session.id, id));
	}
	const { disabled: _disabled, ...u } = row.user;
	return {
		session: current,
		user: { ...u, departmentCode: row.departmentCode },
		expiresAt: new Date(Math.min(absoluteEnd, current.lastActivityAt.getTime() + idleMs)),
		secondStep: secondStep({
			role: row.user.role,
			enrolledAt: row.enrolledAt,
			verifiedAt: row.session.twoFactorVerifiedAt,
			settings: parseSecondFactorSettings(row.secondFactor)
		})
	};
}

/** The session passed its second step (a code, a recovery code, or enrolment) at `at`. */
export async function markVerified(db: Executor, sessionId: string, at: Date): Promise<void> {
	await db.update(session).set({ twoFactorVerifiedAt: at }).where(eq(session.id, sessionId));
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
	await db.delete(session).where(eq(session.id, sessionId));
}

/** Ends every session of a user: after a password, role or department change, or disabling. */
export async function invalidateUserSessions(db: Executor, userId: number): Promise<void> {
	await db.delete(session).where(eq(session.userId, userId));
}

/** The session id part of a token, to invalidate a presented session without validating it. */
export function sessionIdOf(token: string): string | null {
	const id = token.split('.')[0];
	return id && id.length <= 64 ? id : null;
}

// `__Host-` requires Secure and Path=/ and forbids Domain: the browser then refuses a cookie
// of that name set by a sibling subdomain or over plain http.
export function sessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? '__Host-session' : 'session';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date) {
	cookies.set(sessionCookieName(url), token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL) {
	cookies.delete(sessionCookieName(url), {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: url.protocol === 'https:'
	});
}
