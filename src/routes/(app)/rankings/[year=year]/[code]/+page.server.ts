import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as results from '$lib/server/results';
import type { PageServerLoad } from './$types';

// "Why this score": one department's inputs from one snapshot row, never the raw records.
export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.staff);
	const year = Number(event.params.year);
	return orErrorPage(async () => {
		const choice = results.choiceOf(event.url.searchParams);
		const explanation = await results.explain(db(), p, year, event.params.code, choice);
		if (!explanation)
			error(
				404,
				choice.kind === 'draft' ? m.rankings_no_draft({ year }) : m.rankings_not_published({ year })
			);
		return { year, explanation };
	});
};
