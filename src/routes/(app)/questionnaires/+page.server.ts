import { hasRole, ROLES } from '$lib/domain/roles';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// Questionnaires belong to campaign planning: who may see campaigns sees them.
	const p = requireRole(event, ROLES.viewCampaigns);
	return {
		versions: await surveys.listQuestionnaireVersions(db()),
		canManage: hasRole(p.role, ROLES.manageQuestionnaires)
	};
};
