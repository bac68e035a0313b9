// Calendar years: the current year in Asia/Shanghai, and the year menus of the list filters.
import { describe, expect, it } from 'vitest';
import { currentYear, yearMenu } from '$lib/domain/years';

describe('years', () => {
	it.each([
		['2024-12-31T15:59:59.999Z', 2024],
		// Midnight of 1 January in Shanghai is still 31 December in UTC.
		['2024-12-31T16:00:00.000Z', 2025]
	])('the year at %s is %i', (iso, year) => {
		expect(currentYear(new Date(iso))).toBe(year);
	});

	it.each([
		[2025, 3, undefined, [2025, 2024, 2023]],
		[2025, 3, null, [2025, 2024, 2023]],
		// A year inside the range is not repeated.
		[2025, 3, 2024, [2025, 2024, 2023]],
		// One outside it is added in its place, older or newer.
		[2025, 3, 2010, [2025, 2024, 2023, 2010]],
		[2025, 3, 2030, [2030, 2025, 2024, 2023]]
	])('menu down from %i, %i years, asked %s', (newest, count, asked, expected) => {
		expect(yearMenu(newest, count, asked)).toEqual(expected);
	});
});
