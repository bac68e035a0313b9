// Sudo mode: before an action that discloses or hands out much at once, a signed-in person must
// have re-authenticated (password or TOTP code) on this session within SUDO_MINUTES. Stored on
// the session row, so it holds across app instances. Which actions need it is said here only.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import { session } from '$lib/server/db/schema';
import * as users from '$lib/server/users';
import { verifyPassword } from './password';
import { clearFailures, recordFailure, retryAfterSeconds, throttleKeys } from './rate-limit';
import { checkCode, type CodeResult } from './two-factor';

export const SUDO_MINUTES = 10;

/**
 * Every action that requires sudo mode, and why. tests/unit/sudo-actions.test.ts fails when a
 * route calls `requireSudo` with another name, or when one of these is not required anywhere.
 */
export const SUDO_ACTIONS = {
	/** publishing an evaluation year's results (or a corrected revision) */
	publish_results: 'publishes the ranking of every department',
	/** survey responses with who answered, and the invitations (addresses that answer as an enterprise) */
	export_identities: 'hands out respondent identities in bulk',
	/** a page of a sample's phone numbers unmasked at once */
	reveal_phones: 'shows many phone numbers at once',
	/** an API token: a credential that needs no second factor */
	issue_api_token: 'issues a credential',
	/** a new set of recovery codes, and removing one's own second factor */
	manage_second_factor: 'changes how the account signs in',
	/** an admin removing another account's second factor (a lost phone) */
	reset_second_factor: "removes another account's second factor"
} as const;

export type SudoAction = keyof typeof SUDO_ACTIONS;

type SudoEvent = Pick<RequestEvent, 'locals' | 'url' | 'request'>;

/** Whether the request's session is in sudo mode now. */
export function inSudo(event: Pick<RequestEvent, 'locals'>, now = new Date()): boolean {
	const until = event.locals.session?.sudoUntil;
	return !!until && until.getTime() > now.getTime();
}

/**
 * Call after `requireRole`, before `action`: without a recent re-authentication, 303 to /sudo,
 * which sends the user back here afterwards. A form action comes back to its page (the action's
 * `?/name` dropped; what was typed is not kept), where the user submits it again.
 */
// `action` names the rule, for the reader and for the test that enumerates them.
export function requireSudo(event: SudoEvent, _action: SudoAction): void {
	if (inSudo(event)) return;
	const query = new URLSearchParams(event.url.search);
	for (const key of [...query.keys()]) if (key.startsWith('/')) query.delete(key);
	const search = query.size ? `?${query}` : '';
	const next = event.url.pathname + search;
	redirect(303, `/sudo?next=${encodeURIComponent(next)}`);
}

/**
 * Sudo mode for this session after the password or a TOTP code (`code` when given), audited.
 * Wrong answers count in the sign-in throttle like a wrong password or code.
 */
export async function grantSudo(
	db: Database,
	input: {
		userId: number;
		sessionId: string;
		address: string;
		password?: string;
		code?: string;
	},
	actor: audit.Actor,
	now = new Date()
): Promise<CodeResult & { until?: Date }> {
	let result: CodeResult;
	if (input.code !== undefined) {
		result = await checkCode(db, input.userId, input.code, now);
	} else {
		const account = await users.get(db, input.userId);
		const credentials = account && (await users.credentials(db, account.username));
		if (!account || !credentials) return { ok: false, reason: 'invalid' };
		const keys = throttleKeys(account.username, input.address);
		const retryAfter = await retryAfterSeconds(db, keys, now);
		if (retryAfter > 0) return { ok: false, reason: 'throttled', retryAfter };
		if (!(await verifyPassword(credentials.passwordHash, input.password ?? ''))) {
			await recordFailure(db, keys, now);
			return { ok: false, reason: 'invalid' };
		}
		await clearFailures(db, keys.slice(0, 1));
		result = { ok: true };
	}
	if (!result.ok) return result;
	const until = new Date(now.getTime() + SUDO_MINUTES * 60_000);
	await db.transaction(async (tx) => {
		await tx.update(session).set({ sudoUntil: until }).where(eq(session.id, input.sessionId));
		await audit.record(tx, actor, {
			action: 'session.sudo',
			entity: 'user',
			entityId: input.userId,
			changes: { method: input.code !== undefined ? 'totp' : 'password' }
		});
	});
	return { ok: true, until };
}
