import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { fieldErrors } from '$lib/errors';
import { importFormSchema } from '$lib/schemas/departments';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { importDepartments } from '$lib/server/departments/import';
import type { Actions, PageServerLoad } from './$types';

// The summary after a successful import travels in the redirect's query string (POST, then GET).
const summarySchema = z.object({
	year: z.coerce.number().int(),
	rows: z.coerce.number().int().min(0),
	created: z.coerce.number().int().min(0),
	updated: z.coerce.number().int().min(0),
	unchanged: z.coerce.number().int().min(0)
});

export const load: PageServerLoad = (event) => {
	requireRole(event, ROLES.manageDepartments);
	const summary = summarySchema.safeParse(Object.fromEntries(event.url.searchParams));
	return { currentYear: currentYear(), summary: summary.success ? summary.data : null };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const form = await event.request.formData();
		const year = String(form.get('year') ?? '');
		const file = form.get('file');
		const fileName = file instanceof File ? file.name : '';
		const parsed = importFormSchema.safeParse({ year });
		const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
		if (!(file instanceof File) || file.size === 0)
			errors.file = m.departments_import_choose_file();
		if (!parsed.success || errors.file) return fail(400, { year, fileName, errors, rowErrors: [] });

		const bytes = new Uint8Array(await (file as File).arrayBuffer());
		const result = await importDepartments(
			db(),
			bytes,
			{ year: parsed.data.year, locale: getLocale() },
			actorOf(event, p)
		);
		if (!result.ok) {
			return fail(400, { year, fileName, errors, rows: result.rows, rowErrors: result.errors });
		}
		const summary = new URLSearchParams({
			year: String(parsed.data.year),
			rows: String(result.rows),
			created: String(result.created),
			updated: String(result.updated),
			unchanged: String(result.unchanged)
		});
		redirect(303, `/departments/import?${summary}`);
	}
};
