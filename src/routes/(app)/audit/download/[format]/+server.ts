// The admin's download of the audit trail under the page's filter, as CSV or JSON Lines with
// every field (seq, prev_hash and hash included): streamed as the entries are read, and itself
// recorded in the trail (who exported what).
import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { messageOf } from '$lib/errors';
import { auditFilterOf, auditQueryFrom } from '$lib/schemas/audit';
import {
	AUDIT_EXPORT_CONTENT_TYPES,
	exportEntries,
	isAuditExportFormat
} from '$lib/server/audit/export';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { exportStream } from '$lib/server/surveys/response-export';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireRole(event, ROLES.auditLog);
	const { format } = event.params;
	if (!isAuditExportFormat(format)) error(404, messageOf('invalid'));
	const { query, errors } = auditQueryFrom(event.url.searchParams);
	// A bad date would export more than was asked for: refused, not left out as in the list.
	const bad = Object.values(errors)[0];
	if (bad) error(400, bad);
	const body = exportStream((sink) =>
		exportEntries(db(), actorOf(event, p), { format, filter: auditFilterOf(query) }, sink)
	);
	const day = new Date().toISOString().slice(0, 10);
	return new Response(body, {
		headers: {
			'content-type': AUDIT_EXPORT_CONTENT_TYPES[format],
			'content-disposition': `attachment; filename="audit-${day}.${format}"`,
			'cache-control': 'no-store'
		}
	});
};
