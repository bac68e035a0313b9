// The working-day SQL ($lib/server/calendar/working-days-sql) against its oracle, the pure
// calendar of $lib/domain/working-days: the same generated calendar (holidays and adjusted
// workdays, some on days they change nothing) and the same generated cases (instant items,
// completions the same day, in the next year and years later, open cases, acceptances before
// and after every listed day, times at the edges of a Shanghai day), through the builder itself,
// the cases list and the year computation's cases query.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	addDays,
	calendarOf,
	caseStatus,
	dayNumber,
	localDate,
	workingDaysBetween,
	CASE_STATUSES,
	type CalendarEntry,
	type CaseStatus,
	type WorkingDayCalendar
} from '$lib/domain/working-days';
import * as cases from '$lib/server/cases';
import {
	WORKING_DAY,
	caseStatusIs,
	caseStatusSql,
	localDateSql,
	workingDayCalendar,
	workingDaysBetweenSql
} from '$lib/server/calendar/working-days-sql';
import { rows, type Database } from '$lib/server/db';
import { calendarDay, serviceCase } from '$lib/server/db/schema';
import { casesQuery } from '$lib/server/evaluation/compute/queries';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment } from '../factories';

/** A small seeded generator (mulberry32): the same calendar and cases on every run. */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rnd = random(20250101);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
/** A random day from `from` to `to`. */
const between = (from: string, to: string) =>
	addDays(from, Math.floor(rnd() * (dayNumber(to) - dayNumber(from) + 1)));

// Listed days from November 2024 to February 2026: holidays and adjusted workdays on any day
// of the week (a holiday on a Sunday or a workday on a Tuesday changes nothing), and the year
// boundary listed on both sides.
const entries: CalendarEntry[] = [
	{ date: '2024-12-31', kind: 'workday' },
	{ date: '2025-01-01', kind: 'holiday' },
	{ date: '2025-12-31', kind: 'holiday' },
	{ date: '2026-01-01', kind: 'holiday' },
	{ date: '2026-01-04', kind: 'workday' }
];
for (let d = '2024-11-01'; d <= '2026-02-28'; d = addDays(d, 1)) {
	if (entries.some((e) => e.date === d)) continue;
	const r = rnd();
	if (r < 0.07) entries.push({ date: d, kind: 'holiday' });
	else if (r < 0.1) entries.push({ date: d, kind: 'workday' });
}
const listed = calendarOf(entries);
const plain = calendarOf([]);

interface GeneratedCase {
	id: number;
	accepted: Date;
	completed: Date | null;
	promised: number;
}

const at = (date: string, time: string) => new Date(`${date}T${time}+08:00`);
const TIMES = ['00:00:00', '00:00:01', '08:30:00', '12:00:00', '17:45:00', '23:59:59'];
const generated: GeneratedCase[] = Array.from({ length: 800 }, (_, i) => {
	// Mostly in the listed range, some long before it or after it.
	const acceptedDay = pick([
		() => between('2024-12-01', '2026-01-31'),
		() => between('2024-12-01', '2026-01-31'),
		() => between('2025-12-20', '2026-01-10'),
		() => between('2023-09-01', '2024-10-31'),
		() => between('2026-03-01', '2027-06-30')
	])();
	const accepted = at(acceptedDay, pick(TIMES));
	const later = pick([
		null,
		0,
		0,
		() => Math.floor(rnd() * 10),
		() => Math.floor(rnd() * 60),
		() => 380 + Math.floor(rnd() * 400)
	]);
	const days = typeof later === 'function' ? later() : later;
	let completed: Date | null = null;
	if (days !== null) {
		completed = at(addDays(acceptedDay, days), pick(TIMES));
		if (completed < accepted) completed = accepted;
	}
	return { id: i + 1, accepted, completed, promised: pick([0, 0, 1, 2, 3, 5, 10, 20]) };
});

const CUTOFFS = ['2025-12-31', '2025-06-30', '2026-01-05', '2023-01-02', '2028-03-31'];
const RANGES: [string, string][] = [
	['2025-01-01', '2025-12-31'],
	['2020-01-01', '2029-12-31']
];

const oracles = new Map<string, { id: number; status: CaseStatus; elapsed: number }[]>();

/** What the pure calendar says of every generated case, open ones measured to `cutoff`. */
function oracle(cal: WorkingDayCalendar, cutoff: string) {
	const key = `${cal === listed ? 'listed' : 'plain'} ${cutoff}`;
	const known = oracles.get(key);
	if (known) return known;
	const found = generated.map((c) => ({
		id: c.id,
		status: caseStatus(c, cutoff, cal),
		elapsed: workingDaysBetween(
			localDate(c.accepted),
			c.completed ? localDate(c.completed) : cutoff,
			cal
		)
	}));
	oracles.set(key, found);
	return found;
}

/** The builder over the generated cases (as a JSON record set), with the calendar in the DB. */
async function viaBuilder(db: Database, cutoff: string, range: [string, string]) {
	const cut = sql`${cutoff}::date`;
	const c = {
		accepted: sql.raw('c.accepted'),
		completed: sql.raw('c.completed'),
		promised: sql.raw('c.promised')
	};
	const json = JSON.stringify(generated);
	return rows<{ id: number; status: CaseStatus; elapsed: number }>(
		db,
		sql`with ${sql.raw(WORKING_DAY)} as (${workingDayCalendar({
			from: sql`${range[0]}::date`,
			to: sql`${range[1]}::date`
		})})
		select c.id, ${caseStatusSql(c, cut)} as status,
			${workingDaysBetweenSql(
				localDateSql(c.accepted),
				sql`coalesce(${localDateSql(c.completed)}, ${cut})`
			)} as elapsed
		from json_to_recordset(${json}::json)
			as c(id int, accepted timestamptz, completed timestamptz, promised int)
		cross join ${sql.raw(WORKING_DAY)}
		order by c.id`
	);
}

