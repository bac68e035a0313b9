import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { allowPublic } from '$lib/server/auth/guard';
import { signIn } from '$lib/server/auth/sign-in';
import { lifetimes, sessionCookieName, setSessionCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db/app-db';
import * as users from '$lib/server/users';
import { getSessionSettings } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

const schema = z.object({
	username: z.string().trim().min(1).max(64),
	password: z.string().min(1).max(256)
});

function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
		? next
		: '/';
}

export const load: PageServerLoad = (event) => {
	if (allowPublic(event)) redirect(303, safeNext(event.url.searchParams.get('next')));
	// Set after a password change, which ends every session: say why the user is here again.
	return { passwordChanged: event.url.searchParams.has('changed') };
};

export const actions: Actions = {
	default: async (event) => {
		allowPublic(event);
		const form = Object.fromEntries(await event.request.formData());
		const parsed = schema.safeParse(form);
		const username = typeof form.username === 'string' ? form.username : '';
		if (!parsed.success) {
			return fail(400, { username, error: m.auth_invalid() });
		}
		const result = await signIn(db(), {
			...parsed.data,
			address: event.getClientAddress(),
			presentedToken: event.cookies.get(sessionCookieName(event.url))
		});
		if (!result.ok) {
			return result.reason === 'throttled'
				? fail(429, { username, error: m.auth_throttled({ seconds: result.retryAfter }) })
				: fail(400, { username, error: m.auth_invalid() });
		}
		const account = await users.get(db(), result.userId);
		const { absoluteMs } = lifetimes(account!.role, await getSessionSettings(db()));
		setSessionCookie(
			event.cookies,
			event.url,
			result.token,
			new Date(result.createdAt.getTime() + absoluteMs)
		);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
