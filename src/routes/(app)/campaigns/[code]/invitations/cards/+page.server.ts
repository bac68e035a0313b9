import { ROLES } from '$lib/domain/roles';
import { cardsQuerySchema } from '$lib/schemas/invitations';
import { requireRole } from '$lib/server/auth/guard';
import { requireSudo } from '$lib/server/auth/sudo';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// The cards carry the invitations' tokens: only those who manage campaigns print them.
	requireRole(event, ROLES.manageCampaigns);
	const query = cardsQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const origin = surveys.publicOrigin(event.url.origin);
	const batch = await orErrorPage(() =>
		surveys.contactCards(db(), event.params.code, origin, {
			page: query.page,
			pageSize: query.size
		})
	);
	// Every enterprise's card, with its address to answer as it (what the invitations CSV holds):
	// after a recent re-authentication, as for that file.
	requireSudo(event, 'export_identities');
	return { ...batch, page: query.page, pageSize: query.size };
};
