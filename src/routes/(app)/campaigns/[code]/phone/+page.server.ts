// The phone console (CATI): the supervisor's call list for the campaign, the unit being called
// with its masked number (revealed to dial, audited), the call's outcome, and the interview's
// answers on the same screen. Only while the campaign is active and takes phone responses.
import { ROLES } from '$lib/domain/roles';
import { pickedOf } from '$lib/domain/respondent-form';
import { attemptSchema, interviewSchema, revealSchema } from '$lib/schemas/consoles';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { attempt, readForm, submit } from '$lib/server/forms';
import { orErrorPage } from '$lib/server/pages';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 20;

const here = (code: string, done: string) =>
	`/campaigns/${encodeURIComponent(code)}/phone?done=${done}`;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.recordResponses);
	const { code } = event.params;
	const params = event.url.searchParams;
	const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
	const [form, queue] = await orErrorPage(() =>
		Promise.all([
			surveys.consoleForm(db(), code, 'phone'),
			surveys.callQueue(db(), p, code, { page, pageSize: PAGE_SIZE })
		])
	);
	const asked = Number(params.get('unit'));
	// The unit asked for, else the first one to call now (not a call-back booked for later).
	const current =
		queue.rows.find((u) => u.id === asked) ?? queue.rows.find((u) => u.state !== 'later') ?? null;
	const targets = form.departments.map((d) => d.code);
	const next = current
		? (queue.rows.find((u) => u.id !== current.id && u.state !== 'later') ?? null)
		: null;
	return {
		campaign: form.campaign,
		questions: form.questions,
		departments: form.departments,
		queue: queue.rows,
		total: queue.total,
		due: queue.due,
		page,
		pageSize: PAGE_SIZE,
		current,
		next: next?.id ?? null,
		picked: current ? pickedOf(params.getAll('d')).filter((d) => targets.includes(d)) : [],
		done: params.get('done'),
		// A new key for each interview form shown: a resend or a double click sends the same one.
		responseKey: crypto.randomUUID()
	};
};

export const actions: Actions = {
	reveal: async (event) => {
		const p = requireRole(event, ROLES.recordResponses);
		const input = await readForm(event, revealSchema, { form: 'reveal' });
		if (!input.ok) return input.failure;
		const r = await attempt(input, () =>
			surveys.revealPhone(db(), p, input.data.unit, actorOf(event, p))
		);
		if (!r.ok) return r.failure;
		return { form: 'reveal', unit: input.data.unit, phone: r.result.phone };
	},

	attempt: async (event) => {
		const p = requireRole(event, ROLES.recordResponses);
		const { code } = event.params;
		const input = await readForm(event, attemptSchema, { form: 'attempt' });
		if (!input.ok) return input.failure;
		const { unit, ...call } = input.data;
		return submit(
			input,
			() =>
				surveys.recordAttempt(
					db(),
					p,
					{ campaignCode: code, unitId: unit, ...call },
					actorOf(event, p)
				),
			here(code, 'attempt')
		);
	},

	interview: async (event) => {
		const p = requireRole(event, ROLES.recordResponses);
		const { code } = event.params;
		const form = await orErrorPage(() => surveys.consoleForm(db(), code, 'phone'));
		const schema = interviewSchema(
			form.questions,
			form.departments.map((d) => d.code)
		);
		const input = await readForm(event, schema, { form: 'interview' });
		if (!input.ok) return input.failure;
		const { unit, departments: _, ...interview } = input.data;
		return submit(
			input,
			() =>
				surveys.completeInterview(
					db(),
					p,
					{ campaignCode: code, unitId: unit, ...interview },
					actorOf(event, p)
				),
			here(code, 'interview')
		);
	}
};
