// The respondent's page (no account): opened from the invitation's address or its QR code. Step
// one picks the departments the respondent dealt with (a GET form: `?d=CODE&d=CODE`), step two
// answers about them (a POST). It works without JavaScript; with it, answers are kept in the
// browser and the submission is retried until the server acknowledges it (one response key).
import { error, redirect } from '@sveltejs/kit';
import { httpStatusOf, isDomainError, messageOf } from '$lib/errors';
import { pickedOf, respondentSchema } from '$lib/schemas/respondent';
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { attempt, readForm } from '$lib/server/forms';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The invitation's form, or the page every wrong token gets alike (404; 429 when throttled). */
async function formOf(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	try {
		return await surveys.respondentForm(db(), event.params.token, {
			address: event.getClientAddress()
		});
	} catch (e) {
		if (isDomainError(e, 'invitation_invalid', 'invitation_throttled'))
			error(httpStatusOf(e.code) as 404 | 429, messageOf(e.code, e.params));
		throw e;
	}
}

export const load: PageServerLoad = async (event) => {
	allowPublic(event);
	const f = await formOf(event);
	const openCodes = f.open.map((d) => d.code);
	const picked = pickedOf(event.url.searchParams.getAll('d')).filter((d) => openCodes.includes(d));
	const c = f.invitation.campaign;
	return {
		campaign: { nameZh: c.nameZh, nameEn: c.nameEn, year: c.year },
		respondent: f.invitation.unit.name,
		questions: f.questions,
		open: f.open,
		answered: f.answered,
		picked,
		done: event.url.searchParams.has('done'),
		// A new key for each form shown: a retry or a double click sends the same one.
		responseKey: crypto.randomUUID(),
		targets: [...openCodes, ...f.answered]
	};
};

export const actions: Actions = {
	default: async (event) => {
		allowPublic(event);
		const f = await formOf(event);
		const schema = respondentSchema(f.questions, [...f.open.map((d) => d.code), ...f.answered]);
		const input = await readForm(event, schema);
		if (!input.ok) return input.failure;
		const r = await attempt(input, () =>
			surveys.answerInvitation(
				db(),
				event.params.token,
				{ response_key: input.data.response_key, answers: input.data.answers },
				{ address: event.getClientAddress() }
			)
		);
		if (!r.ok) return r.failure;
		redirect(303, `/i/${encodeURIComponent(event.params.token)}?done`);
	}
};
