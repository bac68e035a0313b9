// The working-day calendar: adding and removing days (audited), the holidays file keyed by date,
// and `calendar.listYear` feeding the pure working-day rules.
import { readFileSync } from 'node:fs';
import { asc, count, eq, like } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { expect, it } from 'vitest';
import { calendarOf, workingDaysBetween } from '$lib/domain/working-days';
import { messageOf } from '$lib/errors';
import * as calendar from '$lib/server/calendar';
import { importHolidays } from '$lib/server/calendar/import';
import type { Database } from '$lib/server/db';
import { auditEntry, calendarDay } from '$lib/server/db/schema';
import { sha256Hex } from '$lib/server/imports/csv';
import { describeEachDatabase } from '../helpers/db';
import { testActor } from '../factories';
import { refusalCode } from '../helpers/refusal';

const fixture = (name: string) =>
	new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');

async function snapshot(db: Database) {
	const [rows, [entries]] = await Promise.all([
		db.select().from(calendarDay).orderBy(asc(calendarDay.date)),
		db.select({ n: count() }).from(auditEntry)
	]);
	return { rows, auditEntries: entries!.n };
}

describeEachDatabase('calendar', (t) => {
	const run = (bytes: Uint8Array) => importHolidays(t.db, bytes, { locale: 'en' }, testActor);

	it('imports the 2025 schedule with an audit entry per day and one for the import', async () => {
		const bytes = fixture('holidays-2025.csv');
		const result = await run(bytes);
		expect(result).toEqual({
			ok: true,
			rows: 23,
			created: 23,
			updated: 0,
			unchanged: 0,
			sha256: sha256Hex(bytes)
		});
		const days = await calendar.listYear(t.db, 2025);
		expect(days).toHaveLength(23);
		expect(days[0]).toEqual({ date: '2025-01-01', kind: 'holiday' });
		expect(days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual([
			'2025-01-26',
			'2025-02-08',
			'2025-04-27',
			'2025-09-28',
			'2025-10-11'
		]);
		const entries = await t.db
			.select({ action: auditEntry.action })
			.from(auditEntry)
			.where(eq(auditEntry.entity, 'calendar_day'))
			.orderBy(asc(auditEntry.seq));
		expect(entries.map((e) => e.action)).toEqual([
			...Array(23).fill('calendar.add'),
			'holidays.import'
		]);
		expect(await calendar.years(t.db)).toEqual([{ year: 2025, holidays: 18, workdays: 5 }]);
	});

	it('changes nothing the second time', async () => {
		const before = await snapshot(t.db);
		expect(await run(fixture('holidays-2025.csv'))).toMatchObject({
			ok: true,
			created: 0,
			updated: 0,
			unchanged: 23
		});
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('changes the kind of a listed date and audits it; other days stay', async () => {
		const result = await run(csv('date,kind', '2025-10-11,holiday', '2026-01-01,holiday'));
		expect(result).toMatchObject({ ok: true, created: 1, updated: 1, unchanged: 0 });
		expect(await calendar.listYear(t.db, 2025)).toHaveLength(23);
		expect((await calendar.listYear(t.db, 2025)).find((d) => d.date === '2025-10-11')?.kind).toBe(
			'holiday'
		);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'calendar.update'));
		expect(entry).toMatchObject({ entityId: '2025-10-11' });
		expect(entry!.changes).toEqual({ kind: { before: 'workday', after: 'holiday' } });
		// Back as it was, for the tests below.
		await run(csv('date,kind', '2025-10-11,workday'));
	});

	it('reads a GBK file, Chinese text included', async () => {
		const text = ['date,kind', '2026-01-02,holiday', ''].join('\r\n');
		const bytes = new Uint8Array(iconv.encode(text, 'gbk'));
		expect(await run(bytes)).toMatchObject({ ok: true, created: 1 });
		const zh = new Uint8Array(
			iconv.encode(['date,kind', '2026-01-03,假日', ''].join('\r\n'), 'gbk')
		);
		const refused = await run(zh);
		expect(refused.ok).toBe(false);
		if (!refused.ok)
			expect(refused.errors.find((e) => e.column === 'kind')?.message).toBe(
				'“假日” is not one of: holiday (节假日), workday (调休上班)'
			);
	});

	it('writes nothing when any row is bad, and reports every bad row with line and column', async () => {
		const before = await snapshot(t.db);
		const result = await run(
			csv(
				'date,kind', // 1
				'2026-02-16,holiday', // 2: fine, not written
				'2026-02-30,holiday', // 3: no such date
				'17.02.2026,holiday', // 4: wrong format
				'2026-02-18,vacation', // 5: bad kind
				',workday', // 6: no date
				'2026-02-16,workday' // 7: repeats line 2
			)
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'date'],
			[4, 'date'],
			[5, 'kind'],
			[6, 'date'],
			[7, 'date']
		]);
		expect(result.errors[4]!.message).toBe(
			messageOf('duplicate_key_line', { value: '2026-02-16', line: 2 }, 'en')
		);
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('adds and removes a day, audited; refuses a day listed already or not listed', async () => {
		await t.db.transaction((tx) =>
			calendar.add(tx, { date: '2026-02-17', kind: 'holiday' }, testActor)
		);
		expect(
			await refusalCode(
				t.db.transaction((tx) =>
					calendar.add(tx, { date: '2026-02-17', kind: 'holiday' }, testActor)
				)
			)
		).toBe('calendar_day_exists');
		expect(
			await refusalCode(
				t.db.transaction((tx) =>
					calendar.add(tx, { date: '2026-02-17', kind: 'workday' }, testActor)
				)
			)
		).toBe('calendar_day_listed_as_other');
		const removed = await t.db.transaction((tx) => calendar.remove(tx, '2026-02-17', testActor));
		expect(removed).toEqual({ date: '2026-02-17', kind: 'holiday' });
		expect(
			await refusalCode(t.db.transaction((tx) => calendar.remove(tx, '2026-02-17', testActor)))
		).toBe('calendar_day_not_found');
		const entries = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.entityId, '2026-02-17'))
			.orderBy(asc(auditEntry.seq));
		expect(entries.map((e) => [e.action, e.changes])).toEqual([
			[
				'calendar.add',
				{ date: { before: null, after: '2026-02-17' }, kind: { before: null, after: 'holiday' } }
			],
			[
				'calendar.remove',
				{ date: { before: '2026-02-17', after: null }, kind: { before: 'holiday', after: null } }
			]
		]);
		expect(
			await t.db.select().from(auditEntry).where(like(auditEntry.action, 'calendar.%'))
		).not.toHaveLength(0);
	});

	it('lists a year for calendarOf: the 2025 National Day week', async () => {
		const days = await calendar.listYear(t.db, 2025);
		expect(days.filter((d) => d.date >= '2025-09-01' && d.date <= '2025-10-31')).toEqual([
			{ date: '2025-09-28', kind: 'workday' },
			...['01', '02', '03', '06', '07', '08'].map((d) => ({
				date: `2025-10-${d}`,
				kind: 'holiday'
			})),
			{ date: '2025-10-11', kind: 'workday' }
		]);
		const cal = calendarOf(days);
		// 30 Sep (Tue) to 12 Oct: 9 (Thu) and 10 (Fri) and the adjusted Saturday 11 October.
		expect(workingDaysBetween('2025-09-30', '2025-10-12', cal)).toBe(3);
		// Sunday 28 September is worked.
		expect(workingDaysBetween('2025-09-27', '2025-09-29', cal)).toBe(2);
		// The bounds are inclusive: New Year's Day is the year's first listed day.
		expect(days[0]).toEqual({ date: '2025-01-01', kind: 'holiday' });
		expect(days.every((d) => d.date.startsWith('2025-'))).toBe(true);
		expect(await calendar.listYear(t.db, 2030)).toEqual([]);
	});
});
