// The working-day calendar and the case rules of spec/scoring.md §2.2: holidays, adjusted
// workdays, instant items, open cases at the cut-off, cases that cross the year end.
import { afterEach, describe, expect, it } from 'vitest';
import {
	addDays,
	calendarOf,
	caseCutoff,
	caseStatus,
	isLate,
	isWeekday,
	isWorkingDay,
	listingHasEffect,
	localDate,
	makeCalendar,
	workingDaysBetween,
	workingDaysOfYear,
	type CalendarEntry,
	type CaseStatus,
	type CaseTimes
} from '$lib/domain/working-days';

// The State Council's 2025 schedule and the New Year of 2026 (holidays on weekdays and the
// weekend days worked in exchange).
const cal = makeCalendar({
	holidays: [
		'2025-01-01',
		...['01-28', '01-29', '01-30', '01-31', '02-03', '02-04'].map((d) => `2025-${d}`),
		'2025-04-04',
		'2025-05-01',
		'2025-05-02',
		'2025-05-05',
		'2025-06-02',
		...['10-01', '10-02', '10-03', '10-06', '10-07', '10-08'].map((d) => `2025-${d}`),
		'2026-01-01',
		'2026-01-02'
	],
	workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11', '2026-01-04']
});
const plain = makeCalendar({});

describe('localDate', () => {
	const originalTz = process.env.TZ;
	afterEach(() => {
		process.env.TZ = originalTz;
	});

	it.each([
		// 07:15 on 2 March in Shanghai is still 1 March in UTC.
		['2026-03-01T23:15:00Z', '2026-03-02'],
		['2026-03-02T15:59:59.999Z', '2026-03-02'],
		['2026-03-02T16:00:00Z', '2026-03-03'],
		['2025-12-31T15:59:59.999Z', '2025-12-31'],
		['2025-12-31T16:00:00Z', '2026-01-01']
	])('%s is %s in Asia/Shanghai', (iso, expected) => {
		expect(localDate(new Date(iso))).toBe(expected);
	});

	it.each(['UTC', 'America/New_York', 'Pacific/Kiritimati'])(
		'does not depend on the machine time zone (%s)',
		(tz) => {
			process.env.TZ = tz;
			expect(localDate(new Date('2026-03-01T23:15:00Z'))).toBe('2026-03-02');
			expect(localDate(new Date('2026-03-02T16:30:00Z'))).toBe('2026-03-03');
		}
	);
});

describe('calendar', () => {
	it.each([
		['2025-03-03', true, 'Monday'],
		['2025-03-07', true, 'Friday'],
		['2025-03-08', false, 'Saturday'],
		['2025-03-09', false, 'Sunday'],
		['2025-10-01', false, 'National Day (Wednesday)'],
		['2025-01-28', false, 'Spring Festival (Tuesday)'],
		['2025-09-28', true, 'adjusted workday (Sunday)'],
		['2025-02-08', true, 'adjusted workday (Saturday)'],
		['2026-01-01', false, 'New Year 2026 (Thursday)'],
		['2026-01-04', true, 'adjusted workday 2026 (Sunday)']
	])('%s is a working day: %s (%s)', (date, expected) => {
		expect(isWorkingDay(date, cal)).toBe(expected);
	});

	it('is plain Monday–Friday without lists', () => {
		expect(isWorkingDay('2025-10-01', plain)).toBe(true);
		expect(isWorkingDay('2025-09-28', plain)).toBe(false);
	});

	it.each(['2025-02-29', '2025-13-01', '2025-1-1', '', '2025-03-03T00:00'])(
		'refuses %j as a date',
		(bad) => {
			expect(() => isWorkingDay(bad, cal)).toThrow(RangeError);
			expect(() => makeCalendar({ holidays: [bad] })).toThrow(RangeError);
		}
	);

	it('refuses a date that is both a holiday and a workday', () => {
		expect(() => makeCalendar({ holidays: ['2025-10-11'], workdays: ['2025-10-11'] })).toThrow(
			/both/
		);
	});

	it.each<[CalendarEntry, boolean, boolean]>([
		[{ date: '2025-10-01', kind: 'holiday' }, true, true],
		[{ date: '2025-10-04', kind: 'holiday' }, false, false],
		[{ date: '2025-09-28', kind: 'workday' }, false, true],
		[{ date: '2025-09-30', kind: 'workday' }, true, false]
	])('%j: a weekday %s, listing it changes something %s', (entry, weekday, effect) => {
		expect(isWeekday(entry.date)).toBe(weekday);
		expect(listingHasEffect(entry)).toBe(effect);
	});

	it('makes a calendar of listed days', () => {
		const entries: CalendarEntry[] = [
			{ date: '2025-10-01', kind: 'holiday' },
			{ date: '2025-09-28', kind: 'workday' }
		];
		expect(calendarOf(entries)).toEqual(
			makeCalendar({ holidays: ['2025-10-01'], workdays: ['2025-09-28'] })
		);
		expect(() => calendarOf([...entries, { date: '2025-10-01', kind: 'workday' }])).toThrow(/both/);
	});

	it.each([
		// 365 days − 104 weekend days − 18 holidays on weekdays + 5 adjusted workdays.
		[2025, 'the 2025 schedule', 248, cal],
		[2025, 'nothing listed', 261, plain],
		[2024, 'nothing listed (a leap year)', 262, plain]
	])('%i with %s has %i working days', (year, _label, expected, calendar) => {
		expect(workingDaysOfYear(year, calendar)).toBe(expected);
	});

	it.each([
		['2025-03-31', 1, '2025-04-01'],
		['2024-02-28', 1, '2024-02-29'],
		['2025-12-31', 1, '2026-01-01'],
		['2026-03-31', 90, '2026-06-29'],
		['2025-03-01', -1, '2025-02-28']
	])('%s + %i days = %s', (date, days, expected) => {
		expect(addDays(date, days)).toBe(expected);
	});
});

