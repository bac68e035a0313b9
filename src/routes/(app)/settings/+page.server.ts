import { hasRole, ROLES } from '$lib/domain/roles';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import {
	complaintSettingsSchema,
	contactCardSettingsSchema,
	DEFAULT_COMPLAINT_SETTINGS,
	DEFAULT_CONTACT_CARD_SETTINGS,
	DEFAULT_SESSION_SETTINGS,
	getComplaintSettings,
	getSecondFactorSettings,
	secondFactorSettingsSchema,
	setSecondFactorSettings,
	getContactCardSettings,
	getSessionSettings,
	sessionSettingsSchema,
	setComplaintSettings,
	setContactCardSettings,
	setSessionSettings
} from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewSettings);
	const [settings, contactCard, complaints, secondFactor] = await Promise.all([
		getSessionSettings(db()),
		getContactCardSettings(db()),
		getComplaintSettings(db()),
		getSecondFactorSettings(db())
	]);
	return {
		settings,
		defaults: DEFAULT_SESSION_SETTINGS,
		contactCard,
		contactCardDefaults: DEFAULT_CONTACT_CARD_SETTINGS,
		complaints,
		complaintDefaults: DEFAULT_COMPLAINT_SETTINGS,
		secondFactor,
		// A leader sees the values; only an admin gets a form.
		canEdit: hasRole(p.role, ROLES.manageSettings),
		saved: event.url.searchParams.get('saved')
	};
};

export const actions: Actions = {
	sessions: async (event) => {
		const p = requireRole(event, ROLES.manageSettings);
		const input = await readForm(event, sessionSettingsSchema, { form: 'sessions' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => setSessionSettings(db(), input.data, actorOf(event, p)),
			'/settings?saved=sessions'
		);
	},
	contactCard: async (event) => {
		const p = requireRole(event, ROLES.manageSettings);
		const input = await readForm(event, contactCardSettingsSchema, { form: 'contactCard' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => setContactCardSettings(db(), input.data, actorOf(event, p)),
			'/settings?saved=contactCard'
		);
	},
	secondFactor: async (event) => {
		const p = requireRole(event, ROLES.manageSettings);
		const input = await readForm(event, secondFactorSettingsSchema, { form: 'secondFactor' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => setSecondFactorSettings(db(), input.data, actorOf(event, p)),
			'/settings?saved=secondFactor'
		);
	},
	complaints: async (event) => {
		const p = requireRole(event, ROLES.manageSettings);
		const input = await readForm(event, complaintSettingsSchema, { form: 'complaints' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => setComplaintSettings(db(), input.data, actorOf(event, p)),
			'/settings?saved=complaints'
		);
	}
};
