// The working-day calendar and the service-case rules of spec/scoring.md §2.2. Dates are local
// calendar dates 'YYYY-MM-DD' in Asia/Shanghai; arithmetic runs on integer day numbers, so
// neither the machine's time zone nor daylight saving can move a day.
import { formatDate } from './time';

const DAY_MS = 86_400_000;

export interface WorkingDayCalendar {
	/** Days off that would otherwise be worked (public holidays falling Monday–Friday). */
	readonly holidays: ReadonlySet<string>;
	/** Adjusted workdays (调休上班): weekend days worked in exchange for a holiday. */
	readonly workdays: ReadonlySet<string>;
}

/** A calendar from the year's lists; a date cannot be both a holiday and a workday. */
export function makeCalendar(lists: {
	holidays?: Iterable<string>;
	workdays?: Iterable<string>;
}): WorkingDayCalendar {
	const holidays = new Set(lists.holidays ?? []);
	const workdays = new Set(lists.workdays ?? []);
	for (const date of [...holidays, ...workdays]) dayNumber(date);
	for (const date of holidays) {
		if (workdays.has(date)) throw new RangeError(`${date} is both a holiday and a workday`);
	}
	return { holidays, workdays };
}

/** A listed day of the calendar, as the calendar table and its page hold it. */
export interface CalendarEntry {
	date: string;
	kind: 'holiday' | 'workday';
}

/** The calendar of a list of listed days. */
export function calendarOf(entries: readonly CalendarEntry[]): WorkingDayCalendar {
	return makeCalendar({
		holidays: entries.filter((e) => e.kind === 'holiday').map((e) => e.date),
		workdays: entries.filter((e) => e.kind === 'workday').map((e) => e.date)
	});
}

/** The Asia/Shanghai calendar date of an instant, whatever the machine's time zone. */
export function localDate(instant: Date): string {
	return formatDate(instant);
}

/** Days since 1970-01-01 of a real calendar date; throws on anything else. */
export function dayNumber(date: string): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (match) {
		const n = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
		// `2025-02-30` would silently become 2 March: only a date that maps back to itself is real.
		if (fromDayNumber(n) === date) return n;
	}
	throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
}

export function fromDayNumber(n: number): string {
	return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
	return fromDayNumber(dayNumber(date) + days);
}

/** Monday–Friday, whatever is listed. */
export function isWeekday(date: string): boolean {
	const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
	return weekday !== 0 && weekday !== 6;
}

/** Monday–Friday, minus the holidays, plus the adjusted workdays. */
export function isWorkingDay(date: string, cal: WorkingDayCalendar): boolean {
	if (cal.workdays.has(date)) return true;
	if (cal.holidays.has(date)) return false;
	return isWeekday(date);
}

/**
 * Whether listing the day changes anything: a holiday on a weekend or an adjusted workday on a
 * weekday is a day that is off, or worked, anyway.
 */
export function listingHasEffect(entry: CalendarEntry): boolean {
	return entry.kind === 'holiday' ? isWeekday(entry.date) : !isWeekday(entry.date);
}

/** The number of working days d with start < d ≤ end (0 when end is not after start). */
export function workingDaysBetween(start: string, end: string, cal: WorkingDayCalendar): number {
	const last = dayNumber(end);
	let count = 0;
	for (let n = dayNumber(start) + 1; n <= last; n++) {
		if (isWorkingDay(fromDayNumber(n), cal)) count++;
	}
	return count;
}

/**
 * The `days`-th working day after `start` (`start` itself for 0): the day a limit of `days`
 * working days from `start` is due by. A step done by then is on time, and so is one done on
 * the days off that follow it (`isLate` counts working days).
 */
export function addWorkingDays(start: string, days: number, cal: WorkingDayCalendar): string {
	let due = start;
	for (let left = days; left > 0;) {
		due = addDays(due, 1);
		if (isWorkingDay(due, cal)) left--;
	}
	return due;
}

/** The working days of a calendar year. */
export function workingDaysOfYear(year: number, cal: WorkingDayCalendar): number {
	return workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`, cal);
}

/** Whether more than `limit` working days passed from `start` to `end` (a case, a response). */
export function isLate(
	start: string,
	end: string,
	limit: number,
	cal: WorkingDayCalendar
): boolean {
	return workingDaysBetween(start, end, cal) > limit;
}

/** The case cut-off of year `year`: 31 December, or the day of computation if earlier. */
export function caseCutoff(year: number, now: Date): string {
	const yearEnd = `${year}-12-31`;
	const today = localDate(now);
	return today < yearEnd ? today : yearEnd;
}

/**
 * The status of a case: completed on time or late, or open and overdue or not yet due, measured
 * to a cut-off (the year computation's, or today in the cases list).
 */
export const CASE_STATUSES = ['on_time', 'late', 'open_overdue', 'open_not_due'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseTimes {
	/** An instant, or its local date. */
	accepted: Date | string;
	/** Null while open; a completion after the year still counts (it is read at computation). */
	completed: Date | string | null;
	/** Promised limit in working days; 0 is an instant item (即办件), due the same day. */
	promised: number;
}

/**
 * A case of the year as the case indicator sees it. `open_not_due` cases are left out of the
 * indicator; the other three are counted.
 */
export function caseStatus(c: CaseTimes, cutoff: string, cal: WorkingDayCalendar): CaseStatus {
	const accepted = asDate(c.accepted);
	if (c.completed !== null) {
		return isLate(accepted, asDate(c.completed), c.promised, cal) ? 'late' : 'on_time';
	}
	return isLate(accepted, cutoff, c.promised, cal) ? 'open_overdue' : 'open_not_due';
}

function asDate(value: Date | string): string {
	if (typeof value !== 'string') return localDate(value);
	dayNumber(value); // throws on a malformed date
	return value;
}