describe('workingDaysBetween: working days d with start < d ≤ end', () => {
	it.each([
		['2025-03-03', '2025-03-03', 0, 'same day'],
		['2025-03-03', '2025-03-04', 1, 'next day, the start not counted'],
		['2025-03-03', '2025-03-07', 4, 'Monday to Friday'],
		['2025-03-07', '2025-03-10', 1, 'over a weekend'],
		['2025-03-07', '2025-03-09', 0, 'Friday to Sunday'],
		['2025-03-10', '2025-03-07', 0, 'end before start'],
		['2025-10-01', '2025-10-09', 1, 'accepted on a holiday'],
		['2025-09-30', '2025-10-08', 0, 'the whole National Day break'],
		['2025-10-01', '2025-10-11', 3, 'ends on an adjusted workday (Saturday)'],
		['2025-09-26', '2025-09-28', 1, 'Friday to an adjusted-workday Sunday'],
		['2025-01-27', '2025-02-07', 3, 'across the Spring Festival'],
		['2025-01-24', '2025-01-27', 2, 'adjusted workday Sunday 26 January'],
		['2025-12-29', '2026-01-05', 4, 'across the year end and the 2026 New Year'],
		['2024-02-28', '2024-03-01', 2, '29 February']
	])('%s → %s: %i (%s)', (start, end, expected) => {
		expect(workingDaysBetween(start, end, cal)).toBe(expected);
	});

	it('counts the 2025 working year: 365 days − 104 weekend days − 18 holidays + 5 workdays', () => {
		expect(workingDaysBetween('2024-12-31', '2025-12-31', cal)).toBe(248);
	});

	it('judges lateness against the limit (a complaint response within 5 working days)', () => {
		// Received Friday 26 September: the 5 working days are 28 (Sunday, adjusted), 29 and
		// 30 September, then 9 and 10 October after the holiday; 11 October is the 6th.
		expect(isLate('2025-09-26', '2025-10-10', 5, cal)).toBe(false);
		expect(isLate('2025-09-26', '2025-10-11', 5, cal)).toBe(true);
	});
});

