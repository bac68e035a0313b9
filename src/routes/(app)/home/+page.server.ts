// The home page of one's own work: a supervisor's worklist, a liaison's department, an
// enterprise's invitations, complaints and problems. What each sees is the home module's (and
// the modules it reads through) to decide.
import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as home from '$lib/server/home';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.home);
	const found = await home.homeOf(db(), p, { origin: surveys.publicOrigin(event.url.origin) });
	if (!found) error(403, m.auth_forbidden());
	return { home: found };
};
