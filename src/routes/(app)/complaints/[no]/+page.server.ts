// One complaint: what the reader may see of it (decided by the complaints module), and a form for
// each step the reader may take now. Every step is one action of the same shape: read its form
// with the step's schema, take the step, come back here.
import { error } from '@sveltejs/kit';
import { COMPLAINT_ACTIONS, type ComplaintAction } from '$lib/domain/complaints';
import { hasRole, ROLES } from '$lib/domain/roles';
import { isDomainError, messageOf } from '$lib/errors';
import { complaintActionSchemas } from '$lib/schemas/complaint-workflow';
import { actorOf, requireRole, type Principal } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import * as visits from '$lib/server/visits';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewComplaints);
	const no = event.params.no;
	let complaint: complaints.ComplaintView;
	try {
		complaint = await complaints.getComplaint(db(), p, no);
	} catch (e) {
		if (isDomainError(e, 'complaint_not_found')) error(404, messageOf('complaint_not_found'));
		throw e;
	}
	const handles = hasRole(p.role, ROLES.manageComplaints);
	const [supervisors, problemNo] = await Promise.all([
		handles && complaint.actions.includes('assign')
			? complaints.assignableSupervisors(db())
			: Promise.resolve([]),
		// The visit problem it was turned from, when the reader may see that problem.
		visits.problemLinkedTo(db(), p, { complaintNo: no })
	]);
	const saved = event.url.searchParams.get('saved');
	return {
		complaint,
		history: complaint.history,
		supervisors,
		problemNo,
		saved: COMPLAINT_ACTIONS.find((a) => a === saved) ?? null
	};
};

/** A step's action (who may take it on this complaint is the module's to check). */
async function step(event: RequestEvent, p: Principal, action: ComplaintAction) {
	const no = event.params.no;
	const input = await readForm(event, complaintActionSchemas[action], { form: action });
	if (!input.ok) return input.failure;
	return submit(
		input,
		() => complaints.actOnComplaint(db(), p, no, action, input.data as never, actorOf(event, p)),
		`/complaints/${encodeURIComponent(no)}?saved=${action}`
	);
}

export const actions: Actions = {
	accept: (event) => step(event, requireRole(event, ROLES.manageComplaints), 'accept'),
	reject: (event) => step(event, requireRole(event, ROLES.manageComplaints), 'reject'),
	assign: (event) => step(event, requireRole(event, ROLES.manageComplaints), 'assign'),
	request_response: (event) =>
		step(event, requireRole(event, ROLES.manageComplaints), 'request_response'),
	// The department's answer: its liaison (or an admin).
	respond: (event) => step(event, requireRole(event, ['admin', 'liaison']), 'respond'),
	conclude: (event) => step(event, requireRole(event, ROLES.manageComplaints), 'conclude'),
	sanction: (event) => step(event, requireRole(event, ROLES.manageComplaints), 'sanction'),
	extend: (event) => step(event, requireRole(event, ROLES.manageComplaints), 'extend'),
	give_feedback: (event) =>
		step(event, requireRole(event, ROLES.manageComplaints), 'give_feedback'),
	close: (event) => step(event, requireRole(event, ROLES.manageComplaints), 'close')
};
