// The visit campaign summary as an XLSX workbook, one sheet per block, worded in the reader's
// language (docs/visit-summary.md).
import { ROLES } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as visits from '$lib/server/visits';
import { summaryTables, summaryXlsx } from '$lib/server/visits/summary-tables';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireRole(event, ROLES.visitSummary);
	const { code } = event.params;
	const summary = await orErrorPage(() => visits.visitSummary(db(), code, p));
	const body = await summaryXlsx(summaryTables(summary, getLocale()));
	const filename = `visit-summary-${code}-${summary.today}.xlsx`;
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${encodeURIComponent(filename)}"`,
			'cache-control': 'private, no-store'
		}
	});
};
