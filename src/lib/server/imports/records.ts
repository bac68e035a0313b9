// The one importer of the record files of spec/exchange.md — departments, enterprises, holidays,
// findings, service cases, complaints — and of the rows of `POST /api/v1/cases|complaints`. A
// module declares a spec (its columns and their Chinese header labels, an example row, its zod
// row schema, its key, its size cap, how it writes); `recordsImporter` does the same steps for
// every file: refuse a file over the cap before reading it, read it (CSV in UTF-8 or GBK, or
// XLSX: `readTable`), validate every row, refuse a key given twice and a department code that
// names none, and report every bad row (the first MAX_ROW_ERRORS, then how many more) — or write
// all rows in one transaction, under the spec's lock, and audit it. Nothing is written, and no
// audit entry made, when nothing differs: the same file twice changes nothing.
//
// The API for pages and the CLI (kept stable; every module's importer has this shape):
//   importFile(db, source: Uint8Array, { locale, …options }, actor): Promise<ImportResult>
//     → { ok: true, rows, created, updated, unchanged, sha256 }
//     | { ok: false, rows, errors: RowError[], moreErrors, sha256 }
//   `errors[i].line` is the file's physical line (CSV) or row number (XLSX), the header being 1;
//   line 0 is the file as a whole (not a table, too large) or an option (a department import's
//   year). Messages are codes of `$lib/errors` worded by `messageOf` in `locale`.
//   Each module also exports its columns (`DEPARTMENT_COLUMNS` …), the template's Chinese headers
//   (`DEPARTMENT_HEADER_LABELS` …), one example row (`DEPARTMENT_EXAMPLE` …), its size cap
//   (`DEPARTMENT_MAX_BYTES` …) and its importer object (`departmentsImport` …: the same and
//   `importFile`). The caps, MAX_COLUMNS and MAX_ROW_ERRORS are in `./limits` (constants only,
//   to check a size before reading a file). For the responses file, which streams: `sniff(head)`
//   (`./sniff`: csv / xlsx / not_a_table), `xlsxToCsv(source)` and `asCsvSource(bytes)`
//   (`./xlsx`: a workbook's first sheet as CSV bytes, line numbers kept).
//
// Records staff keep (departments, enterprises, holidays, findings: `auditedWrite` or their own
// writer) get an audit entry per record created or changed, then one for the import with the
// file's SHA-256 and row count. Records that arrive by the thousand from another system (cases,
// complaints: `upsertWrite`) are upserted set-based and audited once per file or API call.
import { getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { messageOf } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';
import { rowProblems } from '$lib/schemas/record-rows';
import * as audit from '$lib/server/audit';
import type { Executor, Tx } from '$lib/server/db';
import { idsByCode as departmentIdsByCode } from '$lib/server/departments';
import { sha256Hex } from './csv';
import { megabytes } from './limits';
import { firstErrors, RowErrorList, type RowError } from './row-errors';
import { readTable, type Table } from './table';

export type { RowError };
export {
	MAX_COLUMNS,
	MAX_ROW_ERRORS,
	RECORDS_FILE_MAX_BYTES,
	REFERENCE_FILE_MAX_BYTES
} from './limits';

/** At most this many rows per `POST /api/v1/cases|complaints` (spec/exchange.md). */
export const MAX_API_ROWS = 10_000;

/** What one import or API call did; nothing is written when `ok` is false. */
export type RecordsResult =
	| {
			ok: true;
			rows: number;
			created: number;
			updated: number;
			unchanged: number;
			/** Stored records the file no longer lists, for a writer that replaces a set (the handbook). */
			removed?: number;
	  }
	| { ok: false; rows: number; errors: RowError[]; moreErrors: number };

/** What an import of a file did, with the file's SHA-256. */
export type ImportResult = RecordsResult & { sha256: string };

export interface ImportOptions {
	locale: Locale;
}

/** What a spec's writer is given besides the rows. */
export interface WriteContext<Row, O> {
	/** The spec's key of a row. */
	key: (row: Row) => string;
	actor: audit.Actor;
	opts: O;
	/** The ids of the departments the rows name (specs with `departmentCode`). */
	departmentIds: ReadonlyMap<string, number>;
}

/** What a writer did: counts, and an audit entry per record (none for bulk records). */
export interface Written {
	created: number;
	updated: number;
	/** Records removed because the rows no longer list them (a writer that replaces a set). */
	removed?: number;
	entries: audit.AuditInput[];
}

export type Writer<Row, O> = (tx: Tx, rows: Row[], ctx: WriteContext<Row, O>) => Promise<Written>;

/** What a module declares; `recordsImporter` does the rest. */
export interface RecordsSpec<Row extends object, O extends ImportOptions> {
	/** The file's columns, key first (spec/exchange.md). */
	columns: readonly string[];
	/** Columns a file may leave out; a row of such a file lacks their cells. */
	optionalColumns?: readonly string[];
	/** The template's Chinese header of each column; a file may use them instead of the codes. */
	headerLabels: Readonly<Record<string, string>>;
	/** One row as the downloadable template shows it. */
	example: Readonly<Record<string, string>>;
	/** The row schema: cells by column in, the row to write out (problems as codes). */
	schema: z.ZodType<Row>;
	keyColumn: string;
	key: (row: Row) => string;
	/** The department a row names, when rows name one by code (checked to exist). */
	departmentCode?: (row: Row) => string;
	/** Files larger than this are refused before they are read. */
	maxBytes: number;
	/** Any constant unique to the importer: two imports of overlapping files must not interleave. */
	lockKey?: number;
	write: Writer<Row, O>;
	/** The import's own audit entry; `facts` go beside the file's and the counts. */
	audit: { action: string; entity: string; facts?: (opts: O) => Record<string, unknown> };
}

/** Where a row is, for messages: a file's line or a request's array index. */
export type Position = 'line' | 'row';

/** One row as it arrived: a file's record (values by column) or an element of a JSON array. */
export interface SourceRow {
	/** A file's physical line, or the index into the JSON array. */
	line: number;
	values: unknown;
}

/** An audit entry's changes for facts that had no value before (an import's summary). */
function factChanges(facts: Record<string, unknown>) {
	return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, { before: null, after: v }]));
}

