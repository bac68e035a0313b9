// The complaint statistics (issue 9 §4) on both databases: the SQL figures against a plain
// TypeScript recount of the same rows (local dates read back with formatDate), over whole years,
// half years, ranges that start or end on 29 February, and a range longer than a year; who may
// read them; and the example complaints of the first start reproducing the seed's figures.
import { beforeAll, describe, expect, it } from 'vitest';
import {
	change,
	previousRange,
	yearEarlier,
	type DateRange
} from '$lib/domain/complaint-statistics';
import { COMPLAINT_VERDICTS, SANCTIONS } from '$lib/domain/complaints';
import { formatDate } from '$lib/domain/time';
import { isDomainError } from '$lib/errors';
import { bootstrap } from '$lib/server/bootstrap';
import * as complaints from '$lib/server/complaints';
import { EXAMPLE_FIGURES, exampleYears } from '$lib/server/complaints/examples';
import {
	rangeCounts,
	statistics,
	type ComplaintStatistics
} from '$lib/server/complaints/statistics';
import { complaint, complaintSanction, department } from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor } from '../factories';
import { local } from '../factories/records';

const LEADER = { role: 'leader' } as const;
const DEPARTMENTS = ['sa', 'sb', 'sc'];
const CATEGORIES = ['delay', 'fees', 'receipt', 'inaction'];
const CHANNELS = ['hotline', 'online', 'letter'];

interface Row {
	no: string;
	department: string;
	received: Date;
	channel: string;
	category: string;
	verdict: (typeof COMPLAINT_VERDICTS)[number] | null;
	sanctions: (typeof SANCTIONS)[number][];
}

// A fixed pseudo-random spread over 2023–2025 (a small LCG: the same rows every run), and the
// edges: midnights, the last second of a day, 28 and 29 February, 1 March.
function makeRows(): Row[] {
	let seed = 20240229;
	const next = (n: number) => {
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		return seed % n;
	};
	const start = local('2023-01-01').getTime();
	const span = local('2026-01-01').getTime() - start;
	const times = Array.from({ length: 240 }, () => new Date(start + next(span / 1000) * 1000));
	times.push(
		...[
			'2023-02-28 23:59:59',
			'2023-03-01 00:00',
			'2024-02-28 12:00',
			'2024-02-29 00:00',
			'2024-02-29 23:59:59',
			'2024-03-01 00:00',
			'2025-02-28 08:00',
			'2025-03-01 00:00',
			'2024-06-30 23:59:59',
			'2024-07-01 00:00',
			'2023-12-31 23:59:59',
			'2024-01-01 00:00'
		].map(local)
	);
	return times.map((received, i) => {
		const verdictPick = next(5);
		const verdict = verdictPick < 3 ? COMPLAINT_VERDICTS[verdictPick]! : null;
		const sanctions =
			verdict === 'substantiated'
				? [SANCTIONS[next(5)]!, ...(next(3) === 0 ? [SANCTIONS[next(5)]!] : [])]
				: [];
		return {
			no: `ST-${i}`,
			department: DEPARTMENTS[next(3)]!,
			received,
			channel: CHANNELS[next(3)]!,
			category: CATEGORIES[next(4)]!,
			verdict,
			sanctions
		};
	});
}

