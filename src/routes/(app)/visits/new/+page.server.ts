// Recording a visit on a tablet: the form keeps what is typed on the tablet and sends it again
// under one key until the server has it (ResilientForm), so a lost connection loses nothing and
// stores the visit once.
import { ROLES } from '$lib/domain/roles';
import { localDate } from '$lib/domain/working-days';
import { visitSchema } from '$lib/schemas/visits';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { readForm, submit } from '$lib/server/forms';
import * as visits from '$lib/server/visits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageVisits);
	const options = await visits.visitFormOptions(db(), event.url.searchParams.get('campaign'));
	return {
		...options,
		departments: (await listOptions(db())).filter((d) => d.active),
		today: localDate(new Date()),
		responseKey: crypto.randomUUID()
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageVisits);
		const input = await readForm(event, visitSchema);
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => visits.recordVisit(db(), input.data, actorOf(event, p)),
			(r) => `/visits/${r.visitNo}?recorded`
		);
	}
};
