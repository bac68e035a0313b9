import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { doc, isDocName } from '$lib/server/docs';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireRole(event, ROLES.staff);
	if (!isDocName(event.params.doc)) error(404, m.help_not_found());
	return doc(event.params.doc);
};
