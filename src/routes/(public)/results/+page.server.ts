import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as results from '$lib/server/results';
import type { PageServerLoad } from './$types';

// Public: the years whose results are published (roles.md: rankings, published, for everyone).
export const load: PageServerLoad = async (event) => {
	allowPublic(event);
	return { years: await results.years(db(), null) };
};
