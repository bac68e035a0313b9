// The audit trail as a file (`audit export`, the audit page's download): every field of every
// entry the filter selects, seq, prev_hash and hash included, so that the file can be checked
// offline — each entry's hash recomputed (`entryHash`), and in an unfiltered range each link
// to the one before. Streamed a batch at a time in seq order; the export itself is audited.
import { and, lte } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { canonicalJson } from '$lib/domain/canonical';
import type { Executor } from '$lib/server/db';
import { auditEntry, type AuditEntry } from '$lib/server/db/schema';
import { neutraliseText } from '$lib/server/results/export';
import type { Sink } from '$lib/server/surveys/response-export';
import { entryPages, hashedFields, record, whereOf, type Actor, type AuditFilter } from './index';

export const AUDIT_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export function isAuditExportFormat(v: unknown): v is AuditExportFormat {
	return (AUDIT_EXPORT_FORMATS as readonly unknown[]).includes(v);
}

export const AUDIT_EXPORT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	jsonl: 'application/jsonl; charset=utf-8'
};

/** The file's columns (CSV) and fields (JSON Lines): the table's own, in the hash's order. */
export const AUDIT_EXPORT_COLUMNS = [
	'seq',
	'at',
	'actor_kind',
	'actor_id',
	'actor_label',
	'action',
	'entity',
	'entity_id',
	'changes',
	'client_address',
	'prev_hash',
	'hash'
] as const;

type Field = string | number | null;

/** The hashed fields as text and numbers (an instant in ISO 8601, `changes` as canonical JSON). */
function fieldsOf(e: AuditEntry): Field[] {
	const hashed = hashedFields(e).map((v) =>
		v instanceof Date ? v.toISOString() : v !== null && typeof v === 'object' ? canonicalJson(v) : v
	);
	return [...(hashed as Field[]), e.hash];
}

/**
 * A text cell a spreadsheet will not run, and that reads back exactly: the project's
 * neutralisation (a `'` before a leading = + - @ tab or CR), and a `'` before a leading `'` too,
 * so that a reader strips one leading `'` from every cell that has one and has the stored text.
 */
export function auditCsvText(text: string): string {
	return text.startsWith("'") ? `'${text}` : neutraliseText(text);
}

/** The inverse of `auditCsvText`. */
export function auditCsvTextBack(cell: string): string {
	return cell.startsWith("'") ? cell.slice(1) : cell;
}

// An empty text is written quoted (`""`) and no value unquoted (nothing), so null and '' stay
// apart; the JSON of `changes` starts with { or [ and the hashes are hex, so neither changes.
const CSV_OPTIONS = { record_delimiter: '\r\n', quoted_match: /^$/ } as const;

function csvRecords(entries: readonly AuditEntry[]): string {
	return stringify(
		entries.map((e) => fieldsOf(e).map((v) => (typeof v === 'string' ? auditCsvText(v) : v))),
		CSV_OPTIONS
	);
}

function jsonLines(entries: readonly AuditEntry[]): string {
	let out = '';
	for (const e of entries) {
		const values = fieldsOf(e);
		const line: Record<string, unknown> = {};
		AUDIT_EXPORT_COLUMNS.forEach((c, i) => (line[c] = values[i]));
		line.changes = e.changes;
		out += JSON.stringify(line) + '\n';
	}
	return out;
}

export interface AuditExport {
	format: AuditExportFormat;
	filter: AuditFilter;
	/** Entries read at a time. */
	batchSize?: number;
}

/**
 * Writes the entries `filter` selects to `sink`, oldest first, up to and including the entry
 * that records this export (written first, on its own: the file may be cut short by its reader;
 * what was asked for is what the trail keeps). Returns how many entries and the last seq.
 */
export async function exportEntries(
	db: Executor,
	actor: Actor,
	opts: AuditExport,
	sink: Sink
): Promise<{ entries: number; upTo: number }> {
	const { filter, format } = opts;
	const asked = {
		format,
		from: filter.from?.toISOString() ?? null,
		to: filter.to?.toISOString() ?? null,
		actor: filter.actor ?? null,
		action: filter.action ?? null,
		entity: filter.entity ?? null,
		entityId: filter.entityId ?? null,
		q: filter.q ?? null
	};
	const own = await db.transaction((tx) =>
		record(tx, actor, { action: 'audit.export', entity: 'audit_entry', changes: asked })
	);
	const encoder = new TextEncoder();
	if (format === 'csv')
		await sink(encoder.encode('\uFEFF' + stringify([[...AUDIT_EXPORT_COLUMNS]], CSV_OPTIONS)));
	// Up to the export's own entry: what was there when it was asked for.
	const condition = and(whereOf(filter), lte(auditEntry.seq, own.seq));
	let count = 0;
	for await (const batch of entryPages(db, condition, opts.batchSize ?? 2000)) {
		count += batch.length;
		await sink(encoder.encode(format === 'csv' ? csvRecords(batch) : jsonLines(batch)));
	}
	return { entries: count, upTo: own.seq };
}
