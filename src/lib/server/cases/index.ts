// Service cases (办件) from the Administrative Service Center's case system: imported in bulk
// from a file, the CLI or `POST /api/v1/cases`, upserted by case_no, and listed read-only.
// One audit entry per import or request (counts and the file's hash / the request id), not per
// row: the records arrive by the thousand from another system.
import {
	and,
	asc,
	count,
	desc,
	eq,
	gte,
	ilike,
	isNotNull,
	isNull,
	lt,
	or,
	sql,
	type SQL,
	type SQLWrapper
} from 'drizzle-orm';
import { formatDate, startOfDay } from '$lib/domain/time';
import { caseRowSchema, CASE_COLUMNS, type CaseRow, type CaseStatus } from '$lib/schemas/cases';
import type { Locale } from '$lib/schemas/record-rows';
import * as audit from '$lib/server/audit';
import type { Database, Executor } from '$lib/server/db';
import { department, serviceCase } from '$lib/server/db/schema';
import { readCsv, sha256Hex } from '$lib/server/imports/csv';
import {
	checkRows,
	departmentIds,
	MAX_API_ROWS,
	sortErrors,
	upsertByKey,
	type RecordsResult,
	type RowError,
	type SourceRow
} from '$lib/server/imports/records';
import { workingDaysSql } from './working-days-sql';

export { CASE_COLUMNS, MAX_API_ROWS };
export type { RowError };

export type ImportResult =
	| { ok: true; rows: number; created: number; updated: number; unchanged: number; sha256: string }
	| { ok: false; rows: number; errors: RowError[]; sha256: string };

/** Where a batch came from, for the audit entry. */
type Origin =
	| { source: 'file'; sha256: string; encoding: string }
	| { source: 'api'; requestId: string; sha256: string };

const COMPARED = [
	'departmentId',
	'itemCode',
	'itemName',
	'acceptedAt',
	'completedAt',
	'promisedWorkingDays'
] as const;

function check(source: readonly SourceRow[], locale: Locale, position: 'line' | 'row') {
	return checkRows(caseRowSchema, source, {
		columns: CASE_COLUMNS,
		keyColumn: 'case_no',
		key: (r: CaseRow) => r.caseNo,
		locale,
		position
	});
}

/**
 * Writes the rows in one transaction when they and their departments are all good; else writes
 * nothing and reports every bad row, those `check` found and those naming unknown departments.
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
		if (errors.length) return { ok: false, rows: total, errors: sortErrors(errors, CASE_COLUMNS) };
		const { created, updated } = await upsertByKey(tx, serviceCase, {
			key: serviceCase.caseNo,
			compare: COMPARED,
			values: rows.map((r) => ({
				caseNo: r.caseNo,
				departmentId: ids.get(r.departmentCode)!,
				itemCode: r.itemCode,
				itemName: r.itemName,
				acceptedAt: r.acceptedAt,
				completedAt: r.completedAt,
				promisedWorkingDays: r.promisedWorkingDays
			}))
		});
		const unchanged = rows.length - created - updated;
		if (created + updated > 0) {
			await audit.record(tx, actor, {
				action: 'cases.import',
				entity: 'service_case',
				entityId: null,
				changes: summary({ ...origin, rows: rows.length, created, updated, unchanged })
			});
		}
		return { ok: true, rows: rows.length, created, updated, unchanged };
	});
}

/** An audit entry's changes: each fact as a field set from nothing. */
function summary(facts: Record<string, unknown>) {
	return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, { before: null, after: v }]));
}

/** Imports a cases file (UTF-8 or GBK), all or nothing; messages in `opts.locale`. */
export async function importFile(
	db: Database,
	bytes: Uint8Array,
	opts: { locale: Locale },
	actor: audit.Actor
): Promise<ImportResult> {
	const sha256 = sha256Hex(bytes);
	const file = readCsv(bytes, { required: CASE_COLUMNS, locale: opts.locale });
	if (!file.headerOk) return { ok: false, rows: 0, errors: file.errors, sha256 };
	const rowCount = file.records.length + file.errors.filter((e) => e.line > 1).length;
	const checked = check(file.records, opts.locale, 'line');
	// Rows the parser could not shape are reported with every other bad row.
	checked.errors.push(...file.errors);
	const result = await apply(
		db,
		checked,
		rowCount,
		opts.locale,
		{ source: 'file', sha256, encoding: file.encoding },
		actor
	);
	return { ...result, sha256 };
}

