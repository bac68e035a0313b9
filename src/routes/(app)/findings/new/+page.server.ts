import { ROLES } from '$lib/domain/roles';
import { formatDate } from '$lib/domain/time';
import { createFindingSchema } from '$lib/schemas/findings';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import * as findings from '$lib/server/findings';
import { readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageFindings);
	const departments = (await listOptions(db())).filter((d) => d.active);
	return { departments, today: formatDate(new Date()) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageFindings);
		const input = await readForm(event, createFindingSchema);
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => findings.record(db(), input.data, actorOf(event, p)),
			(created) => `/findings/${encodeURIComponent(created.findingNo)}?saved=created`
		);
	}
};
