import { error, fail, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { publishFormSchema } from '$lib/schemas/years';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import { evaluationErrorMessage } from '$lib/server/evaluation/refusals';
import * as reporting from '$lib/server/reporting';
import type { Actions, PageServerLoad } from './$types';

// Publishing shows, before the confirm button, what the draft changes against the current
// published revision (or everything, the first time).
export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.publishYear);
	const year = reporting.yearParam(event.params.year);
	if (year === null) error(404, m.evaluation_error_year_not_found());
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
		const year = reporting.yearParam(event.params.year);
		if (year === null) error(404, m.evaluation_error_year_not_found());
		const form = Object.fromEntries(await event.request.formData());
		const values = { note: String(form.note ?? ''), reason: String(form.reason ?? '') };
		const parsed = publishFormSchema.safeParse(form);
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const issue of parsed.error.issues) {
				const key = String(issue.path[0] ?? '_form');
				// A missing draft id is a tampered form, not something to fix in a field.
				errors[key === 'draftId' ? '_form' : key] ??=
					key === 'draftId' ? m.evaluation_error_draft_stale() : issue.message;
			}
			return fail(400, { values, errors });
		}
		const { note, reason, draftId } = parsed.data;
		let revision: number | null;
		try {
			const row = await evaluation.publish(
				db(),
				year,
				{ note: note || null, replacesReason: reason || null, draftId },
				actorOf(event, p)
			);
			revision = row.revision;
		} catch (e) {
			if (e instanceof evaluation.ComputationRunning)
				return fail(409, { values, errors: { _form: m.evaluation_compute_running({ year }) } });
			if (!(e instanceof evaluation.EvaluationError)) throw e;
			if (e.code === 'year_not_found') error(404, evaluationErrorMessage(e));
			const field = e.code === 'reason_required' ? 'reason' : '_form';
			return fail(400, { values, errors: { [field]: evaluationErrorMessage(e) } });
		}
		redirect(303, `/years/${year}?saved=published&revision=${revision ?? ''}`);
	}
};
