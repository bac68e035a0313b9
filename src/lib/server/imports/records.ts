// Bulk records from other systems (service cases, complaints): the same steps for a CSV file, an
// API request and the CLI. Validate every row with the module's one zod schema, refuse repeated
// keys and unknown departments, then upsert set-based: multi-row INSERT … ON CONFLICT DO UPDATE
// in chunks, updating only rows that differ, so that the same data twice changes nothing.
// One audit entry per import or request (counts and the file's hash / the request id), not per
// row: the records arrive by the thousand from another system.
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { rowProblems, type RowError } from '$lib/schemas/record-rows';
import * as audit from '$lib/server/audit';
import type { Database, Tx } from '$lib/server/db';
import { idsByCode as departmentIdsByCode } from '$lib/server/departments';
import { chunked, factChanges, openCsv, sortErrors, type ImportResult } from './file-import';

export type { ImportResult, RowError };

/** At most this many rows per `POST /api/v1/cases|complaints` (spec/exchange.md). */
export const MAX_API_ROWS = 10_000;

/** What one import or API call did; nothing is written when `ok` is false. */
export type RecordsResult =
	| { ok: true; rows: number; created: number; updated: number; unchanged: number }
	| { ok: false; rows: number; errors: RowError[] };

/** One row as it arrived: a file's record (values by header) or an element of a JSON array. */
export interface SourceRow {
	/** A file's physical line, or the index into the JSON array. */
	line: number;
	values: unknown;
}

/** Where a row is, for messages: a file's line or a request's array index. */
export type Position = 'line' | 'row';

/**
 * Validates every row with `schema`; reports every bad row, and a key given twice at the later
 * place. Returns the good rows (with their line) beside the errors, so that the rows' departments
 * can be checked too and every bad row reported at once.
 */
export function checkRows<S extends z.ZodType<Record<string, unknown>>>(
	schema: S,
	source: readonly SourceRow[],
	opts: {
		columns: readonly string[];
		keyColumn: string;
		key: (row: z.output<S>) => string;
		locale: Locale;
		position: Position;
	}
): { rows: (z.output<S> & { line: number })[]; errors: RowError[] } {
	const { locale, columns, keyColumn } = opts;
	const errors: RowError[] = [];
	const rows: (z.output<S> & { line: number })[] = [];
	const firstAt = new Map<string, number>();
	for (const { line, values } of source) {
		const parsed = schema.safeParse(values);
		if (!parsed.success) {
			errors.push(...rowProblems(parsed.error, line, columns, locale));
			continue;
		}
		const key = opts.key(parsed.data);
		const first = firstAt.get(key);
		if (first !== undefined) {
			const params = { value: key, line: first };
			errors.push({
				line,
				column: keyColumn,
				message:
					opts.position === 'line'
						? m.records_duplicate_key_line(params, { locale })
						: m.records_duplicate_key_row(params, { locale })
			});
			continue;
		}
		firstAt.set(key, line);
		rows.push({ ...parsed.data, line });
	}
	return { rows, errors: sortErrors(errors, columns) };
}

/**
 * The ids of the departments the rows name, read once for all rows; an unknown code is a row
 * error on `department_code`.
 */
export async function departmentIds(
	tx: Tx,
	rows: readonly { line: number; departmentCode: string }[],
	locale: Locale
): Promise<{ ids: Map<string, number>; errors: RowError[] }> {
	const ids = await departmentIdsByCode(
		tx,
		rows.map((r) => r.departmentCode)
	);
	const errors = rows
		.filter((r) => !ids.has(r.departmentCode))
		.map((r) => ({
			line: r.line,
			column: 'department_code',
			message: m.records_unknown_department({ value: r.departmentCode }, { locale })
		}));
	return { ids, errors };
}

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

