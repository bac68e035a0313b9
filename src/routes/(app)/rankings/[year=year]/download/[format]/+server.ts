// Downloads the results of a year as `export results` writes them (CSV with BOM, JSON, XLSX):
// the current published revision, or the latest draft with `?draft` for those who may see it.
import { error } from '@sveltejs/kit';
import { ROLES, hasRole } from '$lib/domain/roles';
import { isDomainError } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireRole(event, ROLES.signedIn);
	const year = Number(event.params.year);
	const format = evaluation.EXPORT_FORMATS.find((f) => f === event.params.format);
	if (!format) error(404, m.error_not_found());
	const draft = event.url.searchParams.has('draft');
	if (draft && !hasRole(p.role, ROLES.viewDraftRankings)) error(403, m.auth_forbidden());
	try {
		const file = await evaluation.exportResults(db(), year, { format, draft });
		// A copy typed as an ArrayBuffer view, which is what `Response` accepts.
		const body = typeof file.body === 'string' ? file.body : new Uint8Array(file.body);
		return new Response(body, {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.filename}"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (e) {
		if (isDomainError(e)) error(404, m.error_not_found());
		throw e;
	}
};
