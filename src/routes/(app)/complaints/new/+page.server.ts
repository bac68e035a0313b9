// A supervisor enters a complaint taken by telephone, in person, by letter or on a visit; the
// tracking code is shown once, on the complaint's page after saving, to pass on to the
// complainant.
import { ROLES } from '$lib/domain/roles';
import { formatTrackingCode } from '$lib/domain/complaints';
import { complaintEntrySchema } from '$lib/schemas/complaint-workflow';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { checkAttachments, filesOf, storeAttachments } from '$lib/server/complaints/attachments';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { attempt, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageComplaints);
	return { departments: await listOptions(db()) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageComplaints);
		const input = await readForm(event, complaintEntrySchema);
		if (!input.ok) return input.failure;
		// The files (a letter's scan, a photo) are checked and stored before the complaint is
		// written, as on the public form.
		const r = await attempt(input, async () => {
			const attachments = await storeAttachments(
				await checkAttachments(await filesOf(input.formData, 'attachments'))
			);
			return complaints.enterComplaint(db(), p, { ...input.data, attachments }, actorOf(event, p));
		});
		if (!r.ok) return r.failure;
		// Shown once, in this answer: never in an address or a log.
		return {
			created: {
				complaintNo: r.result.complaintNo,
				trackingCode: formatTrackingCode(r.result.trackingCode)
			}
		};
	}
};
