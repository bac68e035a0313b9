// The enterprises file of spec/exchange.md, keyed by `uscc` (checked per GB 32100-2015), a spec
// of the one record importer: every row is validated first; then all rows are written in one
// transaction or none, and the same file twice changes nothing. Contact details enter the audit
// trail masked only.
import { inArray } from 'drizzle-orm';
import { maskName, maskPhone } from '$lib/domain/mask';
import {
	ENTERPRISE_COLUMNS,
	ENTERPRISE_EXAMPLE,
	ENTERPRISE_HEADER_LABELS,
	ENTERPRISE_OPTIONAL_COLUMNS,
	enterpriseRowSchema,
	type EnterpriseRow
} from '$lib/schemas/enterprises';
import type * as audit from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { enterprise } from '$lib/server/db/schema';
import {
	auditedWrite,
	chunked,
	recordsImporter,
	REFERENCE_FILE_MAX_BYTES,
	storedViews,
	type ImportOptions,
	type ImportResult,
	type RowError,
	type WriteContext
} from '$lib/server/imports/records';
import { auditView } from './index';

export type { ImportResult, RowError };
export { ENTERPRISE_COLUMNS, ENTERPRISE_EXAMPLE, ENTERPRISE_HEADER_LABELS };
export const ENTERPRISE_MAX_BYTES = REFERENCE_FILE_MAX_BYTES;

/** Contact details as the audit trail keeps them: masked, whoever reads the trail later. */
function maskedChanges(changes: ReturnType<typeof audit.diff>) {
	const out = { ...changes };
	for (const [key, mask] of [
		['contactName', maskName],
		['contactPhone', maskPhone]
	] as const) {
		const c = out[key];
		if (c)
			out[key] = {
				before: typeof c.before === 'string' ? mask(c.before) : c.before,
				after: typeof c.after === 'string' ? mask(c.after) : c.after
			};
	}
	return out;
}

const write = auditedWrite<Row, ImportOptions, typeof enterprise>({
	table: enterprise,
	keyOf: enterprise.uscc,
	compare: ['name', 'address', 'township', 'industry', 'contactName', 'contactPhone'],
	values: (r) => ({
		uscc: r.uscc,
		name: r.name,
		address: r.address,
		township: r.township,
		industry: r.industry,
		contactName: r.contactName,
		contactPhone: r.contactPhone
	}),
	stored: storedViews(enterprise, enterprise.uscc, auditView),
	view: auditView,
	entity: 'enterprise',
	actions: { create: 'enterprise.create', update: 'enterprise.update' },
	mask: maskedChanges
});

type Row = EnterpriseRow & { industry: string };

/**
 * A row of a file without the `industry` column (the format before it had one) keeps the stored
 * industry, or none for a new enterprise, rather than clearing it.
 */
async function withIndustry(tx: Tx, rows: EnterpriseRow[]): Promise<Row[]> {
	const missing = rows.filter((r) => r.industry === undefined).map((r) => r.uscc);
	const stored = new Map<string, string>();
	for (const part of chunked(missing))
		for (const e of await tx
			.select({ uscc: enterprise.uscc, industry: enterprise.industry })
			.from(enterprise)
			.where(inArray(enterprise.uscc, part)))
			stored.set(e.uscc, e.industry);
	return rows.map((r) => ({ ...r, industry: r.industry ?? stored.get(r.uscc) ?? '' }));
}

export const enterprisesImport = recordsImporter({
	columns: ENTERPRISE_COLUMNS,
	optionalColumns: ENTERPRISE_OPTIONAL_COLUMNS,
	headerLabels: ENTERPRISE_HEADER_LABELS,
	example: ENTERPRISE_EXAMPLE,
	schema: enterpriseRowSchema,
	keyColumn: 'uscc',
	key: (r) => r.uscc,
	maxBytes: ENTERPRISE_MAX_BYTES,
	// Any constant unique to this lock: two imports at once would race to create the same codes.
	lockKey: 7_410_3201,
	write: async (tx, rows, ctx) =>
		write(tx, await withIndustry(tx, rows), ctx as WriteContext<Row, ImportOptions>),
	audit: { action: 'enterprises.import', entity: 'enterprise' }
});

/** Imports an enterprises file (CSV or XLSX); messages are in `opts.locale`. */
export const importEnterprises = enterprisesImport.importFile;
