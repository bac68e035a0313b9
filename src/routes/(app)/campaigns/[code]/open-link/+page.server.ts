// A campaign's open link (issue 8 §5): its address, made or replaced by those who manage
// campaigns, for an active campaign that takes online responses.
import { hasRole, ROLES } from '$lib/domain/roles';
import { openLinkSchema } from '$lib/schemas/invitations';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import { orErrorPage } from '$lib/server/pages';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewCampaigns);
	const view = await orErrorPage(() =>
		surveys.getOpenLink(db(), p, event.params.code, surveys.publicOrigin(event.url.origin))
	);
	return {
		...view,
		canManage: hasRole(p.role, ROLES.manageCampaigns),
		saved: event.url.searchParams.get('saved')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const input = await readForm(event, openLinkSchema);
		if (!input.ok) return input.failure;
		const code = event.params.code;
		return submit(
			input,
			() =>
				surveys.createOpenLink(
					db(),
					code,
					{ replace: input.data.confirm },
					actorOf(event, p),
					p.kind === 'user' ? p.id : null
				),
			(r) =>
				`/campaigns/${encodeURIComponent(code)}/open-link?saved=${r.replaced ? 'replaced' : 'created'}`
		);
	}
};
