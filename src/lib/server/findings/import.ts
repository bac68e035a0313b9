// The findings file of spec/exchange.md, keyed by `finding_no`, a spec of the one record
// importer: every row is validated first (its department must exist); then all rows are written
// in one transaction or none, and the same file twice changes nothing.
import { eq, inArray } from 'drizzle-orm';
import {
	FINDING_COLUMNS,
	FINDING_EXAMPLE,
	FINDING_HEADER_LABELS,
	findingRowSchema
} from '$lib/schemas/findings';
import type { Tx } from '$lib/server/db';
import { department, finding } from '$lib/server/db/schema';
import {
	auditedWrite,
	recordsImporter,
	REFERENCE_FILE_MAX_BYTES,
	type ImportResult,
	type RowError
} from '$lib/server/imports/records';
import { auditView } from './index';

export type { ImportResult, RowError };
export { FINDING_COLUMNS, FINDING_EXAMPLE, FINDING_HEADER_LABELS };
export const FINDING_MAX_BYTES = REFERENCE_FILE_MAX_BYTES;

/** The stored findings under these numbers as the audit trail sees them, locked. */
async function stored(tx: Tx, findingNos: string[]) {
	const found = findingNos.length
		? await tx
				.select({ f: finding, departmentCode: department.code })
				.from(finding)
				.innerJoin(department, eq(department.id, finding.departmentId))
				.where(inArray(finding.findingNo, findingNos))
				.for('update', { of: finding })
		: [];
	return new Map(
		found.map((e) => [e.f.findingNo, auditView({ ...e.f, departmentCode: e.departmentCode })])
	);
}

export const findingsImport = recordsImporter({
	columns: FINDING_COLUMNS,
	headerLabels: FINDING_HEADER_LABELS,
	example: FINDING_EXAMPLE,
	schema: findingRowSchema,
	keyColumn: 'finding_no',
	key: (r) => r.findingNo,
	departmentCode: (r) => r.departmentCode,
	maxBytes: FINDING_MAX_BYTES,
	// Any constant unique to this lock: two imports of overlapping files must not interleave.
	lockKey: 7_410_3102,
	write: auditedWrite({
		table: finding,
		keyOf: finding.findingNo,
		compare: ['departmentId', 'date', 'source', 'points', 'status', 'description'],
		values: (r, { departmentIds, actor }) => ({
			findingNo: r.findingNo,
			departmentId: departmentIds.get(r.departmentCode)!,
			date: r.date,
			source: r.source,
			points: r.points,
			status: r.status,
			description: r.description,
			// Kept from the first import: the upsert sets only the compared columns.
			createdBy: actor.kind === 'user' ? actor.id : null
		}),
		stored,
		view: auditView,
		entity: 'finding',
		actions: { create: 'finding.create', update: 'finding.update' }
	}),
	audit: { action: 'findings.import', entity: 'finding' }
});

/** Imports a findings file (CSV or XLSX); messages are in `opts.locale`. */
export const importFindings = findingsImport.importFile;
