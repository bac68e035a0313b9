// Service cases (办件) from the Administrative Service Center's case system: imported in bulk
// from a file, the CLI or `POST /api/v1/cases`, upserted by case_no, and listed read-only.
// One audit entry per import or request (counts and the file's hash / the request id), not per
// row: the records arrive by the thousand from another system.
import { and, asc, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { formatDate, startOfDay } from '$lib/domain/time';
import type { CaseStatus } from '$lib/domain/working-days';
import { caseRowSchema, CASE_COLUMNS, CASE_EXAMPLE, CASE_HEADER_LABELS } from '$lib/schemas/cases';
import {
	WORKING_DAY,
	caseStatusIs,
	caseStatusSql,
	localDateSql,
	workingDayCalendar,
	workingDaysBetweenSql
} from '$lib/server/calendar/working-days-sql';
import type { Executor } from '$lib/server/db';
import { department, serviceCase } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';
import { catalogueDaysSql, promiseDiffersSql } from '$lib/server/handbook';
import {
	MAX_API_ROWS,
	RECORDS_FILE_MAX_BYTES,
	recordsImporter,
	upsertWrite,
	type ImportResult,
	type RowError
} from '$lib/server/imports/records';

export { CASE_COLUMNS, CASE_EXAMPLE, CASE_HEADER_LABELS, MAX_API_ROWS };
export type { ImportResult, RowError };
export const CASE_MAX_BYTES = RECORDS_FILE_MAX_BYTES;

export const casesImport = recordsImporter({
	columns: CASE_COLUMNS,
	headerLabels: CASE_HEADER_LABELS,
	example: CASE_EXAMPLE,
	schema: caseRowSchema,
	keyColumn: 'case_no',
	key: (r) => r.caseNo,
	departmentCode: (r) => r.departmentCode,
	maxBytes: CASE_MAX_BYTES,
	write: upsertWrite({
		table: serviceCase,
		keyOf: serviceCase.caseNo,
		compare: [
			'departmentId',
			'itemCode',
			'itemName',
			'acceptedAt',
			'completedAt',
			'promisedWorkingDays'
		],
		values: (r, { departmentIds }) => ({
			caseNo: r.caseNo,
			departmentId: departmentIds.get(r.departmentCode)!,
			itemCode: r.itemCode,
			itemName: r.itemName,
			acceptedAt: r.acceptedAt,
			completedAt: r.completedAt,
			promisedWorkingDays: r.promisedWorkingDays
		})
	}),
	audit: { action: 'cases.import', entity: 'service_case' }
});

/** `importFile` of a cases file and `upsertRows` of an API request, upserted by case_no. */
export const { importFile, upsertRows } = casesImport;

export interface CaseFilter {
	departmentCode?: string;
	/** Cases accepted in this year (local dates). */
	year?: number;
	/** The status measured to `today`. */
	status?: CaseStatus;
	/** Part of the case number or the item's code or name. */
	q?: string;
	/** Only cases promising other working days than their item in the year's handbook. */
	promiseDiffers?: boolean;
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
	/** As the year computation judges it, open cases measured to `today`. */
	status: CaseStatus;
	/** The promise of the case's item in the handbook of its year; null when not listed there. */
	handbookDays: number | null;
	/** The case promises other working days than the handbook (docs/handbook.md). */
	promiseDiffers: boolean;
}

/**
 * One page of cases, newest accepted first, each with its working days and status by the
 * working-day SQL the year computation uses ($lib/server/calendar/working-days-sql).
 */
export async function list(
	db: Executor,
	filter: CaseFilter,
	page: number,
	pageSize: number
): Promise<{ rows: CaseListRow[]; total: number }> {
	const today = sql`${filter.today ?? formatDate(new Date())}::date`;
	// Most cases listed fall in the year asked for, or near today; others cost a little more.
	// A CTE, so that the page's query builds it once for its two references.
	const calendar = db.$with(WORKING_DAY, { lo: sql`lo` }).as(
		workingDayCalendar({
			from: filter.year ? sql`make_date(${filter.year}::int, 1, 1)` : today,
			to: today
		})
	);
	const times = {
		accepted: serviceCase.acceptedAt,
		completed: serviceCase.completedAt,
		promised: serviceCase.promisedWorkingDays
	};
	// Filters on service_case alone: no join for the count and the choice of the page.
	const where: (SQL | undefined)[] = [];
	if (filter.departmentCode)
		where.push(
			eq(
				serviceCase.departmentId,
				sql`(select ${department.id} from ${department}
					where ${department.code} = ${filter.departmentCode})`
			)
		);
	if (filter.year) {
		where.push(gte(serviceCase.acceptedAt, startOfDay(`${filter.year}-01-01`)!));
		where.push(lt(serviceCase.acceptedAt, startOfDay(`${filter.year + 1}-01-01`)!));
	}
	where.push(
		containsAny(filter.q, [serviceCase.caseNo, serviceCase.itemCode, serviceCase.itemName])
	);
	if (filter.status) where.push(caseStatusIs(filter.status, times, today));
	const catalogued = {
		itemCode: serviceCase.itemCode,
		acceptedAt: serviceCase.acceptedAt,
		promisedWorkingDays: serviceCase.promisedWorkingDays
	};
	if (filter.promiseDiffers) where.push(promiseDiffersSql(catalogued));
	const matching = and(...where);
	const order = [desc(serviceCase.acceptedAt), asc(serviceCase.caseNo)];
	// The page is chosen on narrow rows and only its cases are timed: sorting whole rows (and
	// the calendar they are timed with) of every matching case would spill to disk.
	const pageIds = db
		.select({ id: serviceCase.id })
		.from(serviceCase)
		.crossJoin(calendar)
		.where(matching)
		.orderBy(...order)
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.as('page');
	const [rows, [total]] = await Promise.all([
		db
			.with(calendar)
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
				elapsed: workingDaysBetweenSql(
					localDateSql(serviceCase.acceptedAt),
					sql`coalesce(${localDateSql(serviceCase.completedAt)}, ${today})`
				),
				status: caseStatusSql(times, today),
				handbookDays: catalogueDaysSql(catalogued),
				promiseDiffers: promiseDiffersSql(catalogued).mapWith(Boolean)
			})
			.from(pageIds)
			.innerJoin(serviceCase, eq(serviceCase.id, pageIds.id))
			.innerJoin(department, eq(department.id, serviceCase.departmentId))
			.crossJoin(calendar)
			.orderBy(...order),
		db.with(calendar).select({ n: count() }).from(serviceCase).crossJoin(calendar).where(matching)
	]);
	return { rows, total: total?.n ?? 0 };
}
