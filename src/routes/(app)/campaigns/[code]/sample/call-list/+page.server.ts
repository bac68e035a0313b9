import { error, redirect } from '@sveltejs/kit';
import { messageOf } from '$lib/errors';
import { getLocale } from '$lib/paraglide/runtime';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { attempt } from '$lib/server/forms';
import { KINDS, panelOf } from '$lib/server/imports/kinds';
import { recordCounts, receiveFile, refusedFile, summaryOf } from '$lib/server/imports/upload';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

const KIND = KINDS['call-list'];

export const load: PageServerLoad = async (event) => {
	requireRole(event, KIND.roles);
	const c = await surveys.getCampaignByCode(db(), event.params.code);
	if (!c) error(404, messageOf('sample_campaign_not_found'));
	return {
		campaign: { code: c.code, state: c.state },
		panel: panelOf(KIND),
		summary: summaryOf(event.url)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, KIND.roles);
		const code = event.params.code;
		const r = await receiveFile(event, KIND);
		if (!r.ok) return r.failure;
		const { values, file } = r.upload;
		const imported = await attempt({ values }, () =>
			surveys.importCallList(db(), code, file.bytes, { locale: getLocale() }, actorOf(event, p))
		);
		if (!imported.ok) return imported.failure;
		const result = imported.result;
		if (!result.ok) return refusedFile(values, result);
		const query = new URLSearchParams(
			Object.entries(recordCounts(result)).map(([k, v]) => [k, String(v)])
		);
		redirect(303, `/campaigns/${encodeURIComponent(code)}/sample/call-list?${query}`);
	}
};
