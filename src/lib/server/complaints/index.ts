// Efficiency complaints (效能投诉) as the complaint hotline's system records them: imported in
// bulk from a file, the CLI or `POST /api/v1/complaints`, upserted by complaint_no; the year-on-
// year statistics of `GET /api/v1/complaints/stats`; and a read-only list. The intake and
// handling workflow of a later issue extends the same table.
import { and, asc, count, desc, eq, gte, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { roundHalfAwayFromZero } from '$lib/domain/scoring';
import { startOfDay } from '$lib/domain/time';
import {
	complaintRowSchema,
	COMPLAINT_COLUMNS,
	COMPLAINT_EXAMPLE,
	COMPLAINT_HEADER_LABELS,
	type Verdict
} from '$lib/schemas/complaints';
import { rows as rawRows, type Executor } from '$lib/server/db';
import { complaint, department } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';
import {
	MAX_API_ROWS,
	RECORDS_FILE_MAX_BYTES,
	recordsImporter,
	upsertWrite,
	type ImportResult,
	type RowError
} from '$lib/server/imports/records';

export { COMPLAINT_COLUMNS, COMPLAINT_EXAMPLE, COMPLAINT_HEADER_LABELS, MAX_API_ROWS };
export type { ImportResult, RowError };
export const COMPLAINT_MAX_BYTES = RECORDS_FILE_MAX_BYTES;

export const complaintsImport = recordsImporter({
	columns: COMPLAINT_COLUMNS,
	headerLabels: COMPLAINT_HEADER_LABELS,
	example: COMPLAINT_EXAMPLE,
	schema: complaintRowSchema,
	keyColumn: 'complaint_no',
	key: (r) => r.complaintNo,
	departmentCode: (r) => r.departmentCode,
	maxBytes: COMPLAINT_MAX_BYTES,
	write: upsertWrite({
		table: complaint,
		keyOf: complaint.complaintNo,
		compare: [
			'departmentId',
			'receivedAt',
			'channel',
			'category',
			'verdict',
			'concludedAt',
			'responseLate',
			'summary'
		],
		values: (r, { departmentIds }) => ({
			complaintNo: r.complaintNo,
			departmentId: departmentIds.get(r.departmentCode)!,
			receivedAt: r.receivedAt,
			channel: r.channel,
			category: r.category,
			verdict: r.verdict,
			concludedAt: r.concludedAt,
			responseLate: r.responseLate,
			summary: r.summary
		})
	}),
	audit: { action: 'complaints.import', entity: 'complaint' }
});

/** `importFile` of a complaints file and `upsertRows` of an API request, upserted by complaint_no. */
export const { importFile, upsertRows } = complaintsImport;

export interface ComplaintStats {
	year: number;
	/** `MM-DD`, the last day counted. */
	through: string;
	count: number;
	previous_count: number;
	/** Percent change from the previous year, 2 decimals; null when that year had none. */
	change_pct: number | null;
}

export type StatsRefusal = 'no_such_day';

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Complaints received from 1 January through `through` (local dates, default 12-31) of `year`
 * and of `year − 1`. `02-29` is a day only of a leap `year` (else refused); for the previous,
 * non-leap year it counts through 28 February, the same span of the calendar.
 */
export async function stats(
	db: Executor,
	year: number,
	through = '12-31'
): Promise<ComplaintStats | StatsRefusal> {
	if (through === '02-29' && !isLeap(year)) return 'no_such_day';
	const endOf = (y: number) => {
		const mmdd = through === '02-29' && !isLeap(y) ? '02-28' : through;
		return startOfDay(`${y}-${mmdd}`);
	};
	const end = endOf(year);
	const previousEnd = endOf(year - 1);
	if (!end || !previousEnd) return 'no_such_day';
	const DAY = 86_400_000;
	const from = startOfDay(`${year}-01-01`)!;
	const previousFrom = startOfDay(`${year - 1}-01-01`)!;
	const to = new Date(end.getTime() + DAY);
	const previousTo = new Date(previousEnd.getTime() + DAY);
	// Instants as ISO text: postgres.js binds no Date in a raw query (PGlite would).
	const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
	const [r] = await rawRows<{ count: number; previous_count: number }>(
		db,
		sql`select
			count(*) filter (where received_at >= ${at(from)} and received_at < ${at(to)})::int as count,
			count(*) filter (where received_at >= ${at(previousFrom)}
				and received_at < ${at(previousTo)})::int as previous_count
		from complaint
		where received_at >= ${at(previousFrom)} and received_at < ${at(to)}`
	);
	const current = Number(r?.count ?? 0);
	const previous = Number(r?.previous_count ?? 0);
	return {
		year,
		through,
		count: current,
		previous_count: previous,
		change_pct:
			previous === 0 ? null : roundHalfAwayFromZero(((current - previous) * 100) / previous, 2)
	};
}

export interface ComplaintFilter {
	/** A liaison's own department: the list is limited to it whatever else is asked. */
	departmentId?: number;
	departmentCode?: string;
	/** Complaints received in this year (local dates). */
	year?: number;
	status?: 'open' | 'concluded';
	/** Part of the complaint number, the channel or the category. */
	q?: string;
}

export interface ComplaintListRow {
	id: number;
	complaintNo: string;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	receivedAt: Date;
	channel: string;
	category: string;
	verdict: Verdict | null;
	concludedAt: Date | null;
	responseLate: boolean;
	summary: string;
}

/** One page of complaints, newest received first. No complainant identity is stored here. */
export async function list(
	db: Executor,
	filter: ComplaintFilter,
	page: number,
	pageSize: number
): Promise<{ rows: ComplaintListRow[]; total: number }> {
	const where: (SQL | undefined)[] = [];
	if (filter.departmentId !== undefined)
		where.push(eq(complaint.departmentId, filter.departmentId));
	if (filter.departmentCode) where.push(eq(department.code, filter.departmentCode));
	if (filter.year) {
		where.push(gte(complaint.receivedAt, startOfDay(`${filter.year}-01-01`)!));
		where.push(lt(complaint.receivedAt, startOfDay(`${filter.year + 1}-01-01`)!));
	}
	if (filter.status === 'open') where.push(isNull(complaint.verdict));
	if (filter.status === 'concluded') where.push(isNotNull(complaint.verdict));
	where.push(containsAny(filter.q, [complaint.complaintNo, complaint.channel, complaint.category]));
	const w = and(...where);
	const [pageRows, [total]] = await Promise.all([
		db
			.select({
				id: complaint.id,
				complaintNo: complaint.complaintNo,
				departmentCode: department.code,
				departmentNameZh: department.nameZh,
				departmentNameEn: department.nameEn,
				receivedAt: complaint.receivedAt,
				channel: complaint.channel,
				category: complaint.category,
				verdict: complaint.verdict,
				concludedAt: complaint.concludedAt,
				responseLate: complaint.responseLate,
				summary: complaint.summary
			})
			.from(complaint)
			.innerJoin(department, eq(department.id, complaint.departmentId))
			.where(w)
			.orderBy(desc(complaint.receivedAt), asc(complaint.complaintNo))
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db
			.select({ n: count() })
			.from(complaint)
			.innerJoin(department, eq(department.id, complaint.departmentId))
			.where(w)
	]);
	return { rows: pageRows, total: total?.n ?? 0 };
}
export * from './workflow';
