import { ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { createDepartmentSchema } from '$lib/schemas/departments';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as departments from '$lib/server/departments';
import { readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireRole(event, ROLES.manageDepartments);
	return { currentYear: currentYear() };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const input = await readForm(event, createDepartmentSchema);
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => departments.create(db(), input.data, actorOf(event, p)),
			(created) => `/departments/${encodeURIComponent(created.code)}?saved=created`
		);
	}
};
