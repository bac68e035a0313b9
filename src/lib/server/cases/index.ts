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
	isNotNull,
	isNull,
	lt,
	sql,
	type SQL,
	type SQLWrapper
} from 'drizzle-orm';
import { formatDate, startOfDay } from '$lib/domain/time';
import {
	caseRowSchema,
	CASE_COLUMNS,
	CASE_EXAMPLE,
	CASE_HEADER_LABELS,
	type CaseStatus
} from '$lib/schemas/cases';
import type { Executor } from '$lib/server/db';
import { department, serviceCase } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';
import {
	MAX_API_ROWS,
	RECORDS_FILE_MAX_BYTES,
	recordsImporter,
	upsertWrite,
	type ImportResult,
	type RowError
} from '$lib/server/imports/records';
import { workingDaysSql } from './working-days-sql';

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
	where.push(
		containsAny(filter.q, [serviceCase.caseNo, serviceCase.itemCode, serviceCase.itemName])
	);
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