/** The statistics recounted in TypeScript from the rows, by their local dates. */
function recount(
	rows: Row[],
	range: DateRange,
	before: DateRange
): Omit<ComplaintStatistics, 'range' | 'previousRange'> {
	const inRange = (r: Row, d: DateRange) => {
		const day = formatDate(r.received);
		return day >= d.from && day <= d.to;
	};
	const cur = rows.filter((r) => inRange(r, range));
	const prev = rows.filter((r) => inRange(r, before));
	const byCount = <T extends { key: string; current: number; previous: number }>(a: T, b: T) =>
		b.current - a.current ||
		b.previous - a.previous ||
		(a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
	const grouped = (keyOf: (r: Row) => string) => {
		const keys = [...new Set([...cur, ...prev].map(keyOf))];
		return keys
			.map((key) => ({
				key,
				...change(
					cur.filter((r) => keyOf(r) === key).length,
					prev.filter((r) => keyOf(r) === key).length
				)
			}))
			.sort(byCount);
	};
	const sanctionsOf = (list: Row[], kind: string) =>
		list.flatMap((r) => r.sanctions).filter((s) => s === kind).length;
	return {
		total: change(cur.length, prev.length),
		departments: grouped((r) => r.department).map((d) => ({
			...d,
			nameZh: `${d.key} 局`,
			nameEn: `${d.key} bureau`
		})),
		categories: grouped((r) => r.category),
		channels: grouped((r) => r.channel),
		verdicts: [...COMPLAINT_VERDICTS, 'open' as const].map((key) => ({
			key,
			...change(
				cur.filter((r) => (r.verdict ?? 'open') === key).length,
				prev.filter((r) => (r.verdict ?? 'open') === key).length
			)
		})),
		sanctions: SANCTIONS.map((key) => ({
			key,
			...change(sanctionsOf(cur, key), sanctionsOf(prev, key))
		}))
	};
}

describe('the year-earlier range', () => {
	it.each([
		[
			{ from: '2025-01-01', to: '2025-12-31' },
			{ from: '2024-01-01', to: '2024-12-31' }
		],
		[
			{ from: '2024-01-01', to: '2024-02-29' },
			{ from: '2023-01-01', to: '2023-02-28' }
		],
		[
			{ from: '2024-02-29', to: '2024-03-31' },
			{ from: '2023-02-28', to: '2023-03-31' }
		],
		[
			{ from: '2025-02-28', to: '2025-03-01' },
			{ from: '2024-02-28', to: '2024-03-01' }
		]
	])('of %o is %o (29 February becomes 28 February)', (range, expected) => {
		expect(previousRange(range)).toEqual(expected);
	});
	it('keeps four-digit years', () => expect(yearEarlier('1991-02-01')).toBe('1990-02-01'));
});

describeEachDatabase('complaint statistics', (t) => {
	const rows = makeRows();

	beforeAll(async () => {
		for (const code of DEPARTMENTS)
			await makeDepartment(t.db, { code, nameZh: `${code} 局`, nameEn: `${code} bureau` });
		const ids = new Map(
			(await t.db.select({ id: department.id, code: department.code }).from(department)).map(
				(d) => [d.code, d.id]
			)
		);
		const inserted = await t.db
			.insert(complaint)
			.values(
				rows.map((r) => ({
					complaintNo: r.no,
					departmentId: ids.get(r.department)!,
					receivedAt: r.received,
					channel: r.channel,
					category: r.category,
					verdict: r.verdict,
					concludedAt: r.verdict ? r.received : null
				}))
			)
			.returning({ id: complaint.id, no: complaint.complaintNo });
		const idOf = new Map(inserted.map((c) => [c.no, c.id]));
		await t.db.insert(complaintSanction).values(
			rows.flatMap((r) =>
				r.sanctions.map((kind) => ({
					complaintId: idOf.get(r.no)!,
					kind,
					decidedOn: '2025-01-01'
				}))
			)
		);
	});

	it.each([
		['a leap year', { from: '2024-01-01', to: '2024-12-31' }],
		['the year after it', { from: '2025-01-01', to: '2025-12-31' }],
		['January–June', { from: '2025-01-01', to: '2025-06-30' }],
		['through 29 February', { from: '2024-01-01', to: '2024-02-29' }],
		['from 29 February', { from: '2024-02-29', to: '2024-03-31' }],
		['one day, 29 February', { from: '2024-02-29', to: '2024-02-29' }],
		['28 February to 1 March after a leap year', { from: '2025-02-28', to: '2025-03-01' }],
		['longer than a year', { from: '2024-03-01', to: '2025-06-30' }],
		['with nothing in either period', { from: '2031-01-01', to: '2031-12-31' }]
	])('%s: the SQL figures are the recount', async (_, range) => {
		const got = await statistics(t.db, LEADER, range);
		const before = previousRange(range);
		expect(got).toEqual({ range, previousRange: before, ...recount(rows, range, before) });
	});

	it("counts several ranges in one statement as the figures count each (the dashboard's)", async () => {
		const period = { from: '2025-01-01', to: '2025-06-30' };
		const ranges = [
			period,
			previousRange(period),
			{ from: '2024-01-01', to: '2024-12-31' },
			{ from: '2024-02-29', to: '2024-02-29' },
			{ from: '2024-03-01', to: '2025-06-30' },
			{ from: '2031-01-01', to: '2031-12-31' }
		];
		const got = await rangeCounts(t.db, ranges);
		const each = await Promise.all(ranges.map((r) => statistics(t.db, LEADER, r)));
		expect(got.totals).toEqual(each.map((f) => (typeof f === 'string' ? NaN : f.total.current)));
		expect(got.totals[0]).toBeGreaterThan(0);
		// By department, the first two ranges as the figures of the period (current, previous),
		// in the same order; departments with none in the two are the others'.
		const first = each[0]!;
		if (typeof first === 'string') throw new Error(first);
		expect(
			got.departments
				.filter((d) => d.counts[0]! + d.counts[1]! > 0)
				.map((d) => ({
					key: d.code,
					nameZh: d.nameZh,
					nameEn: d.nameEn,
					...change(d.counts[0]!, d.counts[1]!)
				}))
		).toEqual(first.departments);
		for (const [i, r] of ranges.entries()) {
			const f = each[i]!;
			if (typeof f === 'string') throw new Error(f);
			const byCode = new Map(got.departments.map((d) => [d.code, d.counts[i]!]));
			for (const d of f.departments)
				expect(byCode.get(d.key) ?? 0, `${r.from} ${d.key}`).toBe(d.current);
			expect(got.departments.reduce((n, d) => n + d.counts[i]!, 0)).toBe(got.totals[i]);
		}
		expect(await rangeCounts(t.db, [])).toEqual({ totals: [], departments: [] });
	});

	it('counts 29 February in its own year and 28 February a year later', async () => {
		// 2024-02-29 has two complaints (00:00 and 23:59:59); the year earlier's day is 2023-02-28.
		const leapDay = await statistics(t.db, LEADER, { from: '2024-02-29', to: '2024-02-29' });
		if (typeof leapDay === 'string') throw new Error(leapDay);
		const expected = rows.filter((r) => formatDate(r.received) === '2024-02-29').length;
		expect(leapDay.total.current).toBe(expected);
		expect(expected).toBeGreaterThanOrEqual(2);
		expect(leapDay.total.previous).toBe(
			rows.filter((r) => formatDate(r.received) === '2023-02-28').length
		);
	});

	it('gives the API its year-on-year total from the same query', async () => {
		const full = await statistics(t.db, LEADER, { from: '2025-01-01', to: '2025-12-31' });
		if (typeof full === 'string') throw new Error(full);
		expect(await complaints.stats(t.db, LEADER, 2025)).toEqual({
			year: 2025,
			through: '12-31',
			count: full.total.current,
			previous_count: full.total.previous,
			change_pct: full.total.changePct
		});
	});

	it('refuses ranges that are none', async () => {
		for (const [range, refusal] of [
			[{ from: '2025-02-29', to: '2025-03-01' }, 'no_such_day'],
			[{ from: '2025-03-02', to: '2025-03-01' }, 'range_reversed'],
			[{ from: '1990-01-01', to: '1990-12-31' }, 'range_out_of_years']
		] as const)
			expect(await statistics(t.db, LEADER, range)).toBe(refusal);
	});

	it.each([
		['admin', true],
		['supervisor', true],
		['leader', true],
		['liaison', false],
		['enterprise', false],
		[null, false]
	] as const)('for %s: allowed = %s', async (role, allowed) => {
		const reader = role === null ? null : { role };
		const range = { from: '2025-01-01', to: '2025-12-31' };
		const read = async () => {
			try {
				await statistics(t.db, reader, range);
				await complaints.stats(t.db, reader, 2025);
				return true;
			} catch (e) {
				if (isDomainError(e, 'complaint_stats_forbidden')) return false;
				throw e;
			}
		};
		expect(await read()).toBe(allowed);
	});
});

describeEachDatabase('example complaints of the first start', (t) => {
	// A fixed first start: the examples lie in 2024 and 2025.
	const now = new Date('2026-03-15T10:00:00+08:00');
	const { earlier, later } = exampleYears(now);

	beforeAll(async () => {
		await bootstrap(t.db, { ADMIN_PASSWORD: 'a-long-password-1' }, () => {}, now);
	});

	it("reproduce the seed's figures: 237 → 147 (−37.97 %), January–June 75 → 63 (−16 %)", async () => {
		expect([earlier, later]).toEqual([2024, 2025]);
		expect(await complaints.stats(t.db, LEADER, later)).toEqual({
			year: 2025,
			through: '12-31',
			count: 147,
			previous_count: 237,
			change_pct: -37.97
		});
		expect(await complaints.stats(t.db, LEADER, later, '06-30')).toMatchObject({
			count: 63,
			previous_count: 75,
			change_pct: -16
		});
		expect(EXAMPLE_FIGURES.later.total).toBe(147);
		const s = await statistics(t.db, LEADER, { from: '2025-01-01', to: '2025-12-31' });
		if (typeof s === 'string') throw new Error(s);
		// Spread over every example department, several categories and channels; most concluded.
		expect(s.departments).toHaveLength(12);
		expect(s.categories.length).toBeGreaterThanOrEqual(4);
		expect(s.channels.length).toBeGreaterThanOrEqual(4);
		const open = s.verdicts.find((v) => v.key === 'open')!;
		expect(open.current).toBeGreaterThan(0);
		expect(open.current).toBeLessThan(147 / 10);
		expect(s.sanctions.some((x) => x.current > 0)).toBe(true);
		// Nothing after the first start.
		const future = await statistics(t.db, LEADER, { from: '2026-01-01', to: '2026-12-31' });
		expect(typeof future !== 'string' && future.total.current).toBe(0);
	});

	it('never keep an example department, and go with them', async () => {
		expect(await departments.references(t.db, 'gaj')).toEqual({});
		const removed = await departments.removeUnusedExamples(t.db, testActor);
		expect(removed).toHaveLength(12);
		expect(await t.db.select().from(complaint)).toEqual([]);
		expect(await t.db.select().from(complaintSanction)).toEqual([]);
	});
});
