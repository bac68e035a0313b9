import { error, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { messageOf } from '$lib/errors';
import { voidResponseSchema } from '$lib/schemas/review';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { attempt, readForm, refuse } from '$lib/server/forms';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.recordResponses);
	const { code, key } = event.params;
	const response = await surveys.reviewResponse(db(), p, code, key);
	if (!response) error(404, messageOf('review_response_not_found', { key }));
	return { response, done: event.url.searchParams.get('done') };
};

export const actions: Actions = {
	void: async (event) => {
		const p = requireRole(event, ROLES.recordResponses);
		const { code, key } = event.params;
		const input = await readForm(event, voidResponseSchema, { form: 'void' });
		if (!input.ok) return input.failure;
		// Voiding is for good: confirmed by a box on the form (it works without JavaScript).
		if (input.formData.get('confirm') !== 'yes')
			return refuse(input, { confirm: messageOf('confirm_required') });
		const r = await attempt(input, () =>
			surveys.voidResponse(db(), p, key, input.data.reason, actorOf(event, p))
		);
		if (!r.ok) return r.failure;
		redirect(
			303,
			`/campaigns/${encodeURIComponent(code)}/responses/${encodeURIComponent(key)}?done=voided`
		);
	}
};
