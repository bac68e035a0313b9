import { error } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import {
	campaignPlanSchema,
	campaignStepSchema,
	closingDateSchema,
	quotasSchema
} from '$lib/schemas/campaigns';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

const SAVED = ['plan', 'closing', 'quotas', 'open', 'close'] as const;

const afterSave = (code: string, what: (typeof SAVED)[number]) =>
	`/campaigns/${encodeURIComponent(code)}?saved=${what}`;

export const load: PageServerLoad = async (event) => {
	// Unannounced (roles.md): a liaison is refused here whether the code exists or not.
	const p = requireRole(event, ROLES.viewCampaigns);
	const detail = await surveys.campaignDetail(db(), p, event.params.code);
	if (!detail) error(404, m.campaigns_error_not_found({ code: event.params.code }));
	const canManage = hasRole(p.role, ROLES.manageCampaigns);
	const saved = event.url.searchParams.get('saved');
	const c = detail.campaign;
	const [rates, satisfaction] = await Promise.all([
		surveys.responseRates(db(), [c.id]),
		surveys.campaignSatisfaction(db(), p, c)
	]);
	const consoles = hasRole(p.role, ROLES.recordResponses) && c.state === 'active';
	return {
		...detail,
		rate: rates.get(c.id)!,
		satisfaction: detail.departments.map((d) => ({
			code: d.code,
			nameZh: d.nameZh,
			nameEn: d.nameEn,
			...(satisfaction.get(d.id) ?? {
				responses: 0,
				mean: null,
				satisfactionRate: null,
				withheld: false
			})
		})),
		consoles: (['phone', 'field', 'paper'] as const).filter(
			(ch) => consoles && (c.channels as string[]).includes(ch)
		),
		candidates:
			canManage && detail.editable.settings
				? await surveys.targetCandidates(db(), detail.campaign.year)
				: [],
		canManage,
		canReview: hasRole(p.role, ROLES.recordResponses),
		saved: SAVED.find((s) => s === saved) ?? null
	};
};

export const actions: Actions = {
	plan: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const { code } = event.params;
		const input = await readForm(event, campaignPlanSchema, { form: 'plan' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => surveys.updatePlan(db(), code, input.data, actorOf(event, p)),
			afterSave(code, 'plan')
		);
	},

	closing: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const { code } = event.params;
		const input = await readForm(event, closingDateSchema, { form: 'closing' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => surveys.setClosingDate(db(), code, input.data.closesOn ?? null, actorOf(event, p)),
			afterSave(code, 'closing')
		);
	},

	quotas: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const { code } = event.params;
		const input = await readForm(event, quotasSchema, { form: 'quotas' });
		if (!input.ok) return input.failure;
		return submit(
			input,
			() => surveys.setQuotas(db(), code, input.data, actorOf(event, p)),
			afterSave(code, 'quotas')
		);
	},

	state: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const { code } = event.params;
		const input = await readForm(event, campaignStepSchema, { form: 'state' });
		if (!input.ok) return input.failure;
		const { action } = input.data;
		return submit(
			input,
			() => surveys.changeState(db(), code, action, actorOf(event, p)),
			afterSave(code, action)
		);
	}
};
