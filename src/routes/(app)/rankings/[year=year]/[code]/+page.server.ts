import { error } from '@sveltejs/kit';
import { withSmallGroupsWithheld, type ShownDepartment } from '$lib/domain/explain';
import { hasRole, ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as reporting from '$lib/server/reporting';
import type { PageServerLoad } from './$types';

// "Why this score": one department's inputs from one snapshot row, never the raw records.
export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.staff);
	const year = Number(event.params.year);
	const code = event.params.code;
	// A liaison learns nothing of another department, not even whether it took part.
	if (!reporting.mayExplain(p, p.departmentCode, code)) error(403, m.auth_forbidden());
	const mayDraft = hasRole(p.role, ROLES.viewDraftRankings);
	const draft = event.url.searchParams.has('draft');
	if (draft && !mayDraft) error(403, m.auth_forbidden());
	const revisionText = event.url.searchParams.get('revision');
	const revision = reporting.revisionParam(revisionText);
	if (revisionText !== null && revision === null) error(404, m.error_not_found());
	const explanation = await reporting.explanation(
		db(),
		year,
		code,
		draft ? { kind: 'draft' } : { kind: 'published', revision }
	);
	if (!explanation)
		error(404, draft ? m.rankings_no_draft({ year }) : m.rankings_not_published({ year }));
	// roles.md: a liaison sees survey aggregates of groups of at least five responses only.
	const department: ShownDepartment =
		p.role === 'liaison' ? withSmallGroupsWithheld(explanation.department) : explanation.department;
	return { year, draft, explanation: { ...explanation, department } };
};
