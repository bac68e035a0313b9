import { error } from '@sveltejs/kit';
import { RESPONSE_CHANNELS, type ResponseChannel } from '$lib/domain/campaigns';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewSurveyAggregates);
	// `d`: one department's detail (staff); a liaison's is always its own department.
	const department = event.url.searchParams.get('d') || null;
	// `channel`: the figures of one channel's responses (an unknown one filters nothing).
	const asked = event.url.searchParams.get('channel');
	const channel = RESPONSE_CHANNELS.find((c): c is ResponseChannel => c === asked) ?? null;
	const result = await surveys.campaignAggregates(db(), p, event.params.code, department, channel);
	// One refusal for a missing campaign, a running one, another department's: the same words,
	// no code echoed (roles.md: a liaison must not tell them apart).
	if (!result) error(404, m.surveys_not_found());
	return {
		...result,
		department,
		detail: p.role === 'liaison' || department !== null,
		liaison: p.role === 'liaison'
	};
};
