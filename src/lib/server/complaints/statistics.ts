// The complaint statistics (issue 9 §4, docs/complaint-statistics.md): complaints received in a
// range of local days against the same period a year earlier, in total and by department,
// category, channel, verdict and sanction, counted by one SQL statement. The statistics page and
// `GET /api/v1/complaints/stats` (through `stats` in ./index.ts) both read here, and so does the
// rule of who may: admin, supervisor and leader (roles.md: "leader: view, statistics"); a
// liaison's right is to view and answer its own department's complaints, not the statistics.
import { sql, type SQL } from 'drizzle-orm';
import {
	change,
	checkRange,
	previousRange,
	type Change,
	type DateRange,
	type RangeRefusal
} from '$lib/domain/complaint-statistics';
import { hasRole, ROLES, type AccountRole } from '$lib/domain/roles';
import { startOfDay } from '$lib/domain/time';
import type { Sanction } from '$lib/domain/complaints';
import type { Verdict } from '$lib/schemas/complaints';
import { DomainError } from '$lib/errors';
import { rows, type Executor } from '$lib/server/db';

/** Who reads: a signed-in user or API client by its role, or the public (null). */
export type StatisticsReader = { role: AccountRole } | null;

export function mayReadStatistics(reader: StatisticsReader): boolean {
	return reader !== null && hasRole(reader.role, ROLES.complaintStats);
}

export type Counted<K extends string = string> = Change & { key: K };
export type DepartmentCount = Counted & { nameZh: string; nameEn: string };

export interface ComplaintStatistics {
	range: DateRange;
	/** The same period a year earlier (29 February becomes 28 February). */
	previousRange: DateRange;
	total: Change;
	/** Departments with a complaint in either period, most complaints first. */
	departments: DepartmentCount[];
	/** As the records write them (free text for imported complaints), most first. */
	categories: Counted[];
	channels: Counted[];
	/** Every verdict, and `open` for a complaint without one yet. */
	verdicts: Counted<Verdict | 'open'>[];
	/** Every kind: the sanctions decided on the complaints received in each period. */
	sanctions: Counted<Sanction>[];
}

type Dimension = 'total' | 'department' | 'category' | 'channel' | 'verdict' | 'sanction';

interface Row {
	dimension: Dimension;
	key: string;
	name_zh: string | null;
	name_en: string | null;
	current: number;
	previous: number;
}

// Instants as ISO text: postgres.js binds no Date in a raw query (PGlite would).
const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const DAY_MS = 86_400_000;

/** `received_at` within the local days of `r`, both included. */
function within(r: DateRange): SQL {
	const from = startOfDay(r.from)!;
	const next = new Date(startOfDay(r.to)!.getTime() + DAY_MS);
	return sql`(c.received_at >= ${at(from)} and c.received_at < ${at(next)})`;
}

/**
 * The figures of every dimension in one statement. A complaint is counted in each period whose
 * days include its `received_at` (both, when a range longer than a year overlaps its year-earlier
 * twin); `count(…) filter` gives both columns from one pass over the two ranges' complaints.
 */
function figuresQuery(range: DateRange, previous: DateRange): SQL {
	const counts = (alias: SQL) =>
		sql`count(${alias}) filter (where c.cur)::int as current,
			count(${alias}) filter (where c.prev)::int as previous`;
	return sql`with c as (
			select c.id, c.department_id, c.channel, c.category, c.verdict,
				${within(range)} as cur, ${within(previous)} as prev
			from complaint c
			where ${within(range)} or ${within(previous)}
		)
		select * from (
		select 'total' as dimension, '' as key, null as name_zh, null as name_en, 0 as ord,
			${counts(sql`c.id`)}
		from c
		union all
		select 'department', d.code, d.name_zh, d.name_en, 0, ${counts(sql`c.id`)}
		from c join department d on d.id = c.department_id
		group by d.code, d.name_zh, d.name_en
		union all
		select 'category', c.category, null, null, 0, ${counts(sql`c.id`)}
		from c group by c.category
		union all
		select 'channel', c.channel, null, null, 0, ${counts(sql`c.id`)}
		from c group by c.channel
		union all
		select 'verdict', v.key, null, null, v.ord, ${counts(sql`c.id`)}
		from unnest(enum_range(null::complaint_verdict)::text[] || array['open'])
			with ordinality as v(key, ord)
		left join c on coalesce(c.verdict::text, 'open') = v.key
		group by v.key, v.ord
		union all
		select 'sanction', k.key, null, null, k.ord, ${counts(sql`s.id`)}
		from unnest(enum_range(null::complaint_sanction_kind)::text[]) with ordinality as k(key, ord)
		left join (complaint_sanction s join c on c.id = s.complaint_id) on s.kind::text = k.key
		group by k.key, k.ord
		) f
		order by dimension, ord, current desc, previous desc, key collate "C"`;
}

