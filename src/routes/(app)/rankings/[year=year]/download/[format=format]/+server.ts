// Downloads the results of a year (CSV with BOM, XLSX, JSON): the current published revision, or
// the latest draft with `?draft` for those who may see it. CSV and XLSX are worded in the
// reader's language; JSON keeps the codes of the exchange format, as `export results` writes it.
import { ROLES } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as results from '$lib/server/results';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	const year = Number(event.params.year);
	const file = await orErrorPage(() =>
		results.exportResults(db(), p, year, {
			format: event.params.format,
			draft: event.url.searchParams.has('draft'),
			wording: getLocale()
		})
	);
	// A copy typed as an ArrayBuffer view, which is what `Response` accepts.
	const body = typeof file.body === 'string' ? file.body : new Uint8Array(file.body);
	return new Response(body, {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${file.filename}"`,
			'cache-control': 'private, no-store'
		}
	});
};
