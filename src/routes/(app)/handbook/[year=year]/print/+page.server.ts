import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as handbook from '$lib/server/handbook';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.viewHandbook);
	const year = Number(event.params.year);
	const edition = await handbook.edition(db(), year);
	if (!edition) error(404, m.handbook_no_edition({ year }));
	return { edition, sections: await handbook.sections(db(), year) };
};
