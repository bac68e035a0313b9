import { ROLES } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import { summaryView } from '$lib/server/visits/summary-tables';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.visitSummary);
	return orErrorPage(() => summaryView(db(), event.params.code, p, getLocale()));
};
