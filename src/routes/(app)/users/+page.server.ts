import { z } from 'zod';
import { hasRole, ROLES } from '$lib/domain/roles';
import { roleSchema } from '$lib/schemas/users';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as users from '$lib/server/users';
import type { PageServerLoad } from './$types';
import { pageNumber } from '$lib/schemas/query';

const PAGE_SIZE = 25;

// Filters come from links and bookmarks: a bad value is dropped rather than refused.
const querySchema = z.object({
	q: z.string().trim().max(100).optional().catch(undefined),
	role: roleSchema.optional().catch(undefined),
	page: pageNumber
});

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewUsers);
	const query = querySchema.parse(Object.fromEntries(event.url.searchParams));
	const { rows, total } = await users.list(db(), {
		q: query.q || undefined,
		role: query.role,
		page: query.page,
		pageSize: PAGE_SIZE
	});
	return {
		users: rows.map((u) => ({
			id: u.id,
			username: u.username,
			displayName: u.displayName,
			role: u.role,
			disabled: u.disabled,
			departmentCode: u.departmentCode,
			departmentNameZh: u.departmentNameZh,
			departmentNameEn: u.departmentNameEn,
			enterpriseName: u.enterpriseName
		})),
		total,
		canManage: hasRole(p.role, ROLES.manageUsers),
		page: query.page,
		pageSize: PAGE_SIZE,
		query: { q: query.q ?? '', role: query.role ?? '' }
	};
};
