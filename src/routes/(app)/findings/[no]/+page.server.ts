import { error } from '@sveltejs/kit';
import { allowedActions } from '$lib/domain/findings';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { confirmSchema, disputeSchema, withdrawSchema } from '$lib/schemas/findings';
import { actorOf, requireDepartmentAccess, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as findings from '$lib/server/findings';
import { readForm, submit } from '$lib/server/forms';
import * as visits from '$lib/server/visits';
import type { Actions, PageServerLoad } from './$types';

const SAVED = ['created', 'confirm', 'withdraw', 'dispute'] as const;

const afterSave = (no: string, what: (typeof SAVED)[number]) =>
	`/findings/${encodeURIComponent(no)}?saved=${what}`;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewFindings);
	const f = await findings.get(db(), p, event.params.no);
	// A liaison learns nothing about other departments' findings, not even whether they exist.
	if (!f)
		error(
			seesAllDepartments(p.role) ? 404 : 403,
			seesAllDepartments(p.role) ? m.findings_error_not_found() : m.auth_forbidden()
		);
	requireDepartmentAccess(p, f.departmentId);
	const [history, problemNo] = await Promise.all([
		findings.history(db(), p, f.findingNo),
		// The visit problem it was turned from, when the reader may see that problem.
		visits.problemLinkedTo(db(), p, { findingNo: f.findingNo })
	]);
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
		problemNo,
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
		const { no } = event.params;
		const input = await readForm(event, confirmSchema, { form: 'confirm' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => findings.confirm(db(), no, input.data, actorOf(event, p)),
			afterSave(no, 'confirm')
		);
	},

	withdraw: async (event) => {
		const p = requireRole(event, ROLES.manageFindings);
		const { no } = event.params;
		// Withdrawing is final: the schema requires the form's confirmation box.
		const input = await readForm(event, withdrawSchema, { form: 'withdraw' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => findings.withdraw(db(), no, input.data, actorOf(event, p)),
			afterSave(no, 'withdraw')
		);
	},

	dispute: async (event) => {
		const p = requireRole(event, ROLES.disputeFindings);
		const departmentId = p.departmentId;
		if (departmentId === null) error(403, m.auth_forbidden());
		const { no } = event.params;
		const input = await readForm(event, disputeSchema, { form: 'dispute' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() =>
				findings.dispute(db(), no, { reason: input.data.reason, departmentId }, actorOf(event, p)),
			afterSave(no, 'dispute')
		);
	}
};
