import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { isValidYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import * as dashboard from '$lib/server/dashboard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import type { PageServerLoad } from './$types';

// The year-end dashboard: `?year=Y` (else the newest published year), `?draft` for the year's
// latest draft instead of its published revision.
export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.dashboard);
	const params = event.url.searchParams;
	const text = params.get('year');
	const year = text === null || text === '' ? null : Number(text);
	if (year !== null && !(/^\d{4}$/.test(text!) && isValidYear(year)))
		error(404, m.dashboard_no_such_year());
	return orErrorPage(async () => ({
		dashboard: await dashboard.dashboard(db(), p, { year, draft: params.has('draft') })
	}));
};
