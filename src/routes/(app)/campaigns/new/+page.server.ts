import { fail, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { campaignFieldErrors, createCampaignSchema } from '$lib/schemas/campaigns';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import { campaignErrorMessage } from '$lib/server/surveys/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageCampaigns);
	return { currentYear: currentYear(), questionnaires: await surveys.listQuestionnaires(db()) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const form = Object.fromEntries(await event.request.formData());
		const values = {
			code: String(form.code ?? ''),
			year: String(form.year ?? ''),
			kind: String(form.kind ?? ''),
			questionnaire: String(form.questionnaire ?? ''),
			weight: String(form.weight ?? ''),
			nameZh: String(form.nameZh ?? ''),
			nameEn: String(form.nameEn ?? '')
		};
		const parsed = createCampaignSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: campaignFieldErrors(parsed.error) });
		let code: string;
		try {
			const created = await db().transaction((tx) =>
				surveys.createCampaign(tx, parsed.data, actorOf(event, p), p.kind === 'user' ? p.id : null)
			);
			code = created.code;
		} catch (e) {
			if (!(e instanceof surveys.CampaignError)) throw e;
			return fail(400, {
				values,
				errors: { [e.field]: campaignErrorMessage(e) } as Record<string, string>
			});
		}
		redirect(303, `/campaigns?created=${encodeURIComponent(code)}`);
	}
};
