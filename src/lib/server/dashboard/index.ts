// The year-end dashboard (issue 10 §2; docs/dashboard.md) for leader, admin and supervisor: a
// year's rankings with outcomes and each department's weighted contributions, departments'
// trends over the published years, complaints year over year and against the same period,
// satisfaction and counted responses by department, the year's campaigns' response rates, and
// what awaits a decision (rectifications, escalated problems).
//
// What it reads, so that its cost does not grow with responses: stored snapshots (the results
// already aggregated, a few rows per year), the complaint counts (one statement over the
// complaints of the periods shown), the year's campaigns' samples (bounded by the sample size,
// not by the responses), and the first page of rectifications and escalated problems; all in
// one read-only transaction, so that the page's figures are of one moment.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
	change,
	firstHalfRange,
	previousRange,
	yearRange,
	type Change,
	type DateRange
} from '$lib/domain/complaint-statistics';
import { hasRole, ROLES } from '$lib/domain/roles';
import type { Category, Outcome } from '$lib/domain/scoring';
import { formatDate } from '$lib/domain/time';
import { currentYear } from '$lib/domain/years';
import { DomainError } from '$lib/errors';
import type { Principal } from '$lib/server/auth/guard';
import { rangeCounts } from '$lib/server/complaints/statistics';
import { rows, type Database, type Executor } from '$lib/server/db';
import { campaign } from '$lib/server/db/schema';
import * as rectification from '$lib/server/rectification';
import * as results from '$lib/server/results';
import { responseRates } from '$lib/server/surveys/response-rates';
import { problemList, type ProblemListRow } from '$lib/server/visits/problems';

/** How many years the trend and the complaints line go back, the chosen year included. */
export const TREND_YEARS = 5;
/** How many open rectifications and escalated problems the dashboard lists. */
export const AWAITING_SHOWN = 8;

export type DashboardReader = Pick<
	Principal,
	'kind' | 'role' | 'id' | 'departmentId' | 'departmentCode'
>;

export function mayReadDashboard(reader: Pick<Principal, 'role'> | null): boolean {
	return reader !== null && hasRole(reader.role, ROLES.dashboard);
}

/** A year that has results: whether any revision is published (else it has drafts only). */
export interface ResultYear {
	year: number;
	published: boolean;
}

/** One department's total and rank in one published year. */
export interface TrendPoint {
	year: number;
	total: number | null;
	rank: number | null;
	outcomes: Outcome[];
}

export interface TrendLine {
	code: string;
	nameZh: string;
	nameEn: string;
	category: Category;
	/** One point per year of `Trend.years`; null where the department was not in that year. */
	points: (TrendPoint | null)[];
}

export interface Trend {
	/** Published years, oldest first (at most TREND_YEARS, the chosen year the last). */
	years: number[];
	departments: TrendLine[];
}

export interface ComplaintsFigures {
	/** Complaints received per year, oldest first. */
	yearly: { year: number; count: number }[];
	/** The chosen year so far (or whole) against the same days a year earlier. */
	period: DateRange;
	previousPeriod: DateRange;
	total: Change;
	/** January–June against January–June a year earlier. */
	firstHalf: Change;
	/** Departments with the most complaints in the period. */
	departments: { code: string; nameZh: string; nameEn: string; change: Change }[];
}

export interface CampaignRate {
	code: string;
	nameZh: string;
	nameEn: string;
	kind: string;
	state: string;
	units: number;
	/** AAPOR RR1 as a fraction; null without an eligible unit. */
	rr1: number | null;
}

export interface Dashboard {
	years: ResultYear[];
	year: number;
	/** The chosen year's results: the current published revision, or the latest draft. */
	results: results.ResultsView | null;
	draft: boolean;
	trend: Trend;
	complaints: ComplaintsFigures;
	campaigns: CampaignRate[];
	rectifications: { rows: rectification.RectificationLine[]; open: number };
	escalated: { rows: ProblemListRow[]; total: number };
}

/** Years with a stored snapshot, newest first, and whether each has a published revision. */
export async function resultYears(db: Executor): Promise<ResultYear[]> {
	const found = await rows<{ year: number; published: boolean }>(
		db,
		sql`select year, bool_or(kind = 'published') as published from evaluation_snapshot
			group by year order by year desc`
	);
	return found.map((r) => ({ year: Number(r.year), published: Boolean(r.published) }));
}

/**
 * Which year the dashboard opens on: the one asked for, else the newest year with a published
 * revision, else the newest with a draft, else this year.
 */
export function chosenYear(years: readonly ResultYear[], asked: number | null, now: Date): number {
	if (asked !== null) return asked;
	return (years.find((y) => y.published) ?? years[0])?.year ?? currentYear(now);
}

/** The chosen year's range: the year so far when it is the current year, else the whole year. */
export function periodOf(year: number, now: Date): DateRange {
	const whole = yearRange(year);
	const today = formatDate(now);
	return today >= whole.from && today <= whole.to ? { from: whole.from, to: today } : whole;
}

/**
 * The trend up to `year`; `chosen` is the year's current published revision when the dashboard
 * shows it anyway (read once, not twice).
 */
