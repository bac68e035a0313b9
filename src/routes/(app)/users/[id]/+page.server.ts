import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { fieldErrors } from '$lib/schemas/field-errors';
import { resetPasswordSchema, setDisabledSchema, updateUserSchema } from '$lib/schemas/users';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import * as users from '$lib/server/users';
import { userErrorMessage } from '$lib/server/users/messages';
import type { Actions, PageServerLoad } from './$types';

type Errors = Record<string, string>;

function idOf(param: string): number {
	const id = Number(param);
	if (!Number.isSafeInteger(id) || id < 1 || String(id) !== param) error(404, m.users_not_found());
	return id;
}

async function accountOf(id: number) {
	const account = await users.get(db(), id);
	if (!account) error(404, m.users_not_found());
	return account;
}

function refusal(e: unknown): Errors {
	if (e instanceof users.UserError) return { [e.field ?? '_form']: userErrorMessage(e) };
	throw e;
}

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
	const account = await accountOf(idOf(event.params.id));
	const saved = event.url.searchParams.get('saved');
	return {
		account: {
			id: account.id,
			username: account.username,
			displayName: account.displayName,
			role: account.role,
			departmentCode: account.departmentCode,
			disabled: account.disabled,
			createdAt: account.createdAt,
			updatedAt: account.updatedAt
		},
		departments: await listOptions(db()),
		canManage: hasRole(p.role, ROLES.manageUsers),
		isSelf: p.kind === 'user' && p.id === account.id,
		saved: saved && ['created', 'update', 'status', 'password'].includes(saved) ? saved : null
	};
};

export const actions: Actions = {
	update: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		const id = idOf(event.params.id);
		const form = Object.fromEntries(await event.request.formData());
		const values = {
			displayName: String(form.displayName ?? ''),
			role: String(form.role ?? ''),
			departmentCode: String(form.departmentCode ?? '')
		};
		const parsed = updateUserSchema.safeParse(form);
		if (!parsed.success)
			return fail(400, { update: { values, errors: fieldErrors(parsed.error) } });
		let sessionsEnded: boolean;
		try {
			sessionsEnded = await db().transaction(async (tx) => {
				const before = await users.get(tx, id);
				if (!before) throw new users.UserError('not_found');
				const after = await users.update(
					tx,
					id,
					{ ...parsed.data, disabled: before.disabled },
					actorOf(event, p)
				);
				return before.role !== after.role || before.departmentId !== after.departmentId;
			});
		} catch (e) {
			return fail(400, { update: { values, errors: refusal(e) } });
		}
		done(event, id, sessionsEnded && p.kind === 'user' && p.id === id, 'update');
	},

	status: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		const id = idOf(event.params.id);
		const parsed = setDisabledSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { status: { errors: fieldErrors(parsed.error) } });
		// Disabling oneself would end the admin's own access mid-task; another admin must do it.
		if (parsed.data.disabled && p.kind === 'user' && p.id === id) {
			return fail(400, { status: { errors: { _form: m.users_cannot_disable_self() } as Errors } });
		}
		try {
			await db().transaction((tx) =>
				users.setDisabled(tx, id, parsed.data.disabled, actorOf(event, p))
			);
		} catch (e) {
			return fail(400, { status: { errors: refusal(e) } });
		}
		done(event, id, false, 'status');
	},

	password: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		const id = idOf(event.params.id);
		const parsed = resetPasswordSchema.safeParse(
			Object.fromEntries(await event.request.formData())
		);
		// Never send a password back: only the errors.
		if (!parsed.success) return fail(400, { password: { errors: fieldErrors(parsed.error) } });
		try {
			await db().transaction((tx) =>
				users.setPassword(tx, id, parsed.data.password, actorOf(event, p))
			);
		} catch (e) {
			return fail(400, { password: { errors: refusal(e) } });
		}
		done(event, id, p.kind === 'user' && p.id === id, 'password');
	}
};
