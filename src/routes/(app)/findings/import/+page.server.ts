import { redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { FINDING_COLUMNS, importFindings } from '$lib/server/findings/import';
import { runUpload, summaryOf } from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireRole(event, ROLES.manageFindings);
	return { columns: FINDING_COLUMNS, summary: summaryOf(event.url) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageFindings);
		const outcome = await runUpload(event, (bytes) =>
			importFindings(db(), bytes, { locale: getLocale() }, actorOf(event, p))
		);
		if (outcome.failure) return outcome.failure;
		redirect(303, `/findings/import?${outcome.query}`);
	}
};
