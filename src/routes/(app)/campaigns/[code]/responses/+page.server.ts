import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { messageOf } from '$lib/errors';
import { responsesQuerySchema } from '$lib/schemas/review';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	// Leaders, liaisons and enterprises never see individual responses (roles.md): 403 before
	// the campaign is looked up. The module refuses them too.
	const p = requireRole(event, ROLES.recordResponses);
	const code = event.params.code;
	const query = responsesQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const [detail, list, interviewers] = await Promise.all([
		surveys.campaignDetail(db(), p, code),
		surveys.listResponses(db(), p, code, { ...query, pageSize: PAGE_SIZE }),
		surveys.listSupervisors(db())
	]);
	if (!detail || !list) error(404, messageOf('campaign_not_found', { code }));
	const c = detail.campaign;
	return {
		campaign: { code: c.code, year: c.year, state: c.state, nameZh: c.nameZh, nameEn: c.nameEn },
		departments: detail.departments.map((d) => ({
			code: d.code,
			nameZh: d.nameZh,
			nameEn: d.nameEn
		})),
		interviewers,
		rows: list.rows,
		total: list.total,
		page: query.page,
		pageSize: PAGE_SIZE,
		filters: {
			channel: query.channel ?? null,
			department: query.department ?? null,
			flag: query.flag ?? null,
			interviewer: query.interviewer ?? null
		},
		seesIdentity: surveys.seesIdentity(p)
	};
};
