import { redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { KINDS, panelOf } from '$lib/server/imports/kinds';
import {
	importUploadedResponses,
	responsesSummarySchema
} from '$lib/server/imports/responses-upload';
import { receiveToDisk, summaryOf } from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

const KIND = KINDS.responses;

export const load: PageServerLoad = (event) => {
	requireRole(event, KIND.roles);
	return { panel: panelOf(KIND), summary: summaryOf(event.url, responsesSummarySchema) };
};

export const actions: Actions = {
	// Without JavaScript: the form posts here and waits for the whole import. With it, the page
	// posts to ./upload instead and shows the progress.
	default: async (event) => {
		const p = requireRole(event, KIND.roles);
		const received = await receiveToDisk(event, KIND);
		if (!received.ok) return received.failure;
		let outcome;
		try {
			outcome = await importUploadedResponses(db(), received.upload, {
				locale: getLocale(),
				actor: actorOf(event, p)
			});
		} finally {
			await received.dispose();
		}
		if (!outcome.ok) return outcome.failure;
		redirect(303, outcome.location);
	}
};
