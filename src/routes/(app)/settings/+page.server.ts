import { hasRole, ROLES } from '$lib/domain/roles';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
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
		const input = await readForm(event, sessionSettingsSchema);
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => setSessionSettings(db(), input.data, actorOf(event, p)),
			'/settings?saved=1'
		);
	}
};
