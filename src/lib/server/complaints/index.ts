// Efficiency complaints (效能投诉) as the complaint hotline's system records them: imported in
// bulk from a file, the CLI or `POST /api/v1/complaints`, upserted by complaint_no; the year-on-
// year statistics of `GET /api/v1/complaints/stats`; and a read-only list. The intake and
// handling workflow (./workflow.ts) extends the same table; a file never overwrites a complaint
// taken in here.
import {
	and,
	asc,
	count,
	desc,
	eq,
	gte,
	inArray,
	isNotNull,
	isNull,
	lt,
	type SQL
} from 'drizzle-orm';
import type { ComplaintState } from '$lib/domain/complaints';
import { startOfDay } from '$lib/domain/time';
import {
	complaintRowSchema,
	COMPLAINT_COLUMNS,
	COMPLAINT_EXAMPLE,
	COMPLAINT_HEADER_LABELS,
	type Verdict
} from '$lib/schemas/complaints';
import { maskPersonalData } from '$lib/domain/mask';
import { DomainError } from '$lib/errors';
import { type Executor } from '$lib/server/db';
import { complaint, department } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';
import { figures, mayReadStatistics, type StatisticsReader } from './statistics';
import { identityFor, type ComplaintReader } from './workflow';
import {
	MAX_API_ROWS,
	RECORDS_FILE_MAX_BYTES,
	recordsImporter,
	upsertWrite,
	type ImportResult,
	type RowError,
	type Writer
} from '$lib/server/imports/records';

export { COMPLAINT_COLUMNS, COMPLAINT_EXAMPLE, COMPLAINT_HEADER_LABELS, MAX_API_ROWS };
export type { ImportResult, RowError };
export const COMPLAINT_MAX_BYTES = RECORDS_FILE_MAX_BYTES;

/**
 * The import's writer, refusing a file that names a complaint taken in here (its workflow is
 * this app's: a hotline's file must not overwrite its department, verdict or times).
 */
function handledElsewhereOnly<Row extends { complaintNo: string }, O>(
	write: Writer<Row, O>
): Writer<Row, O> {
	return async (tx, rows, ctx) => {
		const keys = rows.map((r) => r.complaintNo);
		const [taken] =
			keys.length === 0
				? []
				: await tx
						.select({ no: complaint.complaintNo })
						.from(complaint)
						.where(and(inArray(complaint.complaintNo, keys), isNotNull(complaint.state)))
						.limit(1);
		if (taken) throw new DomainError('complaint_import_handled_here', { params: { no: taken.no } });
		return write(tx, rows, ctx);
	};
}

export const complaintsImport = recordsImporter({
	columns: COMPLAINT_COLUMNS,
	headerLabels: COMPLAINT_HEADER_LABELS,
	example: COMPLAINT_EXAMPLE,
	schema: complaintRowSchema,
	keyColumn: 'complaint_no',
	key: (r) => r.complaintNo,
	departmentCode: (r) => r.departmentCode,
	maxBytes: COMPLAINT_MAX_BYTES,
	write: handledElsewhereOnly(
		upsertWrite({
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
		})
	),
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

/**
 * Complaints received from 1 January through `through` (local dates, default 12-31) of `year`
 * and of `year − 1`: the total of the statistics' query (./statistics.ts) over that range, for a
 * reader who may read statistics (else 403). `02-29` is a day only of a leap `year` (else
 * refused); for the previous, non-leap year it counts through 28 February, the same span of the
 * calendar.
 */
export async function stats(
	db: Executor,
	reader: StatisticsReader,
	year: number,
	through = '12-31'
): Promise<ComplaintStats | StatsRefusal> {
	if (!mayReadStatistics(reader)) throw new DomainError('complaint_stats_forbidden');
	const range = { from: `${year}-01-01`, to: `${year}-${through}` };
	if (!startOfDay(range.to)) return 'no_such_day';
	const { total } = await figures(db, range);
	return {
		year,
		through,
		count: total.current,
		previous_count: total.previous,
		change_pct: total.changePct
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
	/** Its workflow state when handled here; null for an imported one. */
	state: ComplaintState | null;
}

/**
 * One page of complaints, newest received first, without who complained; phone and ID numbers
 * in a summary masked unless the reader sees that complaint's complainant whole.
 */
export async function list(
	db: Executor,
	reader: ComplaintReader,
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
				state: complaint.state,
				summary: complaint.summary,
				assigneeId: complaint.assigneeId,
				filedBy: complaint.filedBy
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
	return {
		rows: pageRows.map(({ assigneeId, filedBy, ...r }) =>
			identityFor(reader, { assigneeId, filedBy }) === 'whole'
				? r
				: { ...r, summary: maskPersonalData(r.summary) }
		),
		total: total?.n ?? 0
	};
}
export * from './workflow';
