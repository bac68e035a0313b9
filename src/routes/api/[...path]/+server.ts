// Any address under /api/ that no endpoint answers (an unknown path, a year that is not one,
// a method an endpoint lacks): the API's error document, never the HTML error page.
import { allowPublic } from '$lib/server/auth/guard';
import { errorResponse } from '$lib/server/api';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

export const fallback: RequestHandler = (event) => {
	allowPublic(event);
	return errorResponse(404, 'not_found', m.api_not_found());
};
