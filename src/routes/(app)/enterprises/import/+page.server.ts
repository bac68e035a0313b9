import { requireRole } from '$lib/server/auth/guard';
import { importEnterprises } from '$lib/server/enterprises/import';
import { KINDS, panelOf } from '$lib/server/imports/kinds';
import { importRecords, summaryOf } from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

const KIND = KINDS.enterprises;

export const load: PageServerLoad = (event) => {
	requireRole(event, KIND.roles);
	return { panel: panelOf(KIND), summary: summaryOf(event.url) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, KIND.roles);
		return importRecords(event, KIND, p, importEnterprises);
	}
};