describe('caseStatus', () => {
	const yearEnd = '2025-12-31';
	const c = (
		accepted: CaseTimes['accepted'],
		completed: CaseTimes['completed'],
		promised: number
	) => ({
		accepted,
		completed,
		promised
	});

	it.each<[string, CaseTimes, string, CaseStatus]>([
		// Instant items (即办件) are due the same day.
		['instant item, same day', c('2025-03-03', '2025-03-03', 0), yearEnd, 'on_time'],
		['instant item, next working day', c('2025-03-03', '2025-03-04', 0), yearEnd, 'late'],
		['instant item, Friday to Sunday', c('2025-03-07', '2025-03-09', 0), yearEnd, 'on_time'],
		['instant item, Friday to Monday', c('2025-03-07', '2025-03-10', 0), yearEnd, 'late'],
		['3 days promised, 3 taken', c('2025-03-03', '2025-03-06', 3), yearEnd, 'on_time'],
		['3 days promised, 4 taken', c('2025-03-03', '2025-03-07', 3), yearEnd, 'late'],
		// Accepted on a holiday: the clock starts with the first working day after it.
		['accepted on a holiday, 1 day', c('2025-10-01', '2025-10-09', 1), yearEnd, 'on_time'],
		['accepted on a holiday, 2 days', c('2025-10-01', '2025-10-10', 1), yearEnd, 'late'],
		// Completed on an adjusted workday: that day is a working day.
		['completed on an adjusted workday', c('2025-09-26', '2025-09-28', 1), yearEnd, 'on_time'],
		['instant, completed next workday', c('2025-09-26', '2025-09-28', 0), yearEnd, 'late'],
		// Open cases at the cut-off: overdue only once elapsed exceeds the promise.
		['open, 7 days elapsed of 5', c('2025-12-22', null, 5), yearEnd, 'open_overdue'],
		['open, 5 days elapsed of 5', c('2025-12-24', null, 5), yearEnd, 'open_not_due'],
		['open, 3 days elapsed of 5', c('2025-12-26', null, 5), yearEnd, 'open_not_due'],
		['open instant item on cut-off day', c(yearEnd, null, 0), yearEnd, 'open_not_due'],
		['open instant item from the day before', c('2025-12-30', null, 0), yearEnd, 'open_overdue'],
		[
			'open, earlier cut-off (computed in June)',
			c('2025-06-03', null, 5),
			'2025-06-06',
			'open_not_due'
		],
		['open, earlier cut-off, past due', c('2025-06-03', null, 2), '2025-06-06', 'open_overdue'],
		// Accepted in late December, completed in January: judged by its elapsed working days.
		['completed next January, 4 of 5 days', c('2025-12-29', '2026-01-05', 5), yearEnd, 'on_time'],
		['completed next January, 4 of 3 days', c('2025-12-29', '2026-01-05', 3), yearEnd, 'late'],
		['the same case still open at the cut-off', c('2025-12-29', null, 3), yearEnd, 'open_not_due']
	])('%s', (_label, times, cutoff, expected) => {
		expect(caseStatus(times, cutoff, cal)).toBe(expected);
	});

	it('reads instants as Shanghai dates: accepted 07:15 and completed 17:00 on 2 March', () => {
		// In UTC the acceptance falls on Sunday 1 March, which would make the item a day late.
		const times = c(new Date('2026-03-01T23:15:00Z'), new Date('2026-03-02T09:00:00Z'), 0);
		expect(caseStatus(times, '2026-12-31', plain)).toBe('on_time');
		const nextDay = c(new Date('2026-03-01T23:15:00Z'), new Date('2026-03-02T16:30:00Z'), 0);
		expect(caseStatus(nextDay, '2026-12-31', plain)).toBe('late');
	});

	it('refuses a malformed date', () => {
		expect(() => caseStatus(c('2025-02-30', null, 1), yearEnd, cal)).toThrow(RangeError);
	});
});

describe('caseCutoff: 31 December, or the day of computation if earlier', () => {
	it.each([
		[2025, '2026-01-10T02:00:00Z', '2025-12-31'],
		[2025, '2025-12-31T15:59:00Z', '2025-12-31'],
		[2025, '2025-12-30T16:30:00Z', '2025-12-31'],
		[2025, '2025-06-30T17:00:00Z', '2025-07-01'],
		[2025, '2025-06-30T15:00:00Z', '2025-06-30']
	])('year %i computed at %s: %s', (year, now, expected) => {
		expect(caseCutoff(year, new Date(now))).toBe(expected);
	});
});
