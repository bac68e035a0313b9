// The campaign's invitations as CSV (`uscc,enterprise_name,card_no,url`), the same file as
// `export invitations CODE`: for mail merges and other printers than the contact-card view.
import { ROLES } from '$lib/domain/roles';
import { requireRole } from '$lib/server/auth/guard';
import { requireSudo } from '$lib/server/auth/sudo';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as surveys from '$lib/server/surveys';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireRole(event, ROLES.manageCampaigns);
	const code = event.params.code;
	const origin = surveys.publicOrigin(event.url.origin);
	const { lines } = await orErrorPage(() => surveys.invitationLines(db(), code, origin));
	// Every enterprise's address to answer as it, in one file: after a recent re-authentication.
	requireSudo(event, 'export_identities');
	const file = `invitations-${code.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
	return new Response(surveys.invitationsCsv(lines), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${file}"`,
			// Addresses that answer as an enterprise: kept out of shared caches.
			'cache-control': 'private, no-store'
		}
	});
};
