import { requireRole } from '$lib/server/auth/guard';
import { importFindings } from '$lib/server/findings/import';
import { KINDS, panelOf } from '$lib/server/imports/kinds';
import { importRecords, summaryOf } from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

const KIND = KINDS.findings;

export const load: PageServerLoad = (event) => {
	requireRole(event, KIND.roles);
	return { panel: panelOf(KIND), summary: summaryOf(event.url) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, KIND.roles);
		return importRecords(event, KIND, p, importFindings);
	}
};
