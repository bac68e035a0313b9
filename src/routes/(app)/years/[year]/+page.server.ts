import { error, fail, redirect } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { formOfSettings, readSettingsForm } from '$lib/schemas/years';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import { evaluationErrorMessage } from '$lib/server/evaluation/refusals';
import * as reporting from '$lib/server/reporting';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const SAVED = ['created', 'settings', 'computed', 'published'] as const;

function yearOf(event: RequestEvent): number {
	const year = reporting.yearParam(event.params.year);
	if (year === null) error(404, m.evaluation_error_year_not_found());
	return year;
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewYears);
	const year = yearOf(event);
	const found = await evaluation.getYear(db(), year);
	if (!found) error(404, m.evaluation_error_year_not_found());
	const [snapshots, draft] = await Promise.all([
		evaluation.listSnapshots(db(), year),
		evaluation.latestDraft(db(), year)
	]);
	const saved = event.url.searchParams.get('saved');
	const published = snapshots.filter((s) => s.kind === 'published');
	return {
		year,
		settings: found.settings,
		settingsValues: formOfSettings(found.settings),
		firstPublishedAt: found.firstPublishedAt,
		snapshots,
		currentRevision: published.length ? Math.max(...published.map((s) => s.revision ?? 0)) : null,
		draft: draft && {
			id: draft.id,
			computedAt: draft.computedAt,
			computedBy: draft.computedBy,
			digest: draft.digest,
			digestOk: draft.digestOk,
			errors: draft.content.errors,
			warnings: draft.content.warnings,
			departments: draft.content.departments.map((d) => ({
				code: d.code,
				nameZh: d.nameZh,
				nameEn: d.nameEn
			})),
			// A draft newer than the last publication is what "publish" would freeze.
			publishable: !published.some((s) => s.draftId === draft.id)
		},
		canEdit: hasRole(p.role, ROLES.manageYears) && !found.firstPublishedAt,
		canManage: hasRole(p.role, ROLES.manageYears),
		canCompute: hasRole(p.role, ROLES.computeYear),
		canPublish: hasRole(p.role, ROLES.publishYear),
		mayViewDraft: hasRole(p.role, ROLES.viewDraftRankings),
		saved: SAVED.find((s) => s === saved) ?? null
	};
};

export const actions: Actions = {
	settings: async (event) => {
		const p = requireRole(event, ROLES.manageYears);
		const year = yearOf(event);
		const form = Object.fromEntries(await event.request.formData());
		const read = readSettingsForm(form, false);
		if (!read.ok) return fail(400, { form: 'settings', values: read.values, errors: read.errors });
		try {
			await evaluation.updateSettings(db(), year, read.settings, actorOf(event, p));
		} catch (e) {
			if (!(e instanceof evaluation.EvaluationError)) throw e;
			if (e.code === 'year_not_found') error(404, evaluationErrorMessage(e));
			return fail(400, {
				form: 'settings',
				values: read.values,
				errors: { _form: evaluationErrorMessage(e) }
			});
		}
		redirect(303, `/years/${year}?saved=settings`);
	},

	compute: async (event) => {
		const p = requireRole(event, ROLES.computeYear);
		const year = yearOf(event);
		try {
			await evaluation.compute(db(), year, actorOf(event, p));
		} catch (e) {
			// Another computation of the year holds the lock: say so, no error page.
			if (e instanceof evaluation.ComputationRunning)
				return fail(409, {
					form: 'compute',
					values: {},
					errors: { _form: m.evaluation_compute_running({ year }) }
				});
			if (!(e instanceof evaluation.EvaluationError)) throw e;
			if (e.code === 'year_not_found') error(404, evaluationErrorMessage(e));
			return fail(400, {
				form: 'compute',
				values: {},
				errors: { _form: evaluationErrorMessage(e) }
			});
		}
		redirect(303, `/years/${year}?saved=computed`);
	}
};
