import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { publishFormSchema } from '$lib/schemas/years';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import { readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// Publishing shows, before the confirm button, what the draft changes against the current
// published revision (or everything, the first time).
export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.publishYear);
	const year = Number(event.params.year);
	const found = await evaluation.getYear(db(), year);
	if (!found) error(404, m.evaluation_error_year_not_found());
	const [draft, published] = await Promise.all([
		evaluation.latestDraft(db(), year),
		evaluation.latestPublished(db(), year)
	]);
	if (!draft) return { year, draft: null, published: null, diff: null };
	const diff = evaluation.diffSnapshots(published?.content ?? null, draft.content);
	return {
		year,
		draft: {
			id: draft.id,
			computedAt: draft.computedAt,
			digest: draft.digest,
			digestOk: draft.digestOk,
			errors: draft.content.errors,
			warnings: draft.content.warnings,
			departments: draft.content.departments.map((d) => ({
				code: d.code,
				nameZh: d.nameZh,
				nameEn: d.nameEn
			})),
			alreadyPublished: published?.draftId === draft.id
		},
		published: published && {
			revision: published.revision ?? 0,
			publishedAt: published.publishedAt
		},
		diff
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.publishYear);
		const year = Number(event.params.year);
		const input = await readForm(event, publishFormSchema);
		if (!input.ok) return input.failure;
		const { note, reason, draftId } = input.data;
		return submit(
			input,
			() =>
				evaluation.publish(
					db(),
					year,
					{ note: note || null, replacesReason: reason || null, draftId },
					actorOf(event, p)
				),
			(row) => `/years/${year}?saved=published&revision=${row.revision ?? ''}`
		);
	}
};
