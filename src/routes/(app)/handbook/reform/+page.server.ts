import { ROLES } from '$lib/domain/roles';
import { reformQuerySchema } from '$lib/schemas/handbook';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as handbook from '$lib/server/handbook';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.viewHandbook);
	const query = reformQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const editions = (await handbook.editions(db())).map((e) => e.year);
	// Default: the latest edition against the one before it.
	const to = query.to ?? editions[0] ?? null;
	const from = query.from ?? editions.find((y) => to !== null && y < to) ?? null;
	const base = { editions, from, to };
	if (from === null || to === null) return { ...base, problem: 'need_two' as const, stats: null };
	if (from === to) return { ...base, problem: 'same' as const, stats: null };
	return {
		...base,
		problem: null,
		missing: [from, to].filter((y) => !editions.includes(y)),
		stats: await handbook.reform(db(), from, to)
	};
};