/**
 * Upserts the rows of an API request (a JSON array of at most MAX_API_ROWS rows as in the
 * file); `line` of an error is the row's index in the array.
 */
export async function upsertRows(
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
	return apply(
		db,
		checked,
		rows.length,
		opts.locale,
		{ source: 'api', requestId: opts.requestId, sha256: opts.sha256 },
		actor
	);
}

export interface CaseFilter {
	departmentCode?: string;
	/** Cases accepted in this year (local dates). */
	year?: number;
	status?: CaseStatus;
	/** Part of the case number or the item's code or name. */
	q?: string;
	/** The local date open cases are measured to; today by default. */
	today?: string;
}

export interface CaseListRow {
	id: number;
	caseNo: string;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	itemCode: string;
	itemName: string;
	acceptedAt: Date;
	completedAt: Date | null;
	promisedWorkingDays: number;
	/** Working days from acceptance to completion, or to `today` while open. */
	elapsed: number;
	status: 'on_time' | 'late' | 'open' | 'overdue';
}

function escapeLike(q: string): string {
	return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const LOCAL_DATE = (column: SQLWrapper) => sql`(${column} at time zone 'Asia/Shanghai')::date`;

/** One page of cases, newest accepted first, each with its working days and status. */
export async function list(
	db: Executor,
	filter: CaseFilter,
	page: number,
	pageSize: number
): Promise<{ rows: CaseListRow[]; total: number }> {
	const today = filter.today ?? formatDate(new Date());
	const accepted = LOCAL_DATE(serviceCase.acceptedAt);
	const elapsedOpen = workingDaysSql(accepted, sql`${today}::date`);
	const where: (SQL | undefined)[] = [];
	if (filter.departmentCode) where.push(eq(department.code, filter.departmentCode));
	if (filter.year) {
		where.push(gte(serviceCase.acceptedAt, startOfDay(`${filter.year}-01-01`)!));
		where.push(lt(serviceCase.acceptedAt, startOfDay(`${filter.year + 1}-01-01`)!));
	}
	if (filter.q) {
		const pattern = `%${escapeLike(filter.q)}%`;
		where.push(
			or(
				ilike(serviceCase.caseNo, pattern),
				ilike(serviceCase.itemCode, pattern),
				ilike(serviceCase.itemName, pattern)
			)
		);
	}
	if (filter.status === 'completed') where.push(isNotNull(serviceCase.completedAt));
	if (filter.status === 'open') where.push(isNull(serviceCase.completedAt));
	if (filter.status === 'overdue') {
		where.push(isNull(serviceCase.completedAt));
		// Calendar days bound working days: a cheap test first, the calendar only where it can be.
		where.push(sql`${today}::date - ${accepted} > ${serviceCase.promisedWorkingDays}`);
		where.push(sql`${elapsedOpen} > ${serviceCase.promisedWorkingDays}`);
	}
	const w = and(...where);
	const elapsed = sql<number>`case when ${serviceCase.completedAt} is null then ${elapsedOpen}
		else ${workingDaysSql(accepted, LOCAL_DATE(serviceCase.completedAt))} end`;
	const [pageRows, [total]] = await Promise.all([
		db
			.select({
				id: serviceCase.id,
				caseNo: serviceCase.caseNo,
				departmentCode: department.code,
				departmentNameZh: department.nameZh,
				departmentNameEn: department.nameEn,
				itemCode: serviceCase.itemCode,
				itemName: serviceCase.itemName,
				acceptedAt: serviceCase.acceptedAt,
				completedAt: serviceCase.completedAt,
				promisedWorkingDays: serviceCase.promisedWorkingDays,
				elapsed
			})
			.from(serviceCase)
			.innerJoin(department, eq(department.id, serviceCase.departmentId))
			.where(w)
			.orderBy(desc(serviceCase.acceptedAt), asc(serviceCase.caseNo))
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db
			.select({ n: count() })
			.from(serviceCase)
			.innerJoin(department, eq(department.id, serviceCase.departmentId))
			.where(w)
	]);
	return {
		rows: pageRows.map((r) => {
			const elapsedDays = Number(r.elapsed);
			const late = elapsedDays > r.promisedWorkingDays;
			return {
				...r,
				elapsed: elapsedDays,
				status: r.completedAt ? (late ? 'late' : 'on_time') : late ? 'overdue' : 'open'
			};
		}),
		total: total?.n ?? 0
	};
}
