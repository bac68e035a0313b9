import { redirect } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { allowPublic } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

// The start page: the home of one's own work for the roles that have one (supervisor, liaison,
// enterprise), else the first module a role works in; signed-out visitors go to sign-in.
export const load: PageServerLoad = (event) => {
	const p = allowPublic(event);
	if (!p) redirect(303, '/sign-in');
	redirect(303, hasRole(p.role, ROLES.home) ? '/home' : '/departments');
};
