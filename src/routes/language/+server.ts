import { redirect } from '@sveltejs/kit';
import { cookieName, isLocale } from '$lib/paraglide/runtime';
import { allowPublic } from '$lib/server/auth/guard';
import type { RequestHandler } from './$types';

// Switching language changes only a preference cookie, then returns to the same page, so it
// works as a plain link without JavaScript.
export const GET: RequestHandler = (event) => {
	allowPublic(event);
	const locale = event.url.searchParams.get('locale');
	const next = event.url.searchParams.get('next') ?? '/';
	if (locale && isLocale(locale)) {
		event.cookies.set(cookieName, locale, {
			path: '/',
			maxAge: 60 * 60 * 24 * 400,
			sameSite: 'lax',
			httpOnly: false,
			secure: event.url.protocol === 'https:'
		});
	}
	// Only same-site paths: an open redirect would let a link send users elsewhere.
	redirect(
		303,
		next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/'
	);
};
