// The respondent's page (no account): opened from the invitation's address or its QR code. Step
// one picks the departments the respondent dealt with (a GET form: `?d=CODE&d=CODE`), step two
// answers about them (a POST). It works without JavaScript; with it, answers are kept in the
// browser and the submission is retried until the server acknowledges it (one response key).
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import {
	respondentAction,
	respondentPage,
	responderOr404
} from '$lib/server/surveys/respondent-page';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const responder = (event: RequestEvent | Parameters<PageServerLoad>[0]) =>
	responderOr404(() =>
		surveys.invitationResponder(db(), event.params.token, { address: event.getClientAddress() })
	);

export const load: PageServerLoad = async (event) => {
	allowPublic(event);
	return respondentPage(await responder(event), event.url);
};

export const actions: Actions = {
	default: async (event) => {
		allowPublic(event);
		return respondentAction(event, await responder(event));
	}
};
