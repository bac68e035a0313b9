// Days and instants of the demo city's records: weekdays (the demo loads no holiday list, so
// the working-day calendar is Monday–Friday) and local (Asia/Shanghai) times of day.
import { formatDate, startOfDay } from '$lib/domain/time';

const DAY_MS = 86_400_000;

export function addDays(ymd: string, days: number): string {
	return formatDate(new Date(startOfDay(ymd)!.getTime() + days * DAY_MS + 12 * 3_600_000));
}

/** Monday to Friday from `from` to `to`, both included. */
export function weekdays(from: string, to: string): string[] {
	const out: string[] = [];
	for (let d = from; d <= to; d = addDays(d, 1)) {
		const day = new Date(`${d}T12:00:00Z`).getUTCDay();
		if (day !== 0 && day !== 6) out.push(d);
	}
	return out;
}

/** The instant `minutes` after local midnight of `ymd`. */
export function at(ymd: string, minutes: number): Date {
	return new Date(startOfDay(ymd)!.getTime() + minutes * 60_000);
}

/** Office hours, 08:30 to 17:30, in minutes after midnight. */
export const OPENS = 8 * 60 + 30;
export const CLOSES = 17 * 60 + 30;
