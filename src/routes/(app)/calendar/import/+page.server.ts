import { redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { HOLIDAY_COLUMNS, importHolidays } from '$lib/server/calendar/import';
import { db } from '$lib/server/db/app-db';
import { runUpload, summaryOf } from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireRole(event, ROLES.manageCalendar);
	return { columns: HOLIDAY_COLUMNS, summary: summaryOf(event.url) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageCalendar);
		const outcome = await runUpload(event, (bytes) =>
			importHolidays(db(), bytes, { locale: getLocale() }, actorOf(event, p))
		);
		if (outcome.failure) return outcome.failure;
		redirect(303, `/calendar/import?${outcome.query}`);
	}
};
