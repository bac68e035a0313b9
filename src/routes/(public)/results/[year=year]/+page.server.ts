import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as reporting from '$lib/server/reporting';
import type { PageServerLoad } from './$types';

// Public: the published results of a year (a given revision or the current one), never a draft.
export const load: PageServerLoad = async (event) => {
	allowPublic(event);
	const year = Number(event.params.year);
	const revisionText = event.url.searchParams.get('revision');
	const revision = reporting.revisionParam(revisionText);
	if (revisionText !== null && revision === null) error(404, m.error_not_found());
	const rankings = await reporting.rankings(db(), year, { kind: 'published', revision });
	if (!rankings) error(404, m.rankings_not_published({ year }));
	return { year, rankings: reporting.withoutProblems(rankings) };
};
