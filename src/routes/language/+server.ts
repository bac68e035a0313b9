import { redirect } from '@sveltejs/kit';
import { cookieName, isLocale } from '$lib/paraglide/runtime';
import { allowPublic } from '$lib/server/auth/guard';
import { nextPath } from '$lib/server/auth/next-path';
import type { RequestHandler } from './$types';

// Switching language changes only a preference cookie, then returns to the same page, so it
// works as a plain link without JavaScript.
export const GET: RequestHandler = (event) => {
	allowPublic(event);
	const locale = event.url.searchParams.get('locale');
	if (locale && isLocale(locale)) {
		event.cookies.set(cookieName, locale, {
			path: '/',
			maxAge: 60 * 60 * 24 * 400,
			sameSite: 'lax',
			httpOnly: false,
			secure: event.url.protocol === 'https:'
		});
	}
	redirect(303, nextPath(event.url.searchParams.get('next'), event.url));
};
