import { fail, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import { formOfSettings, readSettingsForm } from '$lib/schemas/years';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import { evaluationErrorMessage } from '$lib/server/evaluation/refusals';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageYears);
	const taken = new Set((await evaluation.listYears(db())).map((y) => y.year));
	// The year being evaluated is usually the one that just ended, or the current one.
	let year = currentYear();
	while (taken.has(year)) year++;
	return { defaults: { year: String(year), ...formOfSettings(DEFAULT_SETTINGS) } };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageYears);
		const form = Object.fromEntries(await event.request.formData());
		const read = readSettingsForm(form, true);
		if (!read.ok) return fail(400, { values: read.values, errors: read.errors });
		const year = read.year!;
		try {
			await evaluation.createYear(db(), { year, settings: read.settings }, actorOf(event, p));
		} catch (e) {
			if (!(e instanceof evaluation.EvaluationError)) throw e;
			const field = e.code === 'year_exists' || e.code === 'year_invalid' ? 'year' : '_form';
			return fail(400, { values: read.values, errors: { [field]: evaluationErrorMessage(e) } });
		}
		redirect(303, `/years/${year}?saved=created`);
	}
};
