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
