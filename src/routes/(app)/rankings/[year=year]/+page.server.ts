import { ROLES } from '$lib/domain/roles';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as results from '$lib/server/results';
import type { PageServerLoad } from './$types';

// Reads one snapshot row and nothing else: the benchmark times this read against the raw data.
export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	const year = Number(event.params.year);
	return orErrorPage(async () => {
		const choice = results.choiceOf(event.url.searchParams);
		return {
			year,
			draft: choice.kind === 'draft',
			mayDraft: results.mayViewDrafts(p),
			results: await results.view(db(), p, year, choice)
		};
	});
};
