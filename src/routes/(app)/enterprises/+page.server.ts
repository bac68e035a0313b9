import { hasRole, ROLES } from '$lib/domain/roles';
import { listQuerySchema } from '$lib/schemas/enterprises';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as enterprises from '$lib/server/enterprises';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewEnterprises);
	const query = listQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	// Contact details are personal information: in full for admin and supervisors only.
	const revealContacts = p.role === 'admin' || p.role === 'supervisor';
	const { rows, total } = await enterprises.list(db(), {
		q: query.q,
		page: query.page,
		pageSize: PAGE_SIZE,
		revealContacts
	});
	return {
		enterprises: rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		query: { q: query.q },
		masked: !revealContacts,
		canManage: hasRole(p.role, ROLES.manageEnterprises)
	};
};
