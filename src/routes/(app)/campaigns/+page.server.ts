import { hasRole, ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { campaignListQuerySchema } from '$lib/schemas/campaigns';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { KINDS } from '$lib/server/imports/kinds';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
	// A liaison never sees campaigns (roles.md): viewCampaigns leaves it out, so it gets 403.
	const p = requireRole(event, ROLES.viewCampaigns);
	const query = campaignListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const [{ rows, total }, withCampaigns] = await Promise.all([
		surveys.listCampaigns(db(), { year: query.year, page: query.page, pageSize: PAGE_SIZE }),
		surveys.campaignYears(db())
	]);
	// The filter offers the years that have campaigns, this year and the year asked for.
	const years = [
		...new Set([...withCampaigns, currentYear(), ...(query.year ? [query.year] : [])])
	].sort((a, b) => b - a);
	return {
		campaigns: rows,
		total,
		page: query.page,
		pageSize: PAGE_SIZE,
		year: query.year ?? null,
		years,
		created: event.url.searchParams.get('created'),
		canManage: hasRole(p.role, ROLES.manageCampaigns),
		canImport: hasRole(p.role, KINDS.responses.roles)
	};
};
