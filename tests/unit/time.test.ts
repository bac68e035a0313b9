// Asia/Shanghai dates and times as the audit log shows and filters them.
import { describe, expect, it } from 'vitest';
import { endOfDay, formatDate, formatDateTime, startOfDay } from '$lib/domain/time';

describe('time in Asia/Shanghai', () => {
	it.each([
		['2025-01-01T00:00:00.000Z', '2025-01-01 08:00:00'],
		['2024-12-31T16:00:00.000Z', '2025-01-01 00:00:00'],
		['2024-12-31T15:59:59.999Z', '2024-12-31 23:59:59'],
		['2024-02-29T12:34:56.000Z', '2024-02-29 20:34:56'],
		// Summer: no daylight saving in China, still +08:00.
		['2025-07-01T12:00:00.000Z', '2025-07-01 20:00:00']
	])('formats %s as %s', (iso, expected) => {
		expect(formatDateTime(new Date(iso))).toBe(expected);
		expect(formatDate(new Date(iso))).toBe(expected.slice(0, 10));
	});

	it('takes a local day from midnight to the last millisecond before the next', () => {
		expect(startOfDay('2025-03-01')?.toISOString()).toBe('2025-02-28T16:00:00.000Z');
		expect(endOfDay('2025-03-01')?.toISOString()).toBe('2025-03-01T15:59:59.999Z');
		expect(endOfDay('2024-12-31')?.toISOString()).toBe('2024-12-31T15:59:59.999Z');
	});

	it.each(['2025-02-30', '2025-13-01', '2025-1-1', '20250101', '', 'yesterday', '2025-02-29'])(
		'refuses %j as a day',
		(s) => {
			expect(startOfDay(s)).toBeNull();
			expect(endOfDay(s)).toBeNull();
		}
	);

	it('accepts 29 February in a leap year', () => {
		expect(startOfDay('2024-02-29')?.toISOString()).toBe('2024-02-28T16:00:00.000Z');
	});
});
