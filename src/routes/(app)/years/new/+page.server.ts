import { ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import { formOfSettings, yearFormSchema } from '$lib/schemas/years';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import { readForm, submit } from '$lib/server/forms';
import * as results from '$lib/server/results';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.manageYears);
	const taken = new Set((await results.years(db(), p)).map((y) => y.year));
	// The year being evaluated is usually the one that just ended, or the current one.
	let year = currentYear();
	while (taken.has(year)) year++;
	return { defaults: { year: String(year), ...formOfSettings(DEFAULT_SETTINGS) } };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageYears);
		const input = await readForm(event, yearFormSchema);
		if (!input.ok) return input.failure;
		const { year, settings } = input.data;
		return submit(
			input,
			() => evaluation.createYear(db(), { year, settings }, actorOf(event, p)),
			`/years/${year}?saved=created`
		);
	}
};
