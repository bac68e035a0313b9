import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { isDomainError, messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { publishFormSchema } from '$lib/schemas/years';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { requireSudo } from '$lib/server/auth/sudo';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import { readForm, submit } from '$lib/server/forms';
import * as results from '$lib/server/results';
import type { Actions, PageServerLoad } from './$types';

// Publishing shows, before the confirm button, what the draft changes against the current
// published revision (or everything, the first time).
export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.publishYear);
	const year = Number(event.params.year);
	const found = await evaluation.getYear(db(), year);
	if (!found) error(404, m.evaluation_error_year_not_found());
	const [draft, current] = await Promise.all([
		results.latestDraft(db(), year),
		results.currentRevision(db(), year)
	]);
	if (!draft) return { year, draft: null, published: null, diff: null, diffRefused: null };
	// The changes against the current revision, read and checked like every published read; a
	// revision that fails the check shows the refusal instead of changes, and can still be
	// corrected by publishing this draft (publication reads none of its content).
	let diff = null;
	let diffRefused: string | null = null;
	try {
		const published = current && (await results.latestPublished(db(), year));
		diff = evaluation.diffSnapshots(published?.content ?? null, draft.content);
	} catch (e) {
		if (!isDomainError(e, 'digest_mismatch')) throw e;
		diffRefused = messageOf(e.code, e.params);
	}
	return {
		year,
		draft: {
			...results.draftReview(draft),
			alreadyPublished: current?.draftId === draft.id
		},
		published: current && {
			revision: current.revision ?? 0,
			publishedAt: current.publishedAt
		},
		diff,
		diffRefused
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.publishYear);
		requireSudo(event, 'publish_results');
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
