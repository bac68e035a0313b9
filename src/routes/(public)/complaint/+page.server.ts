// The public complaint form (the address the contact card prints): src/lib/server/complaints/
// public-pages.ts says how the tracking code is shown once and a refresh files nothing more.
import { currentYear } from '$lib/domain/years';
import { allowPublic } from '$lib/server/auth/guard';
import { fileAction } from '$lib/server/complaints/public-pages';
import { db } from '$lib/server/db/app-db';
import { activeByCategory } from '$lib/server/departments/options';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	allowPublic(event);
	return { groups: await activeByCategory(db(), currentYear()) };
};

export const actions: Actions = {
	default: async (event) => fileAction(event, db(), allowPublic(event))
};
