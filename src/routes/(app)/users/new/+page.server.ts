import { ROLES } from '$lib/domain/roles';
import { createUserSchema } from '$lib/schemas/users';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { readForm, submit } from '$lib/server/forms';
import * as users from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageUsers);
	return { departments: await listOptions(db()) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageUsers);
		// The password is never sent back (readForm keeps secret fields out of `values`).
		const input = await readForm(event, createUserSchema);
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => users.create(db(), input.data, actorOf(event, p)),
			(created) => `/users/${created.id}?saved=created`
		);
	}
};
