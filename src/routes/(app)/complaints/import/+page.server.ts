import { getLocale } from '$lib/paraglide/runtime';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { db } from '$lib/server/db/app-db';
import { KINDS, panelOf } from '$lib/server/imports/kinds';
import { importAction, recordOutcome, summaryOf } from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

const KIND = KINDS.complaints;

export const load: PageServerLoad = (event) => {
	requireRole(event, KIND.roles);
	return { panel: panelOf(KIND), summary: summaryOf(event.url) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, KIND.roles);
		return importAction(event, KIND, {
			run: async (bytes) =>
				recordOutcome(
					await complaints.importFile(db(), bytes, { locale: getLocale() }, actorOf(event, p))
				)
		});
	}
};
