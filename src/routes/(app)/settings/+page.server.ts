import { fail, redirect } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { fieldErrors } from '$lib/schemas/field-errors';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import {
	DEFAULT_SESSION_SETTINGS,
	getSessionSettings,
	sessionSettingsSchema,
	setSessionSettings
} from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewSettings);
	return {
		settings: await getSessionSettings(db()),
		defaults: DEFAULT_SESSION_SETTINGS,
		// A leader sees the values; only an admin gets a form.
		canEdit: hasRole(p.role, ROLES.manageSettings),
		saved: event.url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageSettings);
		const form = Object.fromEntries(await event.request.formData());
		const parsed = sessionSettingsSchema.safeParse(form);
		if (!parsed.success) {
			const values = Object.fromEntries(
				Object.keys(DEFAULT_SESSION_SETTINGS).map((k) => [k, String(form[k] ?? '')])
			);
			return fail(400, { values, errors: fieldErrors(parsed.error) });
		}
		await db().transaction((tx) => setSessionSettings(tx, parsed.data, actorOf(event, p)));
		redirect(303, '/settings?saved=1');
	}
};
