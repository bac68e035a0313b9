import { error } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as reporting from '$lib/server/reporting';
import type { PageServerLoad } from './$types';

// Reads one snapshot row and nothing else: the benchmark times this page against the raw data.
export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	const year = Number(event.params.year);
	const mayDraft = hasRole(p.role, ROLES.viewDraftRankings);
	const draft = event.url.searchParams.has('draft');
	if (draft && !mayDraft) error(403, m.auth_forbidden());
	const revisionText = event.url.searchParams.get('revision');
	const revision = reporting.revisionParam(revisionText);
	if (revisionText !== null && revision === null) error(404, m.error_not_found());
	const rankings = await reporting.rankings(
		db(),
		year,
		draft ? { kind: 'draft' } : { kind: 'published', revision }
	);
	if (!rankings && revision !== null) error(404, m.error_not_found());
	const ownCode = p.departmentCode;
	return {
		year,
		draft,
		mayDraft,
		// Errors and warnings are shown with drafts only; a published view does not carry them.
		rankings: rankings && (draft ? rankings : reporting.withoutProblems(rankings)),
		// Links to "why this score": every department for staff who see all, the own one for a
		// liaison (published results only), none for others.
		whyCodes:
			rankings && (!draft || mayDraft)
				? rankings.departments.map((d) => d.code).filter((c) => reporting.mayExplain(p, ownCode, c))
				: []
	};
};
