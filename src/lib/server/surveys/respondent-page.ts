// The server side of the respondent's page, shared by an invitation's (`/i/TOKEN`) and an open
// link's (`/o/TOKEN`): what the page loads, and its one action. The routes only say where the
// form comes from and how an answer is stored (and call allowPublic themselves).
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { httpStatusOf, isDomainError, messageOf } from '$lib/errors';
import { pickedOf } from '$lib/domain/respondent-form';
import { respondentSchema } from '$lib/schemas/respondent';
import { attempt, readForm } from '$lib/server/forms';
import type { RespondentForm, Responder } from './respond';

/** The token's source, or the page every wrong token gets alike (404; 429 when throttled). */
export async function responderOr404(resolve: () => Promise<Responder>): Promise<Responder> {
	try {
		return await resolve();
	} catch (e) {
		if (isDomainError(e, 'invitation_invalid', 'invitation_throttled'))
			error(httpStatusOf(e.code) as 404 | 429, messageOf(e.code, e.params));
		throw e;
	}
}

/** What the page shows: step one (pick departments: `?d=CODE&d=CODE`) or two (answer them). */
export function respondentPageData(f: RespondentForm, url: URL) {
	const openCodes = f.open.map((d) => d.code);
	const picked = pickedOf(url.searchParams.getAll('d')).filter((d) => openCodes.includes(d));
	const c = f.campaign;
	return {
		campaign: { nameZh: c.nameZh, nameEn: c.nameEn, year: c.year },
		respondent: f.respondent,
		questions: f.questions,
		open: f.open,
		answered: f.answered,
		picked,
		done: url.searchParams.has('done'),
		// A new key for each form shown: a retry or a double click sends the same one.
		responseKey: crypto.randomUUID(),
		targets: [...openCodes, ...f.answered]
	};
}

/** What the page loads for a source. */
export const respondentPage = async (source: Responder, url: URL) =>
	respondentPageData(await source.form(), url);

/**
 * The page's action: checks the form against the campaign's questions and targets, stores the
 * answer (whether a department was answered about already is the store's to say).
 */
export async function respondentAction(event: RequestEvent, source: Responder) {
	const { questions, targets } = await source.checks();
	const input = await readForm(event, respondentSchema(questions, targets));
	if (!input.ok) return input.failure;
	const r = await attempt(input, () =>
		source.answer({ response_key: input.data.response_key, answers: input.data.answers })
	);
	if (!r.ok) return r.failure;
	redirect(303, `${event.url.pathname}?done`);
}

export type RespondentPageData = ReturnType<typeof respondentPageData>;
