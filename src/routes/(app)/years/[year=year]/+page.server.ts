import { error } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { formOfSettings, settingsFormSchema } from '$lib/schemas/years';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import { readForm, submit } from '$lib/server/forms';
import * as results from '$lib/server/results';
import type { Actions, PageServerLoad } from './$types';

const SAVED = ['created', 'settings', 'computed', 'published'] as const;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewYears);
	const year = Number(event.params.year);
	const found = await evaluation.getYear(db(), year);
	if (!found) error(404, m.evaluation_error_year_not_found());
	const [snapshots, draft] = await Promise.all([
		results.listSnapshots(db(), year),
		// Flagged, not refused, when its content fails the check: this page says to recompute.
		results.latestDraft(db(), year)
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
			...results.draftReview(draft),
			// A draft newer than the last publication is what "publish" would freeze.
			publishable: !published.some((s) => s.draftId === draft.id)
		},
		canEdit: hasRole(p.role, ROLES.manageYears) && !found.firstPublishedAt,
		canManage: hasRole(p.role, ROLES.manageYears),
		canCompute: hasRole(p.role, ROLES.computeYear),
		canPublish: hasRole(p.role, ROLES.publishYear),
		mayViewDraft: results.mayViewDrafts(p),
		saved: SAVED.find((s) => s === saved) ?? null
	};
};

export const actions: Actions = {
	settings: async (event) => {
		const p = requireRole(event, ROLES.manageYears);
		const year = Number(event.params.year);
		const input = await readForm(event, settingsFormSchema, { form: 'settings' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => evaluation.updateSettings(db(), year, input.data.settings, actorOf(event, p)),
			`/years/${year}?saved=settings`
		);
	},

	compute: async (event) => {
		const p = requireRole(event, ROLES.computeYear);
		const year = Number(event.params.year);
		// Another computation of the year holding the lock is a refusal like any other (409).
		return submit(
			{ form: 'compute' },
			() => evaluation.compute(db(), year, actorOf(event, p)),
			`/years/${year}?saved=computed`
		);
	}
};
