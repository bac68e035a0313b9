import { fail, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { fieldErrors } from '$lib/schemas/field-errors';
import { createUserSchema } from '$lib/schemas/users';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import * as users from '$lib/server/users';
import { userErrorMessage } from '$lib/server/users/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageUsers);
	return { departments: await listOptions(db()) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		const form = Object.fromEntries(await event.request.formData());
		// Echo what was typed back into the form, never the password.
		const values = {
			username: String(form.username ?? ''),
			displayName: String(form.displayName ?? ''),
			role: String(form.role ?? ''),
			departmentCode: String(form.departmentCode ?? '')
		};
		const parsed = createUserSchema.safeParse(form);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		let id: number;
		try {
			const created = await db().transaction((tx) =>
				users.create(tx, parsed.data, actorOf(event, p))
			);
			id = created.id;
		} catch (e) {
			if (e instanceof users.UserError) {
				return fail(400, {
					values,
					errors: { [e.field ?? '_form']: userErrorMessage(e) } as Record<string, string>
				});
			}
			throw e;
		}
		redirect(303, `/users/${id}?saved=created`);
	}
};