// Bind parameters per statement are limited to 65,535; 1,000 rows of ≤ 10 columns stay well
// below, and a statement of that size is what PostgreSQL plans quickly.
const CHUNK_ROWS = 1_000;

/** `items` in slices of at most `size`, for statements with one bind parameter per value. */
export function* chunked<T>(items: readonly T[], size = CHUNK_ROWS): Generator<T[]> {
	for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Validates every row with `schema`; reports every bad row, and a key given twice at the later
 * place. Returns the good rows (with their line) beside the errors, so that the rows'
 * departments can be checked too and every bad row reported at once.
 */
function checkRows<Row extends object>(
	spec: Pick<RecordsSpec<Row, ImportOptions>, 'schema' | 'columns' | 'keyColumn' | 'key'>,
	source: Iterable<SourceRow>,
	locale: Locale,
	position: Position
): { rows: (Row & { line: number })[]; errors: RowErrorList } {
	const errors = new RowErrorList();
	const rows: (Row & { line: number })[] = [];
	const firstAt = new Map<string, number>();
	for (const { line, values } of source) {
		const parsed = spec.schema.safeParse(values);
		if (!parsed.success) {
			errors.add(...rowProblems(parsed.error, line, spec.columns, locale));
			continue;
		}
		const key = spec.key(parsed.data);
		const first = firstAt.get(key);
		if (first !== undefined) {
			const code = position === 'line' ? 'duplicate_key_line' : 'duplicate_key_row';
			const message = messageOf(code, { value: key, line: first }, locale);
			errors.add({ line, column: spec.keyColumn, message });
			continue;
		}
		firstAt.set(key, line);
		rows.push({ ...parsed.data, line });
	}
	return { rows, errors };
}

/**
 * The ids of the departments the rows name, read once for all rows; an unknown code is a row
 * error on `department_code`.
 */
async function departmentIds<Row>(
	tx: Tx,
	rows: readonly (Row & { line: number })[],
	codeOf: (row: Row) => string,
	locale: Locale
): Promise<{ ids: Map<string, number>; errors: RowErrorList }> {
	const ids = await departmentIdsByCode(tx, rows.map(codeOf));
	const errors = new RowErrorList();
	for (const r of rows) {
		const code = codeOf(r);
		if (!ids.has(code))
			errors.add({
				line: r.line,
				column: 'department_code',
				message: messageOf('department_unknown', { code }, locale)
			});
	}
	return { ids, errors };
}

/** Where a batch came from, for the audit entry. */
type Origin =
	| { source: 'file'; format: Table['format']; sha256: string; encoding?: string }
	| { source: 'api'; requestId: string; sha256: string };

/** The importer of one kind of record file (and of the same rows from the API). */
export function recordsImporter<Row extends object, O extends ImportOptions = ImportOptions>(
	spec: RecordsSpec<Row, O>
) {
	/**
	 * Writes the rows in one transaction when they and their departments are all good; else
	 * writes nothing and reports the first bad rows: those found before and those naming
	 * unknown departments.
	 */
	async function apply(
		db: Executor,
		checked: { rows: (Row & { line: number })[]; errors: RowErrorList },
		before: RowErrorList,
		total: number,
		opts: O,
		origin: Origin,
		actor: audit.Actor
	): Promise<RecordsResult> {
		const { rows } = checked;
		return db.transaction(async (tx) => {
			if (spec.lockKey !== undefined)
				await tx.execute(sql`select pg_advisory_xact_lock(${spec.lockKey})`);
			const found = spec.departmentCode
				? await departmentIds(tx, rows, spec.departmentCode, opts.locale)
				: { ids: new Map<string, number>(), errors: new RowErrorList() };
			const { errors, moreErrors } = firstErrors(
				spec.columns,
				before,
				checked.errors,
				found.errors
			);
			if (errors.length > 0) return { ok: false, rows: total, errors, moreErrors };

			const written = await spec.write(tx, rows, {
				key: spec.key,
				actor,
				opts,
				departmentIds: found.ids
			});
			const { created, updated } = written;
			const unchanged = rows.length - created - updated;
			const removed = written.removed === undefined ? {} : { removed: written.removed };
			if (created + updated + (written.removed ?? 0) > 0) {
				const summary = {
					action: spec.audit.action,
					entity: spec.audit.entity,
					entityId: null,
					changes: factChanges({
						...origin,
						...spec.audit.facts?.(opts),
						rows: rows.length,
						created,
						updated,
						unchanged,
						...removed
					})
				};
				// A chunk an INSERT: thousands of entries would pass the bind-parameter limit.
				for (const part of chunked([...written.entries, summary]))
					await audit.recordMany(tx, actor, part);
			}
			return { ok: true, rows: rows.length, created, updated, unchanged, ...removed };
		});
	}

	return {
		columns: spec.columns,
		headerLabels: spec.headerLabels,
		example: spec.example,
		maxBytes: spec.maxBytes,

		/**
		 * Imports a file (CSV in UTF-8 or GBK, or XLSX), all or nothing; messages in
		 * `opts.locale`.
		 */
		async importFile(
			db: Executor,
			source: Uint8Array,
			opts: O,
			actor: audit.Actor
		): Promise<ImportResult> {
			const sha256 = sha256Hex(source);
			const { locale } = opts;
			if (source.length > spec.maxBytes) {
				const params = { size: megabytes(source.length), max: megabytes(spec.maxBytes) };
				const message = messageOf('file_too_large', params, locale);
				return {
					ok: false,
					rows: 0,
					errors: [{ line: 0, column: '', message }],
					moreErrors: 0,
					sha256
				};
			}
			const table = await readTable(source, spec, locale);
			// The file's or the header's problems, as found (a header's in its own order).
			if (!table.headerOk)
				return {
					ok: false,
					rows: 0,
					errors: table.errors.kept,
					moreErrors: table.errors.more,
					sha256
				};
			const checked = checkRows(spec, table.records, locale, 'line');
			const origin: Origin = {
				source: 'file',
				format: table.format,
				sha256,
				...(table.encoding ? { encoding: table.encoding } : {})
			};
			const result = await apply(db, checked, table.errors, table.rows, opts, origin, actor);
			return { ...result, sha256 };
		},

		/**
		 * Upserts the rows of an API request (a JSON array of at most MAX_API_ROWS rows as in
		 * the file); `line` of an error is the row's index in the array.
		 */
		async upsertRows(
			db: Executor,
			rows: readonly unknown[],
			opts: O & { requestId: string; sha256: string },
			actor: audit.Actor
		): Promise<RecordsResult> {
			if (rows.length > MAX_API_ROWS) throw new RangeError(`more than ${MAX_API_ROWS} rows`);
			const source = rows.map((values, line) => ({ line, values }));
			const checked = checkRows(spec, source, opts.locale, 'row');
			const origin: Origin = { source: 'api', requestId: opts.requestId, sha256: opts.sha256 };
			return apply(db, checked, new RowErrorList(), rows.length, opts, origin, actor);
		}
	};
}

// --- Writers ------------------------------------------------------------------------------------

/**
 * Inserts new rows and updates changed ones by `key`, a chunk at a time, in key order
 * (two imports of overlapping rows then lock them in the same order and cannot deadlock).
 * A row whose `compare` columns are all equal is left alone: no write, `updated_at` kept.
 */
export async function upsertByKey<T extends PgTable>(
	tx: Tx,
	table: T,
	opts: {
		key: PgColumn;
		/** Property names of the columns an import sets besides the key. */
		compare: readonly string[];
		values: readonly T['$inferInsert'][];
	}
): Promise<{ created: number; updated: number }> {
	const columns = getTableColumns(table) as Record<string, PgColumn>;
	const keyName = opts.key.name;
	const set: Record<string, SQL> = {};
	const current: SQL[] = [];
	const incoming: SQL[] = [];
	for (const prop of opts.compare) {
		const column = columns[prop];
		if (!column) throw new Error(`no column ${prop}`);
		const excluded = sql.raw(`excluded.${JSON.stringify(column.name)}`);
		set[prop] = excluded;
		current.push(sql`${column}`);
		incoming.push(excluded);
	}
	if (columns.updatedAt) set.updatedAt = sql`now()`;
	const setWhere = sql`(${sql.join(current, sql`, `)}) is distinct from (${sql.join(incoming, sql`, `)})`;

	const keyProp = Object.entries(columns).find(([, c]) => c.name === keyName)![0];
	const sorted = [...opts.values].sort((a, b) => {
		const x = String((a as Record<string, unknown>)[keyProp]);
		const y = String((b as Record<string, unknown>)[keyProp]);
		return x < y ? -1 : x > y ? 1 : 0;
	});
	let created = 0;
	let updated = 0;
	for (const chunk of chunked(sorted)) {
		// A row returned with xmax = 0 was inserted; one returned otherwise was updated; one not
		// returned was already as given (the WHERE of DO UPDATE kept it).
		const written = (await tx
			.insert(table)
			.values(chunk as never)
			.onConflictDoUpdate({ target: opts.key, set: set as never, setWhere })
			.returning({ inserted: sql<boolean>`(xmax = 0)` })) as { inserted: boolean }[];
		for (const w of written) {
			if (w.inserted) created++;
			else updated++;
		}
	}
	return { created, updated };
}

/** How a spec's rows go into its table. */
interface TableWrite<Row, O, T extends PgTable> {
	table: T;
	/** The table's column of the key (unique). */
	keyOf: PgColumn;
	/** Property names of the columns an import sets besides the key. */
	compare: readonly string[];
	/** The row to write for a valid input row. */
	values: (row: NoInfer<Row>, ctx: WriteContext<NoInfer<Row>, NoInfer<O>>) => T['$inferInsert'];
}

/** Bulk records from another system: upserted set-based, no audit entry per record. */
export function upsertWrite<Row, O, T extends PgTable>(w: TableWrite<Row, O, T>): Writer<Row, O> {
	return async (tx, rows, ctx) => ({
		...(await upsertByKey(tx, w.table, {
			key: w.keyOf,
			compare: w.compare,
			values: rows.map((r) => w.values(r, ctx))
		})),
		entries: []
	});
}

type View = Record<string, unknown>;
type Changes = ReturnType<typeof audit.diff>;

/**
 * Records staff keep: each row compared with the stored record under its key (as the audit
 * trail sees them, `view`), new and changed ones upserted, and each audited with what changed.
 */
export function auditedWrite<Row, O, T extends PgTable>(
	w: TableWrite<Row, O, T> & {
		/** The audit view of the stored records under these keys, locked until the end. */
		stored: (tx: Tx, keys: string[]) => Promise<Map<string, View>>;
		view: (row: NoInfer<Row>) => View;
		entity: string;
		actions: { create: string; update: string };
		/** What the audit trail may keep of a change (personal data masked). */
		mask?: (changes: Changes) => Changes;
	}
): Writer<Row, O> {
	const mask = w.mask ?? ((c: Changes) => c);
	return async (tx, rows, ctx) => {
		const stored = new Map<string, View>();
		for (const part of chunked(rows))
			for (const [k, v] of await w.stored(tx, part.map(ctx.key))) stored.set(k, v);
		const entries: audit.AuditInput[] = [];
		const write: Row[] = [];
		let created = 0;
		for (const row of rows) {
			const before = stored.get(ctx.key(row));
			const changes = audit.diff(before ?? null, w.view(row));
			if (Object.keys(changes).length === 0) continue;
			if (!before) created++;
			write.push(row);
			entries.push({
				action: before ? w.actions.update : w.actions.create,
				entity: w.entity,
				entityId: ctx.key(row),
				changes: mask(changes)
			});
		}
		await upsertByKey(tx, w.table, {
			key: w.keyOf,
			compare: w.compare,
			values: write.map((r) => w.values(r, ctx))
		});
		return { created, updated: write.length - created, entries };
	};
}

/** `stored` of `auditedWrite` for a table whose own columns are the audit view. */
export function storedViews<T extends PgTable>(
	table: T,
	keyOf: PgColumn,
	view: (record: T['$inferSelect']) => View
) {
	return async (tx: Tx, keys: string[]): Promise<Map<string, View>> => {
		if (keys.length === 0) return new Map();
		const found = (await tx
			.select()
			.from(table as PgTable)
			.where(inArray(keyOf, keys))
			.for('update')) as T['$inferSelect'][];
		const keyProp = Object.entries(getTableColumns(table)).find(([, c]) => c === keyOf)![0];
		return new Map(found.map((r) => [String((r as Record<string, unknown>)[keyProp]), view(r)]));
	};
}