async function trendOf(
	db: Executor,
	years: readonly ResultYear[],
	year: number,
	chosen: Promise<results.ResultsView | null> | null
): Promise<Trend> {
	const shownYears = years
		.filter((y) => y.published && y.year <= year)
		.map((y) => y.year)
		.slice(0, TREND_YEARS)
		.reverse();
	const [earlier, shown] = await Promise.all([
		results.publishedTrend(db, chosen ? shownYears.filter((y) => y !== year) : shownYears),
		chosen
	]);
	const perYear: (results.TrendEntry[] | null)[] = shownYears.map((y) =>
		chosen && y === year
			? (shown?.departments.map((d) => ({
					code: d.code,
					nameZh: d.nameZh,
					nameEn: d.nameEn,
					category: d.category,
					total: d.scores.total,
					rank: d.rank,
					outcomes: d.outcomes
				})) ?? null)
			: earlier.shift()!
	);
	const lines = new Map<string, TrendLine>();
	perYear.forEach((entries, i) => {
		for (const d of entries ?? []) {
			let line = lines.get(d.code);
			if (!line) {
				line = {
					code: d.code,
					nameZh: d.nameZh,
					nameEn: d.nameEn,
					category: d.category,
					points: shownYears.map(() => null)
				};
				lines.set(d.code, line);
			}
			// The newest name and category the department had.
			Object.assign(line, { nameZh: d.nameZh, nameEn: d.nameEn, category: d.category });
			line.points[i] = { year: shownYears[i]!, total: d.total, rank: d.rank, outcomes: d.outcomes };
		}
	});
	return {
		years: shownYears,
		departments: [...lines.values()].sort((a, b) =>
			a.category === b.category ? a.code.localeCompare(b.code) : a.category === 'municipal' ? -1 : 1
		)
	};
}

async function complaintsOf(db: Executor, year: number, now: Date): Promise<ComplaintsFigures> {
	const period = periodOf(year, now);
	const previousPeriod = previousRange(period);
	const years = Array.from({ length: TREND_YEARS }, (_, i) => year - TREND_YEARS + 1 + i);
	const half = firstHalfRange(year);
	// The period and the same days a year earlier first: departments come ordered by them.
	const { totals, departments } = await rangeCounts(db, [
		period,
		previousPeriod,
		half,
		previousRange(half),
		...years.map(yearRange)
	]);
	const [current, previous, halfCount, halfBefore, ...yearly] = totals as [
		number,
		number,
		number,
		number,
		...number[]
	];
	return {
		yearly: years.map((y, i) => ({ year: y, count: yearly[i]! })),
		period,
		previousPeriod,
		total: change(current, previous),
		firstHalf: change(halfCount, halfBefore),
		departments: departments
			.filter((d) => d.counts[0]! > 0 || d.counts[1]! > 0)
			.slice(0, 10)
			.map((d) => ({
				code: d.code,
				nameZh: d.nameZh,
				nameEn: d.nameEn,
				change: change(d.counts[0]!, d.counts[1]!)
			}))
	};
}

async function campaignsOf(db: Executor, year: number): Promise<CampaignRate[]> {
	// Drafts are plans: no sample is worked yet.
	const found = await db
		.select({
			id: campaign.id,
			code: campaign.code,
			nameZh: campaign.nameZh,
			nameEn: campaign.nameEn,
			kind: campaign.kind,
			state: campaign.state
		})
		.from(campaign)
		.where(and(eq(campaign.year, year), inArray(campaign.state, ['active', 'closed'])))
		.orderBy(asc(campaign.code));
	const rates = await responseRates(
		db,
		found.map((c) => c.id)
	);
	return found.map(({ id, ...c }) => ({
		...c,
		units: rates.get(id)?.units ?? 0,
		rr1: rates.get(id)?.rr1 ?? null
	}));
}

/**
 * The dashboard of `year` (null: as `chosenYear` says) for a leader, admin or supervisor; `draft`
 * asks for the year's latest draft instead of its published revision (a year with drafts only
 * shows its draft). Refused to anyone else.
 */
export async function dashboard(
	db: Database,
	reader: DashboardReader,
	asked: { year: number | null; draft: boolean },
	now: Date = new Date()
): Promise<Dashboard> {
	if (!mayReadDashboard(reader)) throw new DomainError('results_forbidden');
	// Every figure as of one moment, read on one connection.
	return db.transaction(
		async (tx) => {
			const years = await resultYears(tx);
			const year = chosenYear(years, asked.year, now);
			const published = years.find((y) => y.year === year)?.published ?? false;
			const draft = asked.draft || !published;
			const viewed = results.view(
				tx,
				reader,
				year,
				draft ? { kind: 'draft' } : { kind: 'published' }
			);
			const [shown, trend, complaints, campaigns, rectifications, escalated] = await Promise.all([
				viewed,
				trendOf(tx, years, year, draft ? null : viewed),
				complaintsOf(tx, year, now),
				campaignsOf(tx, year),
				rectification.list(tx, { page: 1, pageSize: AWAITING_SHOWN, open: true, now }),
				problemList(tx, reader, { state: 'escalated', page: 1, pageSize: AWAITING_SHOWN }, now)
			]);
			return {
				years,
				year,
				results: shown,
				draft,
				trend,
				complaints,
				campaigns,
				rectifications: { rows: rectifications.rows, open: rectifications.total },
				escalated
			};
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}
