import { redirect } from '@sveltejs/kit';
import { allowPublic } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

// The start page is the first module a role works in; signed-out visitors go to sign-in. Leader
// and admin open on the year-end dashboard.
export const load: PageServerLoad = (event) => {
	const p = allowPublic(event);
	if (!p) redirect(303, '/sign-in');
	if (p.role === 'admin' || p.role === 'leader') redirect(303, '/dashboard');
	redirect(303, p.role === 'enterprise' ? '/account' : '/departments');
};
