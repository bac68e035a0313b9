import { hasRole, ROLES } from '$lib/domain/roles';
import { createInvitationsSchema } from '$lib/schemas/invitations';
import { pageNumber } from '$lib/schemas/query';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import { orErrorPage } from '$lib/server/pages';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	// A liaison gets 403 here whether or not the campaign exists (campaigns are unannounced).
	const p = requireRole(event, ROLES.viewCampaigns);
	const page = pageNumber.parse(event.url.searchParams.get('page') ?? undefined);
	const list = await orErrorPage(() =>
		surveys.listInvitations(db(), p, event.params.code, { page, pageSize: PAGE_SIZE })
	);
	const c = list.campaign;
	return {
		campaign: { code: c.code, year: c.year, state: c.state, nameZh: c.nameZh, nameEn: c.nameEn },
		invitations: list.rows,
		total: list.total,
		units: list.units,
		uninvited: list.uninvited,
		page,
		pageSize: PAGE_SIZE,
		created: event.url.searchParams.get('created'),
		// The cards and the CSV carry the tokens: those who manage campaigns, not a leader.
		canManage: hasRole(p.role, ROLES.manageCampaigns)
	};
};

export const actions: Actions = {
	create: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const input = await readForm(event, createInvitationsSchema, { form: 'create' });
		if (!input.ok) return input.failure;
		const code = event.params.code;
		return submit(
			input,
			() =>
				surveys.createInvitations(db(), code, actorOf(event, p), p.kind === 'user' ? p.id : null),
			(r) => `/campaigns/${encodeURIComponent(code)}/invitations?created=${r.created.length}`
		);
	}
};
