// Calendar years as the programme counts them: in Asia/Shanghai, within the range the database
// accepts for category and exemption years.

export const MIN_YEAR = 1990;
export const MAX_YEAR = 2200;

const yearFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' });

/** The current year in Asia/Shanghai (a server in another zone must not flip it on 31 December). */
export function currentYear(now: Date = new Date()): number {
	return Number(yearFormat.format(now));
}

export function isValidYear(year: number): boolean {
	return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;
}

/**
 * The years of a filter menu, newest first: `count` years down from `newest`, and a year asked
 * for outside them (an old link) so that the menu can show it selected.
 */
export function yearMenu(newest: number, count: number, asked?: number | null): number[] {
	const years = Array.from({ length: count }, (_, i) => newest - i);
	if (asked && !years.includes(asked)) years.push(asked);
	return years.sort((a, b) => b - a);
}
