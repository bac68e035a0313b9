// Efficiency complaints (效能投诉) as the complaint hotline's system records them: imported in
// bulk from a file, the CLI or `POST /api/v1/complaints`, upserted by complaint_no; the year-on-
// year statistics of `GET /api/v1/complaints/stats`; and a read-only list. The intake and
// handling workflow of a later issue extends the same table.
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
	type SQL
} from 'drizzle-orm';
import { roundHalfAwayFromZero } from '$lib/domain/scoring';
import { startOfDay } from '$lib/domain/time';
import {
	complaintRowSchema,
	COMPLAINT_COLUMNS,
	type ComplaintRow,
	type Verdict
} from '$lib/schemas/complaints';
import type { Locale } from '$lib/schemas/record-rows';
import * as audit from '$lib/server/audit';
import { rows as rawRows, type Database, type Executor } from '$lib/server/db';
import { complaint, department } from '$lib/server/db/schema';
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

export { COMPLAINT_COLUMNS, MAX_API_ROWS };
export type { RowError };

export type ImportResult =
	| { ok: true; rows: number; created: number; updated: number; unchanged: number; sha256: string }
	| { ok: false; rows: number; errors: RowError[]; sha256: string };

type Origin =
	| { source: 'file'; sha256: string; encoding: string }
	| { source: 'api'; requestId: string; sha256: string };

const COMPARED = [
	'departmentId',
	'receivedAt',
	'channel',
	'category',
	'verdict',
	'concludedAt',
	'responseLate',
	'summary'
] as const;

function check(source: readonly SourceRow[], locale: Locale, position: 'line' | 'row') {
	return checkRows(complaintRowSchema, source, {
		columns: COMPLAINT_COLUMNS,
		keyColumn: 'complaint_no',
		key: (r: ComplaintRow) => r.complaintNo,
		locale,
		position
	});
}

function summary(facts: Record<string, unknown>) {
	return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k, { before: null, after: v }]));
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
		if (errors.length)
			return { ok: false, rows: total, errors: sortErrors(errors, COMPLAINT_COLUMNS) };
		const { created, updated } = await upsertByKey(tx, complaint, {
			key: complaint.complaintNo,
			compare: COMPARED,
			values: rows.map((r) => ({
				complaintNo: r.complaintNo,
				departmentId: ids.get(r.departmentCode)!,
				receivedAt: r.receivedAt,
				channel: r.channel,
				category: r.category,
				verdict: r.verdict,
				concludedAt: r.concludedAt,
				responseLate: r.responseLate,
				summary: r.summary
			}))
		});
		const unchanged = rows.length - created - updated;
		if (created + updated > 0) {
			await audit.record(tx, actor, {
				action: 'complaints.import',
				entity: 'complaint',
				entityId: null,
				changes: summary({ ...origin, rows: rows.length, created, updated, unchanged })
			});
		}
		return { ok: true, rows: rows.length, created, updated, unchanged };
	});
}

/** Imports a complaints file (UTF-8 or GBK), all or nothing; messages in `opts.locale`. */
export async function importFile(
	db: Database,
	bytes: Uint8Array,
	opts: { locale: Locale },
	actor: audit.Actor
): Promise<ImportResult> {
	const sha256 = sha256Hex(bytes);
	const file = readCsv(bytes, { required: COMPLAINT_COLUMNS, locale: opts.locale });
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

/** Upserts the rows of an API request; `line` of an error is the row's index in the array. */
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

function escapeLike(q: string): string {
	return q.replace(/[\\%_]/g, (c) => `\\${c}`);
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
	if (filter.q) {
		const pattern = `%${escapeLike(filter.q)}%`;
		where.push(
			or(
				ilike(complaint.complaintNo, pattern),
				ilike(complaint.channel, pattern),
				ilike(complaint.category, pattern)
			)
		);
	}
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
