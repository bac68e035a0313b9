// A file sent with a complaint, downloaded (never shown inline): for those who see who complained
// in full; anyone else gets the same 404 as for a file that does not exist.
import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { isDomainError, messageOf } from '$lib/errors';
import { requireRole } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { db } from '$lib/server/db/app-db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	const id = Number(event.params.id);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, messageOf('complaint_not_found'));
	try {
		return await complaints.complaintAttachmentDownload(db(), p, event.params.no, id);
	} catch (e) {
		if (isDomainError(e, 'complaint_not_found', 'attachment_not_found'))
			error(404, messageOf('complaint_not_found'));
		throw e;
	}
};
