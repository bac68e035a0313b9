// One visit: its team, materials, investor-card check, the on-site appraisal taken on it (the
// field console, linked by the visit number) and its problems; supervisors raise more problems.
import { hasRole, ROLES } from '$lib/domain/roles';
import { moreProblemsSchema } from '$lib/schemas/visits';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { readForm, submit } from '$lib/server/forms';
import { orErrorPage } from '$lib/server/pages';
import * as visits from '$lib/server/visits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewVisits);
	const visit = await orErrorPage(() => visits.getVisit(db(), p, event.params.no));
	const canManage = hasRole(p.role, ROLES.manageVisits);
	return {
		visit,
		canManage,
		departments: canManage ? (await listOptions(db())).filter((d) => d.active) : [],
		recorded: event.url.searchParams.has('recorded')
	};
};

export const actions: Actions = {
	problem: async (event) => {
		const p = requireRole(event, ROLES.manageVisits);
		const input = await readForm(event, moreProblemsSchema, { form: 'problem' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => visits.addProblems(db(), event.params.no, input.data, actorOf(event, p)),
			`/visits/${event.params.no}`
		);
	}
};
