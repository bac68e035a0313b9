// Complaints in bulk (file and API verb: all or nothing, bad rows by line and column, GBK, the
// same data twice changes nothing) and the year-on-year statistics, checked against counts and
// percentages worked out by hand.
import { asc, count, eq, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import * as complaints from '$lib/server/complaints';
import type { Database } from '$lib/server/db';
import { auditEntry, complaint } from '$lib/server/db/schema';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor, unique } from '../factories';

const HEADER =
	'complaint_no,department_code,received_at,channel,category,verdict,concluded_at,response_late,summary';
const csv = (...lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join('\n') + '\n');
const en = { locale: 'en' } as const;
const api = (requestId: string) => ({ locale: 'en' as const, requestId, sha256: 'x' });
const LEADER = { role: 'leader' } as const;
const ADMIN_READER = { kind: 'user', role: 'admin', id: 1, departmentId: null } as const;

async function stored(db: Database, prefix: string) {
	return db
		.select()
		.from(complaint)
		.where(sql`${complaint.complaintNo} like ${prefix + '%'}`)
		.orderBy(asc(complaint.complaintNo));
}

async function total(db: Database) {
	const [r] = await db.select({ n: count() }).from(complaint);
	return r!.n;
}

async function audits(db: Database) {
	const [r] = await db
		.select({ n: count() })
		.from(auditEntry)
		.where(eq(auditEntry.action, 'complaints.import'));
	return r!.n;
}

