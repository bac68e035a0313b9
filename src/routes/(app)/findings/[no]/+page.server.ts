import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { allowedActions } from '$lib/domain/findings';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { fieldErrors } from '$lib/schemas/field-errors';
import { confirmSchema, disputeSchema, withdrawSchema } from '$lib/schemas/findings';
import { actorOf, requireDepartmentAccess, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as findings from '$lib/server/findings';
import { findingErrorMessage } from '$lib/server/findings/messages';
import type { Actions, PageServerLoad } from './$types';

const SAVED = ['created', 'confirm', 'withdraw', 'dispute'] as const;

type Errors = Record<string, string>;

function refused(form: string, values: Record<string, string>, errors: Errors) {
	return fail(400, { form, values, errors });
}

function refusal(e: unknown): Errors {
	if (e instanceof findings.FindingError) {
		if (e.code === 'not_found') error(404, m.findings_error_not_found());
		return { [e.field ?? '_form']: findingErrorMessage(e) };
	}
	throw e;
}

async function formOf<T extends z.ZodType>(event: RequestEvent, schema: T, fields: string[]) {
	const form = Object.fromEntries(await event.request.formData());
	const values = Object.fromEntries(fields.map((f) => [f, String(form[f] ?? '')]));
	const parsed = schema.safeParse(form);
	return parsed.success
		? { form, values, data: parsed.data as z.infer<T>, errors: null }
		: { form, values, data: null, errors: fieldErrors(parsed.error) };
}

function done(no: string, what: (typeof SAVED)[number]): never {
	redirect(303, `/findings/${encodeURIComponent(no)}?saved=${what}`);
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewFindings);
	const f = await findings.get(db(), event.params.no);
	// A liaison learns nothing about other departments' findings, not even whether they exist.
	if (!f)
		error(
			seesAllDepartments(p.role) ? 404 : 403,
			seesAllDepartments(p.role) ? m.findings_error_not_found() : m.auth_forbidden()
		);
	requireDepartmentAccess(p, f.departmentId);
	const history = await findings.history(db(), f.findingNo);
	const allowed = allowedActions({ status: f.status, disputed: f.disputeReason !== null });
	const canManage = hasRole(p.role, ROLES.manageFindings);
	const canDispute = hasRole(p.role, ROLES.disputeFindings);
	const saved = event.url.searchParams.get('saved');
	return {
		finding: {
			findingNo: f.findingNo,
			date: f.date,
			source: f.source,
			points: f.points,
			status: f.status,
			description: f.description,
			departmentCode: f.departmentCode,
			departmentNameZh: f.departmentNameZh,
			departmentNameEn: f.departmentNameEn,
			disputeReason: f.disputeReason,
			disputedAt: f.disputedAt,
			disputedByName: f.disputedByName,
			resolutionNote: f.resolutionNote,
			resolvedAt: f.resolvedAt,
			resolvedByName: f.resolvedByName,
			createdAt: f.createdAt,
			createdByName: f.createdByName
		},
		history,
		can: {
			confirm: canManage && allowed.includes('confirm'),
			withdraw: canManage && allowed.includes('withdraw'),
			dispute: canDispute && allowed.includes('dispute')
		},
		// Why a department may not dispute, when it is the one looking.
		disputeUsed: canDispute && f.disputeReason !== null,
		saved: SAVED.find((s) => s === saved) ?? null
	};
};

export const actions: Actions = {
	confirm: async (event) => {
		const p = requireRole(event, ROLES.manageFindings);
		const { values, data, errors } = await formOf(event, confirmSchema, ['note']);
		if (!data) return refused('confirm', values, errors);
		try {
			await db().transaction((tx) =>
				findings.confirm(tx, event.params.no, data, actorOf(event, p))
			);
		} catch (e) {
			return refused('confirm', values, refusal(e));
		}
		done(event.params.no, 'confirm');
	},

	withdraw: async (event) => {
		const p = requireRole(event, ROLES.manageFindings);
		const { form, values, data, errors } = await formOf(event, withdrawSchema, ['note']);
		if (!data) return refused('withdraw', values, errors);
		// Withdrawing is final: the form's confirmation box must be ticked.
		if (form.confirm !== 'yes')
			return refused('withdraw', values, { confirm: m.form_confirm_required() });
		try {
			await db().transaction((tx) =>
				findings.withdraw(tx, event.params.no, data, actorOf(event, p))
			);
		} catch (e) {
			return refused('withdraw', values, refusal(e));
		}
		done(event.params.no, 'withdraw');
	},

	dispute: async (event) => {
		const p = requireRole(event, ROLES.disputeFindings);
		if (p.departmentId === null) error(403, m.auth_forbidden());
		const { values, data, errors } = await formOf(event, disputeSchema, ['reason']);
		if (!data) return refused('dispute', values, errors);
		try {
			await db().transaction((tx) =>
				findings.dispute(
					tx,
					event.params.no,
					{ reason: data.reason, departmentId: p.departmentId! },
					actorOf(event, p)
				)
			);
		} catch (e) {
			return refused('dispute', values, refusal(e));
		}
		done(event.params.no, 'dispute');
	}
};
