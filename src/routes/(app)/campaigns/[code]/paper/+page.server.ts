// Keying in paper questionnaires: one sheet per submission, its number the response key (within
// the campaign), levels typed as digits; the form comes back empty for the next sheet. Only
// while the campaign is active and takes paper responses. Files of many go through
// /responses/import.
import { ROLES } from '$lib/domain/roles';
import { paperSchema } from '$lib/schemas/consoles';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import { orErrorPage } from '$lib/server/pages';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.recordResponses);
	const form = await orErrorPage(() => surveys.consoleForm(db(), event.params.code, 'paper'));
	return {
		campaign: form.campaign,
		questions: form.questions,
		departments: form.departments,
		saved: event.url.searchParams.get('saved')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.recordResponses);
		const { code } = event.params;
		const form = await orErrorPage(() => surveys.consoleForm(db(), code, 'paper'));
		const schema = paperSchema(
			form.questions,
			form.departments.map((d) => d.code)
		);
		const input = await readForm(event, schema);
		if (!input.ok) return input.failure;
		const number = input.data.response_key;
		return submit(
			input,
			() =>
				surveys.submitPaperResponse(db(), p, {
					campaignCode: code,
					response_key: number,
					answers: input.data.answers
				}),
			`/campaigns/${encodeURIComponent(code)}/paper?saved=${encodeURIComponent(number)}`
		);
	}
};
