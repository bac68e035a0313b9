import { redirect } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { allowPublic, SECOND_STEP_PAGES } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

// The start page: leader and admin open on the year-end dashboard, the roles with a home of
// their own work (supervisor, liaison, enterprise) on it; signed-out visitors go to sign-in.
export const load: PageServerLoad = (event) => {
	const p = allowPublic(event);
	const pending = event.locals.secondStep;
	if (!p) redirect(303, pending ? SECOND_STEP_PAGES[pending.kind] : '/sign-in');
	redirect(303, hasRole(p.role, ROLES.home) ? '/home' : '/dashboard');
};