/** What a module of bulk records declares; `recordsImporter` does the rest. */
export interface RecordsSpec<S extends z.ZodType<Record<string, unknown>>, T extends PgTable> {
	schema: S;
	columns: readonly string[];
	keyColumn: string;
	key: (row: z.output<S>) => string;
	table: T;
	/** The table's column of the key. */
	keyOf: PgColumn;
	/** Property names of the columns an import sets besides the key. */
	compare: readonly string[];
	/** The row to write for a valid input row and the id of the department it names. */
	values: (row: z.output<S>, departmentId: number) => T['$inferInsert'];
	/** The audit entry of an import or request that changed something. */
	audit: { action: string; entity: string };
}

/** Where a batch came from, for the audit entry. */
type Origin =
	| { source: 'file'; sha256: string; encoding: string }
	| { source: 'api'; requestId: string; sha256: string };

/** The file import and the API upsert of one module of bulk records. */
export function recordsImporter<
	S extends z.ZodType<Record<string, unknown> & { departmentCode: string }>,
	T extends PgTable
>(spec: RecordsSpec<S, T>) {
	const check = (source: readonly SourceRow[], locale: Locale, position: Position) =>
		checkRows(spec.schema, source, {
			columns: spec.columns,
			keyColumn: spec.keyColumn,
			key: spec.key,
			locale,
			position
		});

	/**
	 * Writes the rows in one transaction when they and their departments are all good; else
	 * writes nothing and reports every bad row, those `check` found and those naming unknown
	 * departments.
	 */
	async function apply(
		db: Database,
		checked: ReturnType<typeof check>,
		total: number,
		locale: Locale,
		origin: Origin,
		actor: audit.Actor
	): Promise<RecordsResult> {
		const { rows } = checked;
		return db.transaction(async (tx) => {
			const found = await departmentIds(tx, rows, locale);
			const { ids } = found;
			const errors = [...checked.errors, ...found.errors];
			if (errors.length)
				return { ok: false, rows: total, errors: sortErrors(errors, spec.columns) };
			const { created, updated } = await upsertByKey(tx, spec.table, {
				key: spec.keyOf,
				compare: spec.compare,
				values: rows.map((r) => spec.values(r, ids.get(r.departmentCode)!))
			});
			const unchanged = rows.length - created - updated;
			if (created + updated > 0) {
				await audit.record(tx, actor, {
					...spec.audit,
					entityId: null,
					changes: factChanges({ ...origin, rows: rows.length, created, updated, unchanged })
				});
			}
			return { ok: true, rows: rows.length, created, updated, unchanged };
		});
	}

	return {
		/** Imports a file (UTF-8 or GBK), all or nothing; messages in `opts.locale`. */
		async importFile(
			db: Database,
			bytes: Uint8Array,
			opts: { locale: Locale },
			actor: audit.Actor
		): Promise<ImportResult> {
			const opened = openCsv(bytes, spec.columns, opts.locale);
			if (!opened.ok) return opened.result;
			const { file, rowCount, sha256 } = opened;
			const checked = check(file.records, opts.locale, 'line');
			// Rows the parser could not shape are reported with every other bad row.
			checked.errors.push(...file.errors);
			const origin = { source: 'file' as const, sha256, encoding: file.encoding };
			const result = await apply(db, checked, rowCount, opts.locale, origin, actor);
			return { ...result, sha256 };
		},

		/**
		 * Upserts the rows of an API request (a JSON array of at most MAX_API_ROWS rows as in
		 * the file); `line` of an error is the row's index in the array.
		 */
		async upsertRows(
			db: Database,
			rows: readonly unknown[],
			opts: { locale: Locale; requestId: string; sha256: string },
			actor: audit.Actor
		): Promise<RecordsResult> {
			if (rows.length > MAX_API_ROWS) throw new RangeError(`more than ${MAX_API_ROWS} rows`);
			const checked = check(
				rows.map((values, line) => ({ line, values })),
				opts.locale,
				'row'
			);
			const origin = { source: 'api' as const, requestId: opts.requestId, sha256: opts.sha256 };
			return apply(db, checked, rows.length, opts.locale, origin, actor);
		}
	};
}
