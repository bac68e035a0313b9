// The rules of the complaint statistics (docs/complaint-statistics.md): which days a range
// covers, which days "the same period a year earlier" covers, and how a change is given. Pure:
// $lib/server/complaints/statistics.ts counts in SQL over the ranges decided here.
import { roundHalfAwayFromZero } from './scoring';
import { startOfDay } from './time';
import { MAX_YEAR, MIN_YEAR } from './years';

/** Local calendar days (Asia/Shanghai), `YYYY-MM-DD`, both included. */
export interface DateRange {
	from: string;
	to: string;
}

export type RangeRefusal = 'no_such_day' | 'range_reversed' | 'range_out_of_years';

export const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * The same day a year earlier. 29 February, which the year before does not have, becomes
 * 28 February: a range ending on it then ends on the last February day of the earlier year,
 * one starting on it starts on 28 February (the same rule as `stats`' `through=02-29`).
 */
export function yearEarlier(ymd: string): string {
	const y = Number(ymd.slice(0, 4)) - 1;
	const md = ymd.slice(5);
	return `${String(y).padStart(4, '0')}-${md === '02-29' ? '02-28' : md}`;
}

/** The range a year earlier than `range`, day for day (see `yearEarlier`). */
export function previousRange(range: DateRange): DateRange {
	return { from: yearEarlier(range.from), to: yearEarlier(range.to) };
}

/** A whole year: 1 January to 31 December. */
export function yearRange(year: number): DateRange {
	return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** January–June of a year. */
export function firstHalfRange(year: number): DateRange {
	return { from: `${year}-01-01`, to: `${year}-06-30` };
}

/**
 * Checks a range: real days, `from` not after `to`, and a year earlier still within the years
 * the programme knows (so the earliest range starts in MIN_YEAR + 1).
 */
export function checkRange(range: DateRange): RangeRefusal | null {
	if (!startOfDay(range.from) || !startOfDay(range.to)) return 'no_such_day';
	if (range.from > range.to) return 'range_reversed';
	const first = Number(range.from.slice(0, 4));
	const last = Number(range.to.slice(0, 4));
	if (first <= MIN_YEAR || last > MAX_YEAR) return 'range_out_of_years';
	return null;
}

/** A figure against the same period a year earlier. */
export interface Change {
	current: number;
	previous: number;
	/** current − previous. */
	change: number;
	/** Percent of `previous`, 2 decimals rounded half away from zero; null when it is 0. */
	changePct: number | null;
}

export function change(current: number, previous: number): Change {
	return {
		current,
		previous,
		change: current - previous,
		changePct:
			previous === 0 ? null : roundHalfAwayFromZero(((current - previous) * 100) / previous, 2)
	};
}
