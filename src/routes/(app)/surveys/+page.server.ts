import { ROLES } from '$lib/domain/roles';
import { MIN_GROUP_FOR_LIAISON, MIN_TEXT_GROUP_FOR_LIAISON } from '$lib/domain/explain';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// Closed campaigns only: nothing here tells a liaison of a draft or running one (roles.md).
	const p = requireRole(event, ROLES.departmentSurveys);
	return {
		surveys: await surveys.surveysAboutDepartment(db(), p),
		minGroup: MIN_GROUP_FOR_LIAISON,
		minTextGroup: MIN_TEXT_GROUP_FOR_LIAISON
	};
};
