import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import {
	assignLeaderSchema,
	closeSchema,
	formErrors,
	planSchema,
	reportSchema
} from '$lib/schemas/rectification';
import {
	actorOf,
	requireDepartmentAccess,
	requireRole,
	type Principal
} from '$lib/server/auth/guard';
import type { Tx } from '$lib/server/db';
import { db } from '$lib/server/db/app-db';
import * as rectifications from '$lib/server/evaluation/rectification';
import { rectificationErrorMessage } from '$lib/server/evaluation/refusals';
import type { Actions, PageServerLoad } from './$types';

const SAVED = ['leader', 'plan', 'report', 'close'] as const;
type Form = (typeof SAVED)[number];

function idOf(event: Pick<RequestEvent, 'params'>): number {
	const text = event.params.id ?? '';
	return /^\d{1,9}$/.test(text) ? Number(text) : 0;
}

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

async function act(
	event: RequestEvent,
	form: Form,
	schemaFields: string[],
	schema: z.ZodType,
	run: (data: Record<string, unknown>) => (tx: Tx) => Promise<unknown>
) {
	const raw = Object.fromEntries(await event.request.formData());
	const values = Object.fromEntries(schemaFields.map((f) => [f, String(raw[f] ?? '')]));
	const parsed = schema.safeParse(raw);
	if (!parsed.success) return fail(400, { form, values, errors: formErrors(parsed.error) });
	try {
		await db().transaction(run(parsed.data as Record<string, unknown>));
	} catch (e) {
		if (!(e instanceof rectifications.RectificationError)) throw e;
		if (e.code === 'not_found') error(404, rectificationErrorMessage(e));
		return fail(400, {
			form,
			values,
			errors: { [e.field ?? '_form']: rectificationErrorMessage(e) }
		});
	}
	redirect(303, `/rectification/${idOf(event)}?saved=${form}`);
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewRectification);
	const r = await visible(p, idOf(event));
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
		const r = await visible(p, idOf(event));
		return act(
			event,
			'leader',
			['leaderId'],
			assignLeaderSchema,
			(d) => (tx) => rectifications.assignLeader(tx, r.id, d.leaderId as number, actorOf(event, p))
		);
	},
	plan: async (event) => {
		const p = requireRole(event, ROLES.reportRectification);
		const r = await visible(p, idOf(event));
		return act(
			event,
			'plan',
			['plan'],
			planSchema,
			(d) => (tx) => rectifications.submitPlan(tx, r.id, d.plan as string, actorOf(event, p))
		);
	},
	report: async (event) => {
		const p = requireRole(event, ROLES.reportRectification);
		const r = await visible(p, idOf(event));
		return act(
			event,
			'report',
			['body'],
			reportSchema,
			(d) => (tx) => rectifications.addReport(tx, r.id, d.body as string, actorOf(event, p))
		);
	},
	close: async (event) => {
		const p = requireRole(event, ROLES.closeRectification);
		const r = await visible(p, idOf(event));
		return act(
			event,
			'close',
			['note'],
			closeSchema,
			(d) => (tx) => rectifications.close(tx, r.id, d.note as string, actorOf(event, p))
		);
	}
};
