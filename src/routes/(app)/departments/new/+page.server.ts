import { fail, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { createDepartmentSchema, departmentFieldErrors } from '$lib/schemas/departments';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as departments from '$lib/server/departments';
import { departmentErrorMessage } from '$lib/server/departments/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireRole(event, ROLES.manageDepartments);
	return { currentYear: currentYear() };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const form = Object.fromEntries(await event.request.formData());
		const values = {
			code: String(form.code ?? ''),
			nameZh: String(form.nameZh ?? ''),
			nameEn: String(form.nameEn ?? ''),
			category: String(form.category ?? ''),
			fromYear: String(form.fromYear ?? ''),
			superiorAuthority: String(form.superiorAuthority ?? '')
		};
		const parsed = createDepartmentSchema.safeParse(form);
		if (!parsed.success) return fail(400, { values, errors: departmentFieldErrors(parsed.error) });
		let code: string;
		try {
			const created = await db().transaction((tx) =>
				departments.create(tx, parsed.data, actorOf(event, p))
			);
			code = created.code;
		} catch (e) {
			if (!(e instanceof departments.DepartmentError)) throw e;
			return fail(400, {
				values,
				errors: { [e.field ?? '_form']: departmentErrorMessage(e) } as Record<string, string>
			});
		}
		redirect(303, `/departments/${encodeURIComponent(code)}?saved=created`);
	}
};
