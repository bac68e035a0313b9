// A page load or a download that calls a verb: its refusal (`DomainError`) becomes SvelteKit's
// error page with the refusal's status and sentence (`messageOf`, the reader's language) — the
// load's counterpart of the forms helper's failure. Anything else thrown reaches `handleError`.
import { error } from '@sveltejs/kit';
import { httpStatusOf, isDomainError, messageOf } from '$lib/errors';

export async function orErrorPage<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (e) {
		if (isDomainError(e)) error(httpStatusOf(e.code), messageOf(e.code, e.params));
		throw e;
	}
}
