import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as results from '$lib/server/results';
import type { PageServerLoad } from './$types';

// Public: the published results of a year (a given revision or the current one), as the public
// sees them whoever is signed in; this page offers no drafts.
export const load: PageServerLoad = async (event) => {
	allowPublic(event);
	const year = Number(event.params.year);
	return orErrorPage(async () => {
		const choice = results.choiceOf(event.url.searchParams, false);
		const shown = await results.view(db(), null, year, choice);
		if (!shown) error(404, m.rankings_not_published({ year }));
		return { year, results: shown };
	});
};
