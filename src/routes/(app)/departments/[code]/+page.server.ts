import { error } from '@sveltejs/kit';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import {
	exemptionSchema,
	removeDepartmentSchema,
	removeExemptionSchema,
	setCategorySchema,
	updateDepartmentSchema
} from '$lib/schemas/departments';
import { actorOf, requireDepartmentAccess, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as departments from '$lib/server/departments';
import { readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const SAVED = ['created', 'update', 'category', 'exemption', 'exemption_removed'] as const;

const afterSave = (code: string, what: (typeof SAVED)[number]) =>
	`/departments/${encodeURIComponent(code)}?saved=${what}`;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewDepartments);
	const d = await departments.getByCode(db(), event.params.code);
	// A liaison learns nothing about other codes, not even whether they exist.
	if (!d)
		error(
			seesAllDepartments(p.role) ? 404 : 403,
			seesAllDepartments(p.role) ? m.departments_error_not_found() : m.auth_forbidden()
		);
	requireDepartmentAccess(p, d.id);
	const thisYear = currentYear();
	const saved = event.url.searchParams.get('saved');
	return {
		department: {
			code: d.code,
			nameZh: d.nameZh,
			nameEn: d.nameEn,
			superiorAuthority: d.superiorAuthority,
			active: d.active,
			example: d.example,
			createdAt: d.createdAt,
			updatedAt: d.updatedAt
		},
		categories: d.categories,
		exemptions: d.exemptions,
		categoryNow: d.categories.find((c) => c.fromYear <= thisYear)?.category ?? null,
		exemptNow: d.exemptions.some((e) => e.year === thisYear),
		currentYear: thisYear,
		canManage: hasRole(p.role, ROLES.manageDepartments),
		saved: SAVED.find((s) => s === saved) ?? null
	};
};

export const actions: Actions = {
	update: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { code } = event.params;
		const input = await readForm(event, updateDepartmentSchema, { form: 'update' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => departments.update(db(), code, input.data, actorOf(event, p)),
			afterSave(code, 'update')
		);
	},

	category: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { code } = event.params;
		const input = await readForm(event, setCategorySchema, { form: 'category' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => departments.setCategory(db(), code, input.data, actorOf(event, p)),
			afterSave(code, 'category')
		);
	},

	addExemption: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { code } = event.params;
		const input = await readForm(event, exemptionSchema, { form: 'addExemption' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => departments.addExemption(db(), code, input.data, actorOf(event, p)),
			afterSave(code, 'exemption')
		);
	},

	removeExemption: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { code } = event.params;
		// A destructive step: the schema requires the form's confirmation box.
		const input = await readForm(event, removeExemptionSchema, { form: 'removeExemption' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => departments.removeExemption(db(), code, input.data.year, actorOf(event, p)),
			afterSave(code, 'exemption_removed')
		);
	},

	remove: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { code } = event.params;
		// Refused, naming what refers to it, while any record does.
		const input = await readForm(event, removeDepartmentSchema, { form: 'remove' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => departments.remove(db(), code, actorOf(event, p)),
			`/departments?removed=${encodeURIComponent(code)}`
		);
	}
};
