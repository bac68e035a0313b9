import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { hasRole, ROLES, seesAllDepartments } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import {
	departmentFieldErrors,
	exemptionSchema,
	removeExemptionSchema,
	setCategorySchema,
	updateDepartmentSchema
} from '$lib/schemas/departments';
import { actorOf, requireDepartmentAccess, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as departments from '$lib/server/departments';
import { departmentErrorMessage } from '$lib/server/departments/messages';
import type { Actions, PageServerLoad } from './$types';

type Errors = Record<string, string>;

const SAVED = ['created', 'update', 'category', 'exemption', 'exemption_removed'] as const;

/** What a failed action hands back: the form it came from (a page with several), values, errors. */
function refused(form: string, values: Record<string, string>, errors: Errors) {
	return fail(400, { form, values, errors });
}

function refusal(e: unknown): Errors {
	if (e instanceof departments.DepartmentError) {
		if (e.code === 'not_found') error(404, m.departments_error_not_found());
		return { [e.field ?? '_form']: departmentErrorMessage(e) };
	}
	throw e;
}

async function formOf(event: RequestEvent, fields: string[]) {
	const form = Object.fromEntries(await event.request.formData());
	const values = Object.fromEntries(fields.map((f) => [f, String(form[f] ?? '')]));
	return { form, values };
}

function parse<T extends z.ZodType>(schema: T, form: Record<string, unknown>) {
	const parsed = schema.safeParse(form);
	return parsed.success
		? { data: parsed.data as z.infer<T>, errors: null }
		: { data: null, errors: departmentFieldErrors(parsed.error) };
}

function done(code: string, what: (typeof SAVED)[number]): never {
	redirect(303, `/departments/${encodeURIComponent(code)}?saved=${what}`);
}

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
		const { form, values } = await formOf(event, [
			'nameZh',
			'nameEn',
			'superiorAuthority',
			'active'
		]);
		const { data, errors } = parse(updateDepartmentSchema, form);
		if (!data) return refused('update', values, errors);
		try {
			await db().transaction((tx) =>
				departments.update(tx, event.params.code, data, actorOf(event, p))
			);
		} catch (e) {
			return refused('update', values, refusal(e));
		}
		done(event.params.code, 'update');
	},

	category: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { form, values } = await formOf(event, ['fromYear', 'category', 'superiorAuthority']);
		const { data, errors } = parse(setCategorySchema, form);
		if (!data) return refused('category', values, errors);
		try {
			await db().transaction((tx) =>
				departments.setCategory(tx, event.params.code, data, actorOf(event, p))
			);
		} catch (e) {
			return refused('category', values, refusal(e));
		}
		done(event.params.code, 'category');
	},

	addExemption: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { form, values } = await formOf(event, ['year', 'reason']);
		const { data, errors } = parse(exemptionSchema, form);
		if (!data) return refused('addExemption', values, errors);
		try {
			await db().transaction((tx) =>
				departments.addExemption(tx, event.params.code, data, actorOf(event, p))
			);
		} catch (e) {
			return refused('addExemption', values, refusal(e));
		}
		done(event.params.code, 'exemption');
	},

	removeExemption: async (event) => {
		const p = requireRole(event, ROLES.manageDepartments);
		const { form, values } = await formOf(event, ['year']);
		const { data, errors } = parse(removeExemptionSchema, form);
		if (!data) return refused('removeExemption', values, errors);
		// A destructive step: the form's confirmation box must be ticked.
		if (form.confirm !== 'yes')
			return refused('removeExemption', values, { confirm: m.form_confirm_required() });
		try {
			await db().transaction((tx) =>
				departments.removeExemption(tx, event.params.code, data.year, actorOf(event, p))
			);
		} catch (e) {
			return refused('removeExemption', values, refusal(e));
		}
		done(event.params.code, 'exemption_removed');
	}
};
