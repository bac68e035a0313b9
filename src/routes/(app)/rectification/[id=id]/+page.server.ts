import { error } from '@sveltejs/kit';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import {
	assignLeaderSchema,
	closeSchema,
	planSchema,
	reportSchema
} from '$lib/schemas/rectification';
import {
	actorOf,
	requireDepartmentAccess,
	requireRole,
	type Principal
} from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as rectifications from '$lib/server/rectification';
import { readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const SAVED = ['leader', 'plan', 'report', 'close'] as const;
type Form = (typeof SAVED)[number];

/** The rectification, if the principal may see it; a liaison learns nothing of others'. */
async function visible(p: Principal, id: number) {
	const r = await rectifications.get(db(), id);
	if (!r) {
		if (seesAllDepartments(p.role)) error(404, m.rectification_error_not_found());
		error(403, m.auth_forbidden());
	}
	requireDepartmentAccess(p, r.departmentId);
	return r;
}

const afterSave = (id: number, form: Form) => `/rectification/${id}?saved=${form}`;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewRectification);
	const r = await visible(p, Number(event.params.id));
	const open = r.state === 'open' || r.state === 'overdue';
	const canAssign = open && hasRole(p.role, ROLES.assignRectificationLeader);
	const saved = event.url.searchParams.get('saved');
	return {
		r,
		leaders: canAssign ? await rectifications.leaders(db()) : [],
		canAssign,
		// The plan and reports come from the department itself.
		canReport:
			open && hasRole(p.role, ROLES.reportRectification) && p.departmentId === r.departmentId,
		canClose: open && hasRole(p.role, ROLES.closeRectification),
		saved: SAVED.find((s) => s === saved) ?? null
	};
};

export const actions: Actions = {
	assign: async (event) => {
		const p = requireRole(event, ROLES.assignRectificationLeader);
		const r = await visible(p, Number(event.params.id));
		const input = await readForm(event, assignLeaderSchema, { form: 'leader' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => rectifications.assignLeader(db(), r.id, input.data.leaderId, actorOf(event, p)),
			afterSave(r.id, 'leader')
		);
	},
	plan: async (event) => {
		const p = requireRole(event, ROLES.reportRectification);
		const r = await visible(p, Number(event.params.id));
		const input = await readForm(event, planSchema, { form: 'plan' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => rectifications.submitPlan(db(), r.id, input.data.plan, actorOf(event, p)),
			afterSave(r.id, 'plan')
		);
	},
	report: async (event) => {
		const p = requireRole(event, ROLES.reportRectification);
		const r = await visible(p, Number(event.params.id));
		const input = await readForm(event, reportSchema, { form: 'report' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => rectifications.addReport(db(), r.id, input.data.body, actorOf(event, p)),
			afterSave(r.id, 'report')
		);
	},
	close: async (event) => {
		const p = requireRole(event, ROLES.closeRectification);
		const r = await visible(p, Number(event.params.id));
		const input = await readForm(event, closeSchema, { form: 'close' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => rectifications.close(db(), r.id, input.data.note, actorOf(event, p)),
			afterSave(r.id, 'close')
		);
	}
};
