// The second factor for tests, in one place: seeded staff whose role requires one get a known
// TOTP key (through the domain's `enrol`), and a test's sign-in answers the code step with
// @oslojs/otp. A code is accepted once per account and only around the current time step, so the
// codes an account has used are remembered, per running app, and the next acceptable step taken;
// when three sign-ins of one account within a step have used them all, the next waits for the
// following step (a few tests sign one account in that often).
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { secondFactorRequired } from '$lib/domain/two-factor';
import type { Database } from '$lib/server/db';
import { user, userTotp } from '$lib/server/db/schema';
import { stepAt, totpCode, TOTP_PERIOD_SECONDS } from '$lib/server/auth/totp';
import * as twoFactor from '$lib/server/auth/two-factor';
import { getSecondFactorSettings } from '$lib/server/settings';

/** The TOTP key every account enrolled by these helpers has. */
export const TEST_TOTP_KEY = new Uint8Array(20).map((_, i) => i + 1);

const PERIOD_MS = TOTP_PERIOD_SECONDS * 1000;

/** Per running app: each account's key and the last step used. */
export class TotpCodes {
	private readonly keys = new Map<string, Uint8Array>();
	private readonly last = new Map<string, number>();

	/** The app's clock: real time plus the offset the test has moved it by. */
	constructor(private readonly appNow: () => number) {}

	keyOf(username: string): Uint8Array | undefined {
		return this.keys.get(username);
	}

	remember(username: string, key: Uint8Array, lastStep: number | null) {
		this.keys.set(username, key);
		if (lastStep !== null) this.last.set(username, lastStep);
	}

	/** A code the app accepts now for the account, never one used before. */
	async next(username: string): Promise<string> {
		const key = this.keys.get(username);
		if (!key) throw new Error(`no TOTP key known for ${username}`);
		const last = this.last.get(username) ?? -Infinity;
		let now = this.appNow();
		let current = stepAt(new Date(now));
		// The step before only when well inside this one: the app's clock may be a moment ahead.
		const early = now % PERIOD_MS > 3_000 ? [current - 1] : [];
		let step = [...early, current, current + 1].find((s) => s > last);
		if (step === undefined) {
			await new Promise((ok) => setTimeout(ok, last * PERIOD_MS - now + 200));
			now = this.appNow();
			current = stepAt(new Date(now));
			step = current + 1;
		}
		this.last.set(username, step);
		return totpCode(key, step);
	}
}

/**
 * Enrols TEST_TOTP_KEY for every account whose role requires a second factor and has none (the
 * first admin, seeded leaders …), as its owner would; returns who, with the step used.
 */
export async function enrolRequired(
	db: Database,
	now = new Date()
): Promise<{ username: string; step: number }[]> {
	const settings = await getSecondFactorSettings(db);
	const accounts = await db
		.select({ id: user.id, username: user.username, role: user.role })
		.from(user)
		.leftJoin(userTotp, eq(userTotp.userId, user.id))
		.where(
			and(
				isNull(userTotp.userId),
				eq(user.disabled, false),
				inArray(user.role, ['admin', 'leader', 'supervisor', 'liaison'])
			)
		);
	const enrolled: { username: string; step: number }[] = [];
	for (const a of accounts) {
		if (!secondFactorRequired(a.role, settings)) continue;
		const step = stepAt(now);
		const r = await twoFactor.enrol(
			db,
			{
				userId: a.id,
				role: a.role,
				sessionId: 'test-seed',
				key: TEST_TOTP_KEY,
				code: totpCode(TEST_TOTP_KEY, step)
			},
			{ kind: 'user', id: a.id, label: a.username },
			now
		);
		if (!r.ok) throw new Error(`enrolling ${a.username} for tests: ${r.reason}`);
		enrolled.push({ username: a.username, step });
	}
	return enrolled;
}

/** The enrolment key shown on the setup page (groups of four base32 characters). */
export function keyFromSetupPage(html: string): Uint8Array | null {
	const found = /data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</.exec(html);
	return found ? decodeBase32IgnorePadding(found[1]!.replace(/\s+/g, '')) : null;
}
