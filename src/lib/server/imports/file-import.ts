// The steps every reference-data CSV import shares (departments, enterprises, findings, holidays):
// read the file, validate every row and refuse a key given twice, report every bad row at once;
// else write all rows in one transaction under the importer's lock, with one audit entry for the
// import after the importer's own entries. Each importer keeps its columns, row checks and writes.
import { sql } from 'drizzle-orm';
import * as audit from '$lib/server/audit';
import type { Database, Tx } from '$lib/server/db';
import type { Locale } from '$lib/paraglide/runtime';
import { readCsv, sha256Hex, type CsvError, type CsvRecord } from './csv';

/** A bad row: its line (a file's physical line), the column and what is wrong. */
export type RowError = CsvError;
export type ImportResult =
	| { ok: true; rows: number; created: number; updated: number; unchanged: number; sha256: string }
	| { ok: false; rows: number; errors: RowError[]; sha256: string };

export interface ImportCounts {
	created: number;
	updated: number;
	unchanged: number;
}

/** Errors by line, then in the order of the file's columns (others, such as `#7`, last). */
export function sortErrors<E extends RowError>(errors: E[], columns: readonly string[]): E[] {
	const order = (column: string) => {
		const i = columns.indexOf(column);
		return i === -1 ? columns.length : i;
	};
	return errors.sort((a, b) => a.line - b.line || order(a.column) - order(b.column));
}

/** An audit entry's changes for facts that had no value before (an import's summary). */
export function factChanges(facts: Record<string, unknown>) {
	return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, { before: null, after: v }]));
}

/**
 * A CSV file as read for an import: its hash, and either the file and how many data rows it
 * has, or the refusal of a file whose header is wrong (no row can be read then).
 */
export function openCsv(bytes: Uint8Array, columns: readonly string[], locale: Locale) {
	const sha256 = sha256Hex(bytes);
	const file = readCsv(bytes, { required: columns, locale });
	if (!file.headerOk)
		return {
			ok: false as const,
			result: { ok: false as const, rows: 0, errors: file.errors, sha256 }
		};
	// Records the parser could not shape count as rows too: they are reported as bad rows.
	const rowCount = file.records.length + file.errors.filter((e) => e.line > 1).length;
	return { ok: true as const, file, rowCount, sha256 };
}

// Bind parameters per statement are limited to 65,535; 1,000 rows of ≤ 10 columns stay well
// below, and a statement of that size is what PostgreSQL plans quickly.
const CHUNK_ROWS = 1_000;

/** `items` in slices of at most `size`, for statements with one bind parameter per value. */
export function* chunked<T>(items: readonly T[], size = CHUNK_ROWS): Generator<T[]> {
	for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Sorts valid rows against the records stored under their keys: new rows; changed rows with the
 * stored record and the changes as the audit trail records them (`view` of each side); and how
 * many are the same.
 */
export function keyedDiff<Row, Stored>(
	rows: readonly Row[],
	stored: ReadonlyMap<string, Stored>,
	key: (row: Row) => string,
	view: { stored: (s: Stored) => Record<string, unknown>; row: (r: Row) => Record<string, unknown> }
) {
	const created: Row[] = [];
	const changed: { before: Stored; row: Row; changes: ReturnType<typeof audit.diff> }[] = [];
	let unchanged = 0;
	for (const row of rows) {
		const before = stored.get(key(row));
		if (before === undefined) {
			created.push(row);
			continue;
		}
		const changes = audit.diff(view.stored(before), view.row(row));
		if (Object.keys(changes).length === 0) unchanged++;
		else changed.push({ before, row, changes });
	}
	return { created, changed, unchanged };
}

export interface FileImporter<Row, Ctx = undefined> {
	columns: readonly string[];
	/** Any constant unique to the importer: two imports of overlapping files must not interleave. */
	lockKey: number;
	/** The column that identifies a row; a key given twice is reported at its later line. */
	keyColumn: string;
	/** A record's key as compared for repeats; '' when it has none (`validate` reports that). */
	key: (values: Record<string, string>) => string;
	duplicateMessage: (params: { value: string; line: number }, locale: Locale) => string;
	/** What the rows are checked against, read once for the whole file (known departments). */
	prepare?: (db: Database, records: readonly CsvRecord[]) => Promise<Ctx>;
	/** Checks one record: returns its row, or pushes every problem it has and returns null. */
	validate: (
		line: number,
		values: Record<string, string>,
		locale: Locale,
		errors: RowError[],
		ctx: Ctx
	) => Row | null;
	/** Writes the valid rows set-based; returns the counts and an audit entry per row changed. */
	write: (
		tx: Tx,
		rows: Row[],
		ctx: Ctx,
		actor: audit.Actor
	) => Promise<{ counts: ImportCounts; entries: audit.AuditInput[] }>;
	/** The import's own audit entry; `facts` go between the file's and the counts. */
	summary: { action: string; entity: string; facts?: Record<string, unknown> };
}

/**
 * Runs an import: writes nothing unless every row is valid, and nothing (no audit entry either)
 * when nothing differs. Messages are in `locale`.
 */
export async function importCsv<Row, Ctx>(
	db: Database,
	bytes: Uint8Array,
	locale: Locale,
	actor: audit.Actor,
	importer: FileImporter<Row, Ctx>
): Promise<ImportResult> {
	const opened = openCsv(bytes, importer.columns, locale);
	if (!opened.ok) return opened.result;
	const { file, rowCount, sha256 } = opened;
	const ctx = (await importer.prepare?.(db, file.records)) as Ctx;

	const errors: RowError[] = [...file.errors];
	const rows: Row[] = [];
	const firstLineOf = new Map<string, number>();
	for (const record of file.records) {
		const row = importer.validate(record.line, record.values, locale, errors, ctx);
		const key = importer.key(record.values);
		const first = firstLineOf.get(key);
		if (key && first !== undefined) {
			errors.push({
				line: record.line,
				column: importer.keyColumn,
				message: importer.duplicateMessage({ value: key, line: first }, locale)
			});
			continue;
		}
		if (key) firstLineOf.set(key, record.line);
		if (row) rows.push(row);
	}
	if (errors.length > 0)
		return { ok: false, rows: rowCount, errors: sortErrors(errors, importer.columns), sha256 };

	const counts = await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${importer.lockKey})`);
		const { counts, entries } = await importer.write(tx, rows, ctx, actor);
		if (counts.created + counts.updated > 0) {
			const { action, entity, facts } = importer.summary;
			await audit.recordMany(tx, actor, [
				...entries,
				{
					action,
					entity,
					entityId: null,
					changes: factChanges({
						sha256,
						encoding: file.encoding,
						...facts,
						rows: rows.length,
						...counts
					})
				}
			]);
		}
		return counts;
	});
	return { ok: true, rows: rows.length, ...counts, sha256 };
}
