import { ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageCampaigns);
	return { currentYear: currentYear(), questionnaires: await surveys.listQuestionnaires(db()) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const input = await readForm(event, createCampaignSchema);
		if (!input.ok) return input.failure;
		return submit(
			input,
			() =>
				surveys.createCampaign(
					db(),
					input.data,
					actorOf(event, p),
					p.kind === 'user' ? p.id : null
				),
			(created) => `/campaigns?created=${encodeURIComponent(created.code)}`
		);
	}
};
