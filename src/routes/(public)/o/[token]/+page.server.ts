// A campaign's open link (no account, not personal): the respondent's page of src/routes/
// (public)/i/[token], for anyone. Each browser answers once per department: it is known by a
// random identifier in a cookie (only its SHA-256 is stored). The responses are unverified.
// A wrong token, or the link of a campaign that is not (or no longer) running, gets the same
// page as a wrong invitation.
import type { Cookies } from '@sveltejs/kit';
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import {
	respondentAction,
	respondentPage,
	responderOr404
} from '$lib/server/surveys/respondent-page';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const BROWSER_COOKIE = 'pingyi_browser';
/** The longest a browser keeps a cookie (400 days); renewed on every visit. */
const BROWSER_MAX_AGE = 400 * 24 * 60 * 60;

/** This browser's identifier: the cookie's, else a new one (set, then sent back from now on). */
function browserOf(cookies: Cookies, secure: boolean): string {
	const known = cookies.get(BROWSER_COOKIE);
	const id = known && /^[a-z2-7]{32}$/.test(known) ? known : surveys.newBrowserId();
	cookies.set(BROWSER_COOKIE, id, {
		path: '/o',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: BROWSER_MAX_AGE
	});
	return id;
}

/** The link's source in this browser (which gets its cookie). */
function responder(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const browser = browserOf(event.cookies, event.url.protocol === 'https:');
	const opts = { address: event.getClientAddress() };
	return responderOr404(() => surveys.openLinkResponder(db(), event.params.token, browser, opts));
}

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
