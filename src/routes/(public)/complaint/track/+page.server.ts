// The public tracking page: a complaint's number and tracking code (a POST: the code never goes
// into an address), then its stage and answer (src/lib/server/complaints/public-pages.ts).
import { allowPublic } from '$lib/server/auth/guard';
import { numberFrom, trackAction } from '$lib/server/complaints/public-pages';
import { db } from '$lib/server/db/app-db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	allowPublic(event);
	return { no: numberFrom(event.url) };
};

export const actions: Actions = {
	default: async (event) => {
		allowPublic(event);
		return trackAction(event, db());
	}
};
