import { allowPublic } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = (event) => {
	allowPublic(event);
	const u = event.locals.user;
	return {
		user: u
			? {
					username: u.username,
					displayName: u.displayName,
					role: u.role,
					departmentCode: u.departmentCode
				}
			: null
	};
};
