import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { resetPasswordSchema, setDisabledSchema, updateUserSchema } from '$lib/schemas/users';
import { actorOf, requireRole, type Principal } from '$lib/server/auth/guard';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { requireSudo } from '$lib/server/auth/sudo';
import * as twoFactor from '$lib/server/auth/two-factor';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { attempt, readForm, refuse } from '$lib/server/forms';
import * as users from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

async function accountOf(id: number) {
	const account = await users.get(db(), id);
	if (!account) error(404, m.users_not_found());
	return account;
}

const isSelf = (p: Principal, id: number) => p.kind === 'user' && p.id === id;

/** After a change that ended the admin's own sessions, go to sign-in rather than to a 303 loop. */
function done(event: RequestEvent, id: number, selfSignedOut: boolean, what: string): never {
	if (selfSignedOut) {
		deleteSessionCookie(event.cookies, event.url);
		redirect(303, what === 'password' ? '/sign-in?changed=1' : '/sign-in');
	}
	redirect(303, `/users/${id}?saved=${what}`);
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewUsers);
	const account = await accountOf(Number(event.params.id));
	const saved = event.url.searchParams.get('saved');
	return {
		account: {
			id: account.id,
			username: account.username,
			displayName: account.displayName,
			role: account.role,
			departmentCode: account.departmentCode,
			enterpriseUscc: account.enterpriseUscc,
			enterpriseName: account.enterpriseName,
			disabled: account.disabled,
			createdAt: account.createdAt,
			updatedAt: account.updatedAt
		},
		departments: await listOptions(db()),
		canManage: hasRole(p.role, ROLES.manageUsers),
		secondFactor: await twoFactor.status(db(), account.id, account.role),
		isSelf: isSelf(p, account.id),
		saved:
			saved && ['created', 'update', 'status', 'password', 'two-factor'].includes(saved)
				? saved
				: null
	};
};

export const actions: Actions = {
	update: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		const id = Number(event.params.id);
		const input = await readForm(event, updateUserSchema, { form: 'update' });
		if (!input.ok) return input.failure;
		const r = await attempt(input, () => users.update(db(), id, input.data, actorOf(event, p)));
		if (!r.ok) return r.failure;
		done(event, id, r.result.sessionsEnded && isSelf(p, id), 'update');
	},

	status: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		const id = Number(event.params.id);
		const input = await readForm(event, setDisabledSchema, { form: 'status' });
		if (!input.ok) return input.failure;
		// Disabling oneself would end the admin's own access mid-task; another admin must do it.
		if (input.data.disabled && isSelf(p, id))
			return refuse(input, { _form: m.users_cannot_disable_self() });
		const r = await attempt(input, () =>
			users.setDisabled(db(), id, input.data.disabled, actorOf(event, p))
		);
		if (!r.ok) return r.failure;
		done(event, id, false, 'status');
	},

	password: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		const id = Number(event.params.id);
		const input = await readForm(event, resetPasswordSchema, { form: 'password' });
		if (!input.ok) return input.failure;
		const r = await attempt(input, () =>
			users.setPassword(db(), id, input.data.password, actorOf(event, p))
		);
		if (!r.ok) return r.failure;
		done(event, id, isSelf(p, id), 'password');
	},

	/** A lost phone: the account's second factor removed and its sessions ended (audited). */
	resetSecondFactor: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		requireSudo(event, 'reset_second_factor');
		const id = Number(event.params.id);
		const r = await attempt({ form: 'twoFactor' }, () =>
			twoFactor.reset(db(), id, actorOf(event, p))
		);
		if (!r.ok) return r.failure;
		done(event, id, isSelf(p, id), 'two-factor');
	}
};
