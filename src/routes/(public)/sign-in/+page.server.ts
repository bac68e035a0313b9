import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { allowPublic, SECOND_STEP_PAGES } from '$lib/server/auth/guard';
import { nextPath } from '$lib/server/auth/next-path';
import { signIn } from '$lib/server/auth/sign-in';
import {
	lifetimes,
	sessionCookieName,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { db } from '$lib/server/db/app-db';
import { readForm, refuse } from '$lib/server/forms';
import * as users from '$lib/server/users';
import { getSessionSettings } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

const schema = z.object({
	username: z.string().trim().min(1).max(64),
	password: z.string().min(1).max(256)
});

export const load: PageServerLoad = (event) => {
	if (allowPublic(event)) redirect(303, nextPath(event.url.searchParams.get('next'), event.url));
	// Set after a password change, which ends every session: say why the user is here again.
	return { passwordChanged: event.url.searchParams.has('changed') };
};

export const actions: Actions = {
	default: async (event) => {
		allowPublic(event);
		const input = await readForm(event, schema);
		if (!input.ok) return input.failure;
		const result = await signIn(db(), {
			...input.data,
			address: event.getClientAddress(),
			presentedToken: event.cookies.get(sessionCookieName(event.url))
		});
		if (!result.ok) {
			// Which of the two was wrong is not said: that would confirm which usernames exist.
			return result.reason === 'throttled'
				? refuse(input, { _form: m.auth_throttled({ seconds: result.retryAfter }) }, {}, 429)
				: refuse(input, { _form: m.auth_invalid() });
		}
		const account = await users.get(db(), result.userId);
		const { absoluteMs } = lifetimes(account!.role, await getSessionSettings(db()));
		setSessionCookie(
			event.cookies,
			event.url,
			result.token,
			new Date(result.createdAt.getTime() + absoluteMs)
		);
		const next = nextPath(event.url.searchParams.get('next'), event.url);
		// Staff with a second factor give a code next; those whose role requires one and who have
		// none set it up first (domain/two-factor.ts).
		const step = (await validateSessionToken(db(), result.token))?.secondStep ?? 'done';
		if (step !== 'done')
			redirect(303, `${SECOND_STEP_PAGES[step]}?next=${encodeURIComponent(next)}`);
		redirect(303, next);
	}
};
