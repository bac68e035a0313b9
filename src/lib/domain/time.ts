// Times as the city reads them: Asia/Shanghai, which has had no daylight saving since 1991, so
// a fixed +08:00 offset is exact and formatting needs no time-zone database.
export const TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai, the same on the server and in the browser. */
export function formatDateTime(d: Date): string {
	return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD` in Asia/Shanghai. */
export function formatDate(d: Date): string {
	return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local calendar day (`YYYY-MM-DD`) begins, or null when it is no real day. */
export function startOfDay(ymd: string): Date | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return null;
	const utc = new Date(`${ymd}T00:00:00Z`);
	// `2025-02-30` parses as 2 March: only a day that formats back to itself is real.
	if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== ymd) return null;
	return new Date(utc.getTime() - OFFSET_MS);
}

/** The last millisecond of a local calendar day, for inclusive "to" filters. */
export function endOfDay(ymd: string): Date | null {
	const start = startOfDay(ymd);
	return start && new Date(start.getTime() + DAY_MS - 1);
}

// A date as files write it: `YYYY-MM-DD`, also with one-digit parts and `/` as Excel re-saves a
// CSV on a Chinese Windows (`2026/3/2`).
const DATE_PART = String.raw`(\d{4})([-/])(\d{1,2})\2(\d{1,2})`;
const DATE = new RegExp(`^${DATE_PART}$`);
const DATE_TIME = new RegExp(`^${DATE_PART}(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$`);

/** `YYYY-MM-DD` of a matched date part, or null when it is no real day. */
function realDay(y: string, mo: string, d: string): string | null {
	const ymd = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
	return startOfDay(ymd) ? ymd : null;
}

/** A local calendar date as files write it (see DATE_PART), as `YYYY-MM-DD`; null when none. */
export function parseLocalDate(text: string): string | null {
	const match = DATE.exec(text.trim());
	return match ? realDay(match[1]!, match[3]!, match[4]!) : null;
}

/**
 * The instant of a local date-time as files and API clients write it, `YYYY-MM-DD HH:mm[:ss]`
 * (also `T` between, and the date as `parseLocalDate` reads it: `2026/3/2 7:15`), read as
 * Asia/Shanghai whatever the machine's zone; a bare date is its midnight (spec/exchange.md).
 * Null when it is no real moment.
 */
export function parseLocalDateTime(text: string): Date | null {
	const match = DATE_TIME.exec(text.trim());
	if (!match) return null;
	const [, y, , mo, d, h = '0', mi = '0', s = '0'] = match;
	const ymd = realDay(y!, mo!, d!);
	const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s)];
	if (!ymd || hours > 23 || minutes > 59 || seconds > 59) return null;
	return new Date(startOfDay(ymd)!.getTime() + ((hours * 60 + minutes) * 60 + seconds) * 1000);
}
