import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.viewCampaigns);
	const version = /^\d{1,4}$/.test(event.params.version) ? Number(event.params.version) : 0;
	const found =
		version > 0 ? await surveys.getQuestionnaireVersion(db(), event.params.code, version) : null;
	if (!found) error(404, m.campaigns_error_questionnaire({ code: event.params.code }));
	return { version: found };
};
