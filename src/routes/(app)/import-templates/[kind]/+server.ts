// The template of an import (header + one example row, UTF-8 with BOM), for those who may import
// that kind of file.
import { error } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { isImportKind, KINDS, templateCsv, templateFileName } from '$lib/server/imports/kinds';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	const { kind } = event.params;
	// Staff learn whether a kind exists; only those who may import it get its template.
	requireRole(event, isImportKind(kind) ? KINDS[kind].roles : ROLES.staff);
	if (!isImportKind(kind)) error(404, m.imports_no_such_kind());
	return new Response(templateCsv(kind), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${templateFileName(kind)}"`
		}
	});
};
