import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { randomSeed } from '$lib/domain/sampling';
import { messageOf } from '$lib/errors';
import {
	assignPickedSchema,
	assignUnitsSchema,
	drawSampleSchema,
	pickedUnitsSchema,
	sampleUnitsQuerySchema
} from '$lib/schemas/samples';
import { actorOf, requireRole, type Principal } from '$lib/server/auth/guard';
import { requireSudo } from '$lib/server/auth/sudo';
import { db } from '$lib/server/db/app-db';
import { attempt, readForm, refuse } from '$lib/server/forms';
import { KINDS } from '$lib/server/imports/kinds';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	// A liaison is refused here before the campaign is looked up: the same 403 whether it exists.
	const p = requireRole(event, ROLES.viewCampaigns);
	const c = await surveys.getCampaignByCode(db(), event.params.code);
	if (!c) error(404, messageOf('sample_campaign_not_found'));
	const query = sampleUnitsQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	// Phone numbers stay masked until asked for; a page of them at once needs sudo mode.
	const mayRevealPhones = p.role === 'admin' || p.role === 'supervisor';
	const revealPhones = query.phones && mayRevealPhones;
	if (revealPhones) requireSudo(event, 'reveal_phones');
	const canManage = hasRole(p.role, ROLES.manageCampaigns);
	const [sample, units, progress, supervisors] = await Promise.all([
		surveys.getSample(db(), c.id),
		surveys.listSampleUnits(db(), p, c.code, {
			page: query.page,
			pageSize: PAGE_SIZE,
			assignedTo: query.assigned,
			revealPhones
		}),
		surveys.sampleProgress(db(), c.code),
		surveys.listSupervisors(db())
	]);
	return {
		campaign: { code: c.code, year: c.year, state: c.state, nameZh: c.nameZh, nameEn: c.nameEn },
		sample,
		units: units?.rows ?? [],
		total: units?.total ?? 0,
		page: query.page,
		pageSize: PAGE_SIZE,
		assigned: query.assigned ?? null,
		mayRevealPhones,
		phonesRevealed: revealPhones,
		progress,
		supervisors,
		canManage,
		canImport: hasRole(p.role, KINDS['call-list'].roles),
		// A fresh seed for the draw form; the seed drawn with is recorded with the sample.
		seed: randomSeed(),
		me: p.kind === 'user' ? p.id : null,
		done: event.url.searchParams.get('done')
	};
};

const here = (code: string, done: string) =>
	`/campaigns/${encodeURIComponent(code)}/sample?done=${done}`;

export const actions: Actions = {
	draw: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const code = event.params.code;
		const input = await readForm(event, drawSampleSchema, { form: 'draw' });
		if (!input.ok) return input.failure;
		const c = await surveys.getCampaignByCode(db(), code);
		if (!c) error(404, messageOf('sample_campaign_not_found'));
		// Replacing a sample is confirmed by a box on the form (it works without JavaScript).
		if ((await surveys.getSample(db(), c.id)) && input.formData.get('replace') !== 'yes')
			return refuse(input, { replace: messageOf('confirm_required') });
		const r = await attempt(input, () =>
			surveys.drawSample(
				db(),
				{ ...input.data, campaignCode: code },
				actorOf(event, p),
				p.kind === 'user' ? p.id : null
			)
		);
		if (!r.ok) return r.failure;
		redirect(303, here(code, 'drawn'));
	},
	assign: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const input = await readForm(event, assignUnitsSchema, { form: 'assign' });
		if (!input.ok) return input.failure;
		return assign(event, p, input, { count: input.data.count }, input.data.supervisor);
	},
	pick: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const input = await readForm(event, assignPickedSchema, { form: 'pick' });
		if (!input.ok) return input.failure;
		return assign(event, p, input, { unitIds: input.data.unit }, input.data.supervisor);
	},
	unpick: async (event) => {
		const p = requireRole(event, ROLES.manageCampaigns);
		const input = await readForm(event, pickedUnitsSchema, { form: 'pick' });
		if (!input.ok) return input.failure;
		return assign(event, p, input, { unitIds: input.data.unit }, null);
	}
};

/** Gives units to a supervisor (or takes them back: null), then the page with its notice. */
async function assign(
	event: RequestEvent<{ code: string }>,
	p: Principal,
	input: { form?: string; values: Record<string, string> },
	selection: surveys.UnitSelection,
	supervisor: number | null
) {
	const code = event.params.code;
	const r = await attempt(input, () =>
		surveys.assignUnits(db(), code, selection, supervisor, actorOf(event, p))
	);
	if (!r.ok) return r.failure;
	redirect(303, here(code, supervisor === null ? 'unassigned' : 'assigned'));
}
