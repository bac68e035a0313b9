import { ROLES } from '$lib/domain/roles';
import { createQuestionnaireSchema } from '$lib/schemas/questionnaires';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageQuestionnaires);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageQuestionnaires);
		const input = await readForm(event, createQuestionnaireSchema);
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => surveys.createQuestionnaire(db(), input.data, actorOf(event, p)),
			(q) => `/questionnaires/${encodeURIComponent(q.code)}/${q.version}`
		);
	}
};
