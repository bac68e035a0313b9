import { ROLES } from '$lib/domain/roles';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as results from '$lib/server/results';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	return { years: await results.years(db(), p), mayDraft: results.mayViewDrafts(p) };
};