/**
 * The figures of `range` and of the same period a year earlier, whoever asks: for `stats` (the
 * API's year-on-year count, whose reader its caller has checked) and `statistics`.
 */
export async function figures(db: Executor, range: DateRange): Promise<ComplaintStatistics> {
	const before = previousRange(range);
	const found = await rows<Row>(db, figuresQuery(range, before));
	const of = (dimension: Dimension) =>
		found
			.filter((r) => r.dimension === dimension)
			.map((r) => ({ key: r.key, ...change(Number(r.current), Number(r.previous)) }));
	const total = found.find((r) => r.dimension === 'total');
	return {
		range,
		previousRange: before,
		total: change(Number(total?.current ?? 0), Number(total?.previous ?? 0)),
		departments: found
			.filter((r) => r.dimension === 'department')
			.map((r) => ({
				key: r.key,
				nameZh: r.name_zh ?? '',
				nameEn: r.name_en ?? '',
				...change(Number(r.current), Number(r.previous))
			})),
		categories: of('category'),
		channels: of('channel'),
		verdicts: of('verdict') as Counted<Verdict | 'open'>[],
		sanctions: of('sanction') as Counted<Sanction>[]
	};
}

/** Complaints received in each of several ranges: in total, and by department. */
export interface RangeCounts {
	/** One count per range, in the order given. */
	totals: number[];
	/**
	 * Departments with a complaint in any of the ranges, one count per range; by the first
	 * range's count, then the second's, most first, then by code.
	 */
	departments: { code: string; nameZh: string; nameEn: string; counts: number[] }[];
}

/**
 * Complaints received in each of `ranges` (local days, both included), in total and by
 * department, in one statement over the complaints of their span: the dashboard's
 * year-over-year line, its period against the same days a year earlier and its January–June
 * figures, without the other dimensions of `figures`. Whoever asks; its caller has checked the
 * reader.
 */
export async function rangeCounts(
	db: Executor,
	ranges: readonly DateRange[]
): Promise<RangeCounts> {
	if (ranges.length === 0) return { totals: [], departments: [] };
	const span: DateRange = {
		from: ranges.map((r) => r.from).sort()[0]!,
		to: ranges
			.map((r) => r.to)
			.sort()
			.at(-1)!
	};
	const column = (i: number) => sql.identifier(`r${i}`);
	const found = await rows<
		Record<string, number> & {
			code: string | null;
			name_zh: string | null;
			name_en: string | null;
		}
	>(
		db,
		sql`select d.code, d.name_zh, d.name_en, ${sql.join(
			ranges.map((r, i) => sql`count(*) filter (where ${within(r)})::int as ${column(i)}`),
			sql`, `
		)}
		from complaint c join department d on d.id = c.department_id
		where ${within(span)}
		group by grouping sets ((d.code, d.name_zh, d.name_en), ())
		order by grouping(d.code) desc, ${sql.join(
			ranges.slice(0, 2).map((_, i) => sql`${column(i)} desc`),
			sql`, `
		)}, d.code collate "C"`
	);
	const counts = (r: Record<string, number>) => ranges.map((_, i) => Number(r[`r${i}`] ?? 0));
	const [total, ...departments] = found;
	return {
		totals: total ? counts(total) : ranges.map(() => 0),
		departments: departments.map((d) => ({
			code: d.code!,
			nameZh: d.name_zh ?? '',
			nameEn: d.name_en ?? '',
			counts: counts(d)
		}))
	};
}

/**
 * The statistics of `range` for `reader`: refused (403) to anyone but admin, supervisor and
 * leader, a range that is no range comes back as its refusal.
 */
export async function statistics(
	db: Executor,
	reader: StatisticsReader,
	range: DateRange
): Promise<ComplaintStatistics | RangeRefusal> {
	if (!mayReadStatistics(reader)) throw new DomainError('complaint_stats_forbidden');
	return checkRange(range) ?? figures(db, range);
}
