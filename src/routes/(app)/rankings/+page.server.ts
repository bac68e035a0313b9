import { hasRole, ROLES } from '$lib/domain/roles';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as reporting from '$lib/server/reporting';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	const mayDraft = hasRole(p.role, ROLES.viewDraftRankings);
	return { years: await reporting.years(db(), mayDraft), mayDraft };
};