describeEachDatabase('working days in SQL against the pure calendar', (t) => {
	it.each(CUTOFFS)('without any listed day: Monday–Friday (cut-off %s)', async (cutoff) => {
		expect(await viaBuilder(t.db, cutoff, RANGES[0]!)).toEqual(oracle(plain, cutoff));
	});

	it('counts the working days between any two days, in either order', async () => {
		const pairs = Array.from({ length: 400 }, () => [
			between('2023-06-01', '2027-06-30'),
			between('2023-06-01', '2027-06-30')
		]);
		pairs.push(
			['2024-12-31', '2025-01-01'],
			['2025-12-31', '2026-01-01'],
			['2025-03-03', '2025-03-03']
		);
		await t.db.insert(calendarDay).values(entries);
		const found = await rows<{ n: number }>(
			t.db,
			sql`with ${sql.raw(WORKING_DAY)} as (${workingDayCalendar({
				from: sql`'2025-06-01'::date`,
				to: sql`'2025-06-30'::date`
			})})
			select ${workingDaysBetweenSql(sql`p.a::date`, sql`p.b::date`)} as n
			from json_to_recordset(${JSON.stringify(pairs.map(([a, b]) => ({ a, b })))}::json)
				as p(a text, b text)
			cross join ${sql.raw(WORKING_DAY)}
			order by p.a, p.b`
		);
		const sorted = [...pairs].sort(([a1, b1], [a2, b2]) =>
			a1 === a2 ? (b1! < b2! ? -1 : b1! > b2! ? 1 : 0) : a1! < a2! ? -1 : 1
		);
		expect(found.map((r) => Number(r.n))).toEqual(
			sorted.map(([a, b]) => workingDaysBetween(a!, b!, listed))
		);
	});

	it.each(CUTOFFS.flatMap((cutoff) => RANGES.map((range) => [cutoff, range] as const)))(
		'times every generated case as the pure rules do (cut-off %s, calendar range %j)',
		async (cutoff, range) => {
			expect(await viaBuilder(t.db, cutoff, range)).toEqual(oracle(listed, cutoff));
		}
	);

	describe('the cases list and the year computation', () => {
		let departmentId = 0;
		const caseNo = (id: number) => `WDS-${String(id).padStart(5, '0')}`;
		beforeAll(async () => {
			const dept = await makeDepartment(t.db, { code: 'WDS' });
			departmentId = dept.id;
			await t.db.insert(serviceCase).values(
				generated.map((c) => ({
					caseNo: caseNo(c.id),
					departmentId,
					itemCode: 'item',
					itemName: '事项',
					acceptedAt: c.accepted,
					completedAt: c.completed,
					promisedWorkingDays: c.promised
				}))
			);
		});

		it.each(['2025-12-31', '2026-01-05', '2028-03-31'])(
			'the list shows and filters the statuses of the pure rules, measured to %s',
			async (today) => {
				const expected = oracle(listed, today);
				const all = await cases.list(t.db, { departmentCode: 'WDS', today }, 1, 5000);
				expect(all.total).toBe(generated.length);
				const byNo = new Map(all.rows.map((r) => [r.caseNo, r]));
				expect(
					expected.map((e) => {
						const r = byNo.get(caseNo(e.id))!;
						return { id: e.id, status: r.status, elapsed: r.elapsed };
					})
				).toEqual(expected);
				for (const status of CASE_STATUSES) {
					const filtered = await cases.list(
						t.db,
						{ departmentCode: 'WDS', status, today },
						1,
						5000
					);
					const want = expected.filter((e) => e.status === status).map((e) => caseNo(e.id));
					expect(filtered.total).toBe(want.length);
					expect(filtered.rows.map((r) => r.caseNo).sort()).toEqual(want.sort());
				}
			}
		);

		it.each([
			[2025, '2025-12-31'],
			[2025, '2025-06-30'],
			[2026, '2026-01-05']
		])(
			'the computation counts the statuses of year %i as the pure rules do (cut-off %s)',
			async (year, cutoff) => {
				const found = await rows<{ department_id: number; status: CaseStatus; n: number }>(
					t.db,
					casesQuery(year, cutoff)
				);
				const counts = Object.fromEntries(
					found.filter((r) => r.department_id === departmentId).map((r) => [r.status, Number(r.n)])
				);
				const expected: Record<string, number> = {};
				for (const c of generated) {
					if (localDate(c.accepted).slice(0, 4) !== String(year)) continue;
					const s = caseStatus(c, cutoff, listed);
					expected[s] = (expected[s] ?? 0) + 1;
				}
				expect(counts).toEqual(expected);
			}
		);

		it('filters with the same rule it shows (a status filter is the status)', async () => {
			const today = '2025-12-31';
			const c = {
				accepted: serviceCase.acceptedAt,
				completed: serviceCase.completedAt,
				promised: serviceCase.promisedWorkingDays
			};
			for (const status of CASE_STATUSES) {
				const [r] = await rows<{ same: boolean }>(
					t.db,
					sql`with ${sql.raw(WORKING_DAY)} as (${workingDayCalendar({
						from: sql`${today}::date`,
						to: sql`${today}::date`
					})})
					select bool_and((${caseStatusSql(c, sql`${today}::date`)} = ${status})
						= ${caseStatusIs(status, c, sql`${today}::date`)}) as same
					from ${serviceCase} cross join ${sql.raw(WORKING_DAY)}
					where ${serviceCase.departmentId} = ${departmentId}`
				);
				expect(r!.same).toBe(true);
			}
		});
	});
});
