// The supervisor's download of a campaign's responses: streamed as the rows are read, so that a
// campaign of a million responses takes no more memory than one of ten. `?identity=1` adds who
// answered (admins only; the module refuses anyone else).
import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { httpStatusOf, isDomainError, messageOf } from '$lib/errors';
import { isExportFormat } from '$lib/schemas/review';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { requireSudo } from '$lib/server/auth/sudo';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { RequestHandler } from './$types';

const CONTENT_TYPES = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
} as const;

export const GET: RequestHandler = async (event) => {
	const p = requireRole(event, ROLES.recordResponses);
	const { code, format } = event.params;
	if (!isExportFormat(format)) error(404, messageOf('invalid'));
	const withIdentity = event.url.searchParams.get('identity') === '1';
	// Refusals (identity for a supervisor, no such campaign) before the first byte is sent.
	try {
		await surveys.exportableCampaign(db(), p, code, withIdentity);
	} catch (e) {
		if (isDomainError(e)) error(httpStatusOf(e.code), messageOf(e.code, e.params));
		throw e;
	}
	// Who answered, for a whole campaign: only after a recent re-authentication.
	if (withIdentity) requireSudo(event, 'export_identities');
	const body = surveys.exportStream((sink) =>
		surveys.exportResponses(db(), p, code, { format, withIdentity }, actorOf(event, p), sink)
	);
	const filename = `responses-${code}${withIdentity ? '-identity' : ''}.${format}`;
	return new Response(body, {
		headers: {
			'content-type': CONTENT_TYPES[format],
			'content-disposition': `attachment; filename="${encodeURIComponent(filename)}"`,
			'cache-control': 'no-store'
		}
	});
};
