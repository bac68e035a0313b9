// Bulk records from other systems (service cases, complaints): the same steps for a CSV file, an
// API request and the CLI. Validate every row with the module's one zod schema, refuse repeated
// keys and unknown departments, then upsert set-based: multi-row INSERT … ON CONFLICT DO UPDATE
// in chunks, updating only rows that differ, so that the same data twice changes nothing.
import { getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { rowProblems, type Locale, type RowError } from '$lib/schemas/record-rows';
import type { Tx } from '$lib/server/db';
import { department } from '$lib/server/db/schema';

export type { RowError };

/** At most this many rows per `POST /api/v1/cases|complaints` (spec/exchange.md). */
export const MAX_API_ROWS = 10_000;

// Bind parameters per statement are limited to 65,535; 1,000 rows of ≤ 10 columns stay well
// below, and a statement of that size is what PostgreSQL plans quickly.
const CHUNK_ROWS = 1_000;

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

export function sortErrors(errors: RowError[], columns: readonly string[]): RowError[] {
	const order = (c: string) => columns.indexOf(c);
	return errors.sort((a, b) => a.line - b.line || order(a.column) - order(b.column));
}

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
	const codes = [...new Set(rows.map((r) => r.departmentCode))];
	const found = codes.length
		? await tx
				.select({ id: department.id, code: department.code })
				.from(department)
				.where(inArray(department.code, codes))
		: [];
	const ids = new Map(found.map((d) => [d.code, d.id]));
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
 * Inserts new rows and updates changed ones by `key`, `CHUNK_ROWS` at a time, in key order
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
	for (let i = 0; i < sorted.length; i += CHUNK_ROWS) {
		const chunk = sorted.slice(i, i + CHUNK_ROWS);
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
