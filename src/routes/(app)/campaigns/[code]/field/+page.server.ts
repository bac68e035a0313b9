// The field console: on a tablet during a visit, the on-site appraisal of the visited enterprise
// (picked from the sample, or any enterprise of the register by its USCC), linked to the visit's
// id. Step one (a GET form: `?visit=ID&enterprise=USCC&d=CODE`) names the visit, the enterprise
// and the departments; step two takes the answers, kept on the tablet until the server has them.
import { ROLES } from '$lib/domain/roles';
import { isDomainError, messageOf } from '$lib/errors';
import { fieldSchema } from '$lib/schemas/consoles';
import { pickedOf } from '$lib/domain/respondent-form';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import { orErrorPage } from '$lib/server/pages';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.recordResponses);
	const form = await orErrorPage(() => surveys.consoleForm(db(), event.params.code, 'field'));
	const params = event.url.searchParams;
	const visit = (params.get('visit') ?? '').trim();
	const uscc = (params.get('enterprise') ?? '').trim().toUpperCase();
	const targets = form.departments.map((d) => d.code);
	let visited: { uscc: string; name: string } | null = null;
	let enterpriseError: string | null = null;
	if (uscc !== '')
		try {
			visited = await surveys.enterpriseByUscc(db(), uscc);
		} catch (e) {
			if (!isDomainError(e)) throw e;
			enterpriseError = messageOf(e.code, e.params);
		}
	return {
		campaign: form.campaign,
		questions: form.questions,
		departments: form.departments,
		sample: await surveys.sampleEnterprises(db(), form.campaign.id),
		visit,
		uscc,
		visited,
		enterpriseError,
		visitError: params.has('visit') && visit === '' ? messageOf('required') : null,
		picked: pickedOf(params.getAll('d')).filter((d) => targets.includes(d)),
		saved: params.has('saved'),
		responseKey: crypto.randomUUID()
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.recordResponses);
		const { code } = event.params;
		const form = await orErrorPage(() => surveys.consoleForm(db(), code, 'field'));
		const schema = fieldSchema(
			form.questions,
			form.departments.map((d) => d.code)
		);
		const input = await readForm(event, schema);
		if (!input.ok) return input.failure;
		const { uscc, visitId, response_key, answers } = input.data;
		return submit(
			input,
			() =>
				surveys.submitFieldResponse(db(), p, {
					campaignCode: code,
					uscc,
					visitId,
					response_key,
					answers
				}),
			`/campaigns/${encodeURIComponent(code)}/field?saved`
		);
	}
};