describeEachDatabase('complaint import and statistics', (t) => {
	let d1: string;
	let d2: string;
	beforeAll(async () => {
		d1 = (await makeDepartment(t.db)).code;
		d2 = (await makeDepartment(t.db)).code;
	});

	it('imports open and concluded complaints, and the same file again changes nothing', async () => {
		const p = unique('T');
		const lines = [
			`${p}-1,${d1},2026-03-02 07:15,12345热线,办事拖延,substantiated,2026-03-20 17:00,true,"窗口推诿，
多次往返"`,
			`${p}-2,${d2},2026-04-01 09:00,网站,态度问题,,,false,`,
			`${p}-3,${d2},2026-04-02 09:00,来信,乱收费,Partial,2026-04-10 09:00,FALSE,部分属实`
		];
		const a0 = await audits(t.db);
		const first = await complaints.importFile(t.db, csv(...lines), en, testActor);
		expect(first).toMatchObject({ ok: true, rows: 3, created: 3, updated: 0, unchanged: 0 });
		const rows = await stored(t.db, p);
		expect(rows[0]).toMatchObject({
			channel: '12345热线',
			category: '办事拖延',
			verdict: 'substantiated',
			responseLate: true,
			summary: '窗口推诿，\n多次往返'
		});
		expect(rows[0]!.receivedAt.toISOString()).toBe('2026-03-01T23:15:00.000Z');
		expect(rows[0]!.concludedAt!.toISOString()).toBe('2026-03-20T09:00:00.000Z');
		expect(rows[1]).toMatchObject({
			verdict: null,
			concludedAt: null,
			responseLate: false,
			summary: ''
		});
		expect(rows[2]).toMatchObject({ verdict: 'partial', responseLate: false });
		expect(await audits(t.db)).toBe(a0 + 1);

		const again = await complaints.importFile(t.db, csv(...lines), en, testActor);
		expect(again).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 3 });
		expect(await stored(t.db, p)).toEqual(rows);
		expect(await audits(t.db)).toBe(a0 + 1);

		// The open complaint is concluded in the hotline's system: one row changes.
		const concluded = [...lines];
		concluded[1] = `${p}-2,${d2},2026-04-01 09:00,网站,态度问题,unfounded,2026-04-15 10:00,false,`;
		const third = await complaints.importFile(t.db, csv(...concluded), en, testActor);
		expect(third).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 2 });
		expect((await stored(t.db, p))[1]).toMatchObject({ verdict: 'unfounded' });
	});

	it('refuses bad rows, each by line and column, and writes nothing', async () => {
		const p = unique('U');
		const before = await total(t.db);
		const result = await complaints.importFile(
			t.db,
			csv(
				`${p}-1,${d1},2026-03-02 07:15,热线,拖延,guilty,2026-03-03 07:15,true,`, // 2: verdict
				`${p}-2,${d1},2026-03-02 07:15,热线,拖延,substantiated,,true,`, // 3: needs concluded_at
				`${p}-3,${d1},2026-03-02 07:15,热线,拖延,,2026-03-03 07:15,false,`, // 4: no verdict
				`${p}-4,${d1},2026-03-02 07:15,热线,拖延,unfounded,2026-03-01 07:15,false,`, // 5: before
				`${p}-5,${d1},2026-03-02 07:15,热线,拖延,,,yes,`, // 6: response_late
				`${p}-6,${d1},2026-03-02 07:15,,拖延,,,,` // 7: channel, response_late
			),
			en,
			testActor
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => [e.line, e.column, e.message])).toEqual([
			[
				2,
				'verdict',
				'“guilty” is not one of: substantiated (属实), partial (部分属实), unfounded (不属实)'
			],
			[3, 'concluded_at', 'Required when verdict is given'],
			[4, 'concluded_at', 'Must be empty while verdict is empty'],
			[5, 'concluded_at', 'Cannot be earlier than received_at'],
			[6, 'response_late', '“yes” must be true or false (or 是 / 否)'],
			[7, 'channel', 'Required.'],
			[7, 'response_late', 'Required.']
		]);
		expect(await total(t.db)).toBe(before);
	});

	it('reads a GBK file', async () => {
		const p = unique('V');
		const text = `${HEADER}\r\n${p},${d1},2026-05-06 08:30,来访,服务态度,,,false,群众反映窗口人员态度生硬\r\n`;
		const result = await complaints.importFile(
			t.db,
			new Uint8Array(iconv.encode(text, 'gbk')),
			en,
			testActor
		);
		expect(result).toMatchObject({ ok: true, created: 1 });
		expect((await stored(t.db, p))[0]!.summary).toBe('群众反映窗口人员态度生硬');
	});

	it('upserts API rows all or nothing; booleans and nulls as JSON gives them', async () => {
		const p = unique('W');
		const good = {
			complaint_no: `${p}-1`,
			department_code: d1,
			received_at: '2026-06-01 09:00',
			channel: 'app',
			category: '拖延',
			verdict: 'substantiated',
			concluded_at: '2026-06-10 09:00',
			response_late: true,
			summary: null
		};
		const open = {
			...good,
			complaint_no: `${p}-2`,
			verdict: null,
			concluded_at: null,
			response_late: false
		};
		const before = await total(t.db);
		const bad = await complaints.upsertRows(
			t.db,
			[good, open, { ...open, complaint_no: `${p}-3`, department_code: 'nope' }],
			api('w-1'),
			testActor
		);
		expect(bad.ok).toBe(false);
		if (!bad.ok)
			expect(bad.errors).toEqual([expect.objectContaining({ line: 2, column: 'department_code' })]);
		expect(await total(t.db)).toBe(before);

		const ok = await complaints.upsertRows(t.db, [good, open], api('w-2'), testActor);
		expect(ok).toEqual({ ok: true, rows: 2, created: 2, updated: 0, unchanged: 0 });
		const rows = await stored(t.db, p);
		expect(rows.map((r) => [r.verdict, r.responseLate])).toEqual([
			['substantiated', true],
			[null, false]
		]);
		const repeated = await complaints.upsertRows(t.db, [good, open], api('w-3'), testActor);
		expect(repeated).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
	});

	it("lists only a department's own complaints when asked for it", async () => {
		const p = unique('X');
		await complaints.upsertRows(
			t.db,
			[d1, d2, d2].map((code, i) => ({
				complaint_no: `${p}-${i}`,
				department_code: code,
				received_at: '2027-01-0' + (i + 1) + ' 10:00',
				channel: 'c',
				category: 'k',
				verdict: '',
				concluded_at: '',
				response_late: 'false',
				summary: ''
			})),
			api('x'),
			testActor
		);
		const [dep2] = await t.db
			.execute<{ id: number }>(sql`select id from department where code = ${d2}`)
			.then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: { id: number }[] }).rows));
		const own = await complaints.list(
			t.db,
			ADMIN_READER,
			{ departmentId: dep2!.id, year: 2027 },
			1,
			50
		);
		expect(own.total).toBe(2);
		expect(new Set(own.rows.map((r) => r.departmentCode))).toEqual(new Set([d2]));
		const all2027 = await complaints.list(
			t.db,
			ADMIN_READER,
			{ year: 2027, status: 'open' },
			1,
			50
		);
		expect(all2027.total).toBe(3);
		expect(all2027.rows.map((r) => r.complaintNo)).toEqual([`${p}-2`, `${p}-1`, `${p}-0`]);
	});

	describe('statistics', () => {
		/** Complaints received at the given local date-times (years 2029–2052 are this test's own). */
		async function receivedAt(times: string[]) {
			const p = unique('S');
			const result = await complaints.upsertRows(
				t.db,
				times.map((at, i) => ({
					complaint_no: `${p}-${i}`,
					department_code: i % 2 ? d1 : d2,
					received_at: at,
					channel: 'c',
					category: 'k',
					verdict: '',
					concluded_at: '',
					response_late: false,
					summary: ''
				})),
				api(p),
				testActor
			);
			expect(result.ok).toBe(true);
		}

		beforeAll(async () => {
			await receivedAt([
				'2029-12-31 23:59:59', // the last second of 2029: in no year asked for below
				'2030-01-01 00:00', // 2030, first minute (16:00 UTC on 31 December 2029)
				'2030-02-28 12:00',
				'2030-06-30 23:59',
				'2030-12-31 23:59',
				'2031-01-01 00:00',
				'2031-03-15 12:00',
				'2031-06-30 23:59:59',
				'2031-07-01 00:00',
				'2031-12-31 23:59',
				'2032-01-01 00:00',
				'2032-02-29 12:00',
				'2032-03-01 00:00'
			]);
			// 32 in 2040 and 33 in 2041: +3.125 %; 32 in 2042 and 31 in 2043: −3.125 %.
			const many = (year: number, n: number) =>
				Array.from({ length: n }, (_, i) => `${year}-0${1 + (i % 9)}-1${i % 10} 10:00`);
			await receivedAt([
				...many(2040, 32),
				...many(2041, 33),
				...many(2042, 32),
				...many(2043, 31)
			]);
			await receivedAt(['2051-05-05 10:00']);
		});

		it.each([
			// year, through, count, previous, change: worked out from the list above.
			[2031, undefined, '12-31', 5, 4, 25], // (5 − 4) / 4
			[2031, '06-30', '06-30', 3, 3, 0], // 2031: 1 Jan, 15 Mar, 30 Jun 23:59:59; 2030: 1 Jan, 28 Feb, 30 Jun
			[2031, '03-14', '03-14', 1, 2, -50], // 2031: 1 Jan; 2030: 1 Jan, 28 Feb
			[2030, '12-31', '12-31', 4, 1, 300], // 2029 has its last second only
			[2032, '12-31', '12-31', 3, 5, -40],
			[2032, '02-29', '02-29', 2, 1, 100], // 2031 through 28 Feb: 1 Jan only
			[2041, undefined, '12-31', 33, 32, 3.13], // 3.125 rounds half away from zero
			[2043, undefined, '12-31', 31, 32, -3.13], // −3.125 too
			[2051, undefined, '12-31', 1, 0, null] // no previous complaints: no percentage
		])(
			'%i through %s: counts and change',
			async (year, through, shownThrough, count, previous, change) => {
				const result = await complaints.stats(t.db, LEADER, year, through);
				expect(result).toEqual({
					year,
					through: shownThrough,
					count,
					previous_count: previous,
					change_pct: change
				});
			}
		);

		it('refuses 29 February of a year that has none, and impossible days', async () => {
			expect(await complaints.stats(t.db, LEADER, 2031, '02-29')).toBe('no_such_day');
			expect(await complaints.stats(t.db, LEADER, 2031, '04-31')).toBe('no_such_day');
		});
	});
});
