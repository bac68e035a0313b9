import { error, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { changePasswordSchema } from '$lib/schemas/users';
import { actorOf, requireRole, type Principal } from '$lib/server/auth/guard';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { requireSudo } from '$lib/server/auth/sudo';
import * as twoFactor from '$lib/server/auth/two-factor';
import { db } from '$lib/server/db/app-db';
import { attempt, readForm, refuse, submit } from '$lib/server/forms';
import * as users from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

/** An API client has no account page: the page is about a person's own account. */
function ownId(p: Principal): number {
	if (p.kind !== 'user' || p.id === null) error(403, m.auth_forbidden());
	return p.id;
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	const account = await users.get(db(), ownId(p));
	if (!account) error(404, m.users_not_found());
	const secondFactor = await twoFactor.status(db(), account.id, account.role);
	return {
		secondFactor: secondFactor.allowed ? secondFactor : null,
		// After signing in with a recovery code, or turning the second factor off.
		notice:
			event.url.searchParams.get('recovery') === 'used'
				? 'recovery'
				: event.url.searchParams.get('done'),
		account: {
			username: account.username,
			displayName: account.displayName,
			role: account.role,
			departmentCode: account.departmentCode,
			departmentNameZh: account.departmentNameZh,
			departmentNameEn: account.departmentNameEn
		}
		// An enterprise's invitations, complaints and problems are on its home page (/home).
	};
};

export const actions: Actions = {
	regenerateCodes: async (event) => {
		const p = requireRole(event, ROLES.staff);
		requireSudo(event, 'manage_second_factor');
		const r = await attempt({ form: 'codes' }, () =>
			twoFactor.regenerateRecoveryCodes(db(), ownId(p), actorOf(event, p))
		);
		if (!r.ok) return r.failure;
		// Shown in this answer only (as at enrolment), never again.
		return { form: 'codes', recoveryCodes: r.result };
	},

	removeSecondFactor: async (event) => {
		const p = requireRole(event, ROLES.staff);
		requireSudo(event, 'manage_second_factor');
		return submit(
			{ form: 'removeSecondFactor' },
			() => twoFactor.remove(db(), ownId(p), p.role, actorOf(event, p)),
			'/account?done=two-factor-removed'
		);
	},

	password: async (event) => {
		const p = requireRole(event, ROLES.signedIn);
		const id = ownId(p);
		// Nothing typed is sent back: every field here is a password.
		const input = await readForm(event, changePasswordSchema);
		if (!input.ok) return input.failure;
		const result = await users.changeOwnPassword(
			db(),
			{
				userId: id,
				current: input.data.current,
				next: input.data.password,
				address: event.getClientAddress()
			},
			actorOf(event, p)
		);
		if (!result.ok) {
			if (result.reason === 'throttled')
				return refuse(
					input,
					{ current: m.auth_throttled({ seconds: result.retryAfter }) },
					{},
					429
				);
			return refuse(input, { current: messageOf('password_wrong') });
		}
		// Every session, this one included, ended with the change: sign in with the new password.
		deleteSessionCookie(event.cookies, event.url);
		redirect(303, '/sign-in?changed=1');
	}
};
