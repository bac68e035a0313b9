// Service cases in bulk: the cases file (all or nothing, every bad row by line and column, GBK
// or UTF-8, the same file twice changes nothing, a changed row updates), date-times read as
// Asia/Shanghai whatever the process's zone, and the same rows through the API verb.
import { asc, count, eq, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { ApiError } from '$lib/server/api';
import { readRecords, recordsResponse } from '$lib/server/api/records';
import * as cases from '$lib/server/cases';
import type { Database } from '$lib/server/db';
import { auditEntry, calendarDay, serviceCase } from '$lib/server/db/schema';
import { sha256Hex } from '$lib/server/imports/csv';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor, unique } from '../factories';

const HEADER =
	'case_no,department_code,item_code,item_name,accepted_at,completed_at,promised_working_days';
const csv = (...lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join('\n') + '\n');
const en = { locale: 'en' } as const;

async function stored(db: Database, prefix: string) {
	return db
		.select()
		.from(serviceCase)
		.where(sql`${serviceCase.caseNo} like ${prefix + '%'}`)
		.orderBy(asc(serviceCase.caseNo));
}

async function auditCount(db: Database, action = 'cases.import') {
	const [r] = await db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, action));
	return r!.n;
}

async function caseCount(db: Database) {
	const [r] = await db.select({ n: count() }).from(serviceCase);
	return r!.n;
}

/** A fake request event, as SvelteKit hands one to an endpoint. */
function postEvent(body: string, headers: Record<string, string> = {}) {
	const request = new Request('http://localhost/api/v1/cases', {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body
	});
	return { request, url: new URL(request.url) } as never;
}

describeEachDatabase('case import', (t) => {
	let d1: string;
	let d2: string;
	beforeAll(async () => {
		d1 = (await makeDepartment(t.db)).code;
		d2 = (await makeDepartment(t.db)).code;
	});

	it('imports a file: instants local to Asia/Shanghai, open cases, one audit entry', async () => {
		const p = unique('A');
		const bytes = csv(
			`${p}-1,${d1},XK-001,企业设立登记,2026-03-02 07:15,2026-03-05 16:30:15,5`,
			`${p}-2,${d1},XK-002,食品经营许可,2026-03-02 09:00,,0`,
			`${p}-3,${d2},XK-003,"建设工程规划许可, 变更",2025/12/31 23:59,2026-01-04 08:00,3`
		);
		const auditsBefore = await auditCount(t.db);
		const result = await cases.importFile(t.db, bytes, en, testActor);
		expect(result).toEqual({
			ok: true,
			rows: 3,
			created: 3,
			updated: 0,
			unchanged: 0,
			sha256: sha256Hex(bytes)
		});
		const rows = await stored(t.db, p);
		expect(rows.map((r) => r.caseNo)).toEqual([`${p}-1`, `${p}-2`, `${p}-3`]);
		// 07:15 on 2 March in Beijing is 23:15 UTC on 1 March: the case was accepted on 2 March.
		expect(rows[0]!.acceptedAt.toISOString()).toBe('2026-03-01T23:15:00.000Z');
		expect(rows[0]!.completedAt!.toISOString()).toBe('2026-03-05T08:30:15.000Z');
		expect(rows[0]).toMatchObject({
			itemCode: 'XK-001',
			itemName: '企业设立登记',
			promisedWorkingDays: 5
		});
		expect(rows[1]).toMatchObject({ completedAt: null, promisedWorkingDays: 0 });
		expect(rows[2]!.itemName).toBe('建设工程规划许可, 变更');
		expect(rows[2]!.acceptedAt.toISOString()).toBe('2025-12-31T15:59:00.000Z');

		expect(await auditCount(t.db)).toBe(auditsBefore + 1);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'cases.import'))
			.orderBy(sql`${auditEntry.seq} desc`)
			.limit(1);
		expect(entry!.entity).toBe('service_case');
		expect(entry!.changes).toMatchObject({
			source: { after: 'file' },
			sha256: { after: sha256Hex(bytes) },
			encoding: { after: 'utf-8' },
			rows: { after: 3 },
			created: { after: 3 },
			updated: { after: 0 }
		});
	});

	it('stores the same instant whatever the time zone of the process', async () => {
		const saved = process.env.TZ;
		const p = unique('TZ');
		try {
			process.env.TZ = 'America/Los_Angeles';
			// The machine's zone now differs from Shanghai's by 15 or 16 hours.
			expect(new Date(2026, 2, 2, 7, 15).toISOString()).not.toBe('2026-03-01T23:15:00.000Z');
			const result = await cases.importFile(
				t.db,
				csv(`${p},${d1},XK-001,登记,2026-03-02 07:15,,1`),
				en,
				testActor
			);
			expect(result.ok).toBe(true);
		} finally {
			if (saved === undefined) delete process.env.TZ;
			else process.env.TZ = saved;
		}
		const [row] = await stored(t.db, p);
		expect(row!.acceptedAt.toISOString()).toBe('2026-03-01T23:15:00.000Z');
		// And the database reads it as 2 March local, which is what the year computation uses.
		const [local] = await t.db
			.execute<{ d: string }>(
				sql`select to_char((accepted_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as d
				from service_case where case_no = ${p}`
			)
			.then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: { d: string }[] }).rows));
		expect(local!.d).toBe('2026-03-02');
	});

	it('changes nothing when the same file comes twice, and updates only a changed row', async () => {
		const p = unique('B');
		const lines = [
			`${p}-1,${d1},XK-001,企业设立登记,2026-04-01 10:00,2026-04-02 10:00,2`,
			`${p}-2,${d1},XK-002,食品经营许可,2026-04-01 11:00,,4`,
			`${p}-3,${d2},XK-003,规划许可,2026-04-01 12:00,,6`
		];
		expect((await cases.importFile(t.db, csv(...lines), en, testActor)).ok).toBe(true);
		const first = await stored(t.db, p);
		const audits = await auditCount(t.db);

		const again = await cases.importFile(t.db, csv(...lines), en, testActor);
		expect(again).toMatchObject({ ok: true, rows: 3, created: 0, updated: 0, unchanged: 3 });
		expect(await stored(t.db, p)).toEqual(first);
		expect(await auditCount(t.db)).toBe(audits);

		// The case system completes case 2: that row changes, the others stay as they were.
		const changed = [...lines];
		changed[1] = `${p}-2,${d1},XK-002,食品经营许可,2026-04-01 11:00,2026-04-08 09:30,4`;
		const third = await cases.importFile(t.db, csv(...changed), en, testActor);
		expect(third).toMatchObject({ ok: true, rows: 3, created: 0, updated: 1, unchanged: 2 });
		const after = await stored(t.db, p);
		expect(after[0]).toEqual(first[0]);
		expect(after[2]).toEqual(first[2]);
		expect(after[1]!.completedAt!.toISOString()).toBe('2026-04-08T01:30:00.000Z');
		expect(after[1]!.updatedAt.getTime()).toBeGreaterThanOrEqual(first[1]!.updatedAt.getTime());
		expect(after[1]!.createdAt).toEqual(first[1]!.createdAt);
		expect(await auditCount(t.db)).toBe(audits + 1);
	});

	it('refuses a file with bad rows: every one by line and column, in the language asked, nothing written', async () => {
		const p = unique('C');
		const before = await caseCount(t.db);
		const audits = await auditCount(t.db);
		const bytes = csv(
			`${p}-1,${d1},XK-001,登记,2026-03-02 07:15,,1`, // line 2: good
			`${p}-2,${d1},XK-001,登记,2026-02-30 07:15,,1`, // 3: no such day
			`${p}-3,${d1},XK-001,登记,2026-03-05 10:00,2026-03-04 10:00,1`, // 4: completed first
			`${p}-4,${d1},XK-001,登记,2026-03-02 07:15,,-1`, // 5: negative promise
			`${p}-5,${d1},XK-001,登记,2026-03-02 07:15,,1.5`, // 6: not whole
			`${p}-6,nosuchdept,XK-001,登记,2026-03-02 07:15,,1`, // 7: unknown department
			`${p}-1,${d2},XK-001,登记,2026-03-02 07:15,,1`, // 8: repeats line 2
			`${p}-9,${d1},XK-001,,2026-03-02 25:00,,` // 9: three problems
		);
		const result = await cases.importFile(t.db, bytes, en, testActor);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.rows).toBe(8);
		expect(result.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'accepted_at'],
			[4, 'completed_at'],
			[5, 'promised_working_days'],
			[6, 'promised_working_days'],
			[7, 'department_code'],
			[8, 'case_no'],
			[9, 'item_name'],
			[9, 'accepted_at'],
			[9, 'promised_working_days']
		]);
		const messages = Object.fromEntries(
			result.errors.map((e) => [`${e.line}:${e.column}`, e.message])
		);
		expect(messages['3:accepted_at']).toBe(
			'“2026-02-30 07:15” is not a valid date-time; expected YYYY-MM-DD HH:mm[:ss] (Beijing time)'
		);
		expect(messages['4:completed_at']).toBe('Cannot be earlier than accepted_at');
		expect(messages['5:promised_working_days']).toBe('“-1” must be a whole number from 0 to 999');
		expect(messages['7:department_code']).toBe('No department has the code “nosuchdept”');
		expect(messages['8:case_no']).toBe(`“${p}-1” repeats line 2`);
		expect(messages['9:item_name']).toBe('Required.');
		expect(await caseCount(t.db)).toBe(before);
		expect(await auditCount(t.db)).toBe(audits);

		// The same file for a Chinese-speaking clerk.
		const zh = await cases.importFile(t.db, bytes, { locale: 'zh-CN' }, testActor);
		expect(zh.ok).toBe(false);
		if (!zh.ok) expect(zh.errors[1]!.message).toBe('不能早于 accepted_at');
	});

	it('refuses a file whose header lacks a column, naming it', async () => {
		const bytes = new TextEncoder().encode(
			'case_no,department_code,item_code,item_name,accepted_at,completed_at\nX1,a,b,c,2026-01-01 00:00,\n'
		);
		const result = await cases.importFile(t.db, bytes, en, testActor);
		expect(result.ok).toBe(false);
		if (!result.ok)
			expect(result.errors).toEqual([
				expect.objectContaining({ line: 1, column: 'promised_working_days' })
			]);
	});

	it('reads a GBK file as Excel on a Chinese Windows saves it', async () => {
		const p = unique('G');
		const text = [
			HEADER,
			`${p},${d2},XK-009,不动产登记（首次）,2026-05-06 08:30,2026-05-07 17:00,1`
		].join('\r\n');
		const bytes = new Uint8Array(iconv.encode(text + '\r\n', 'gbk'));
		// Not valid UTF-8: the importer must tell the encodings apart.
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
		const result = await cases.importFile(t.db, bytes, en, testActor);
		expect(result).toMatchObject({ ok: true, created: 1 });
		const [row] = await stored(t.db, p);
		expect(row!.itemName).toBe('不动产登记（首次）');
	});

	it('upserts API rows all or nothing, JSON types welcome, errors by row index', async () => {
		const p = unique('API');
		const good = [
			{
				case_no: `${p}-1`,
				department_code: d1,
				item_code: 'XK-001',
				item_name: '企业设立登记',
				accepted_at: '2026-06-01 09:00',
				completed_at: null,
				promised_working_days: 3
			},
			{
				case_no: `${p}-2`,
				department_code: d2,
				item_code: 'XK-002',
				item_name: '食品经营许可',
				accepted_at: '2026-06-01 10:00:30',
				completed_at: '2026-06-02 10:00',
				promised_working_days: '0'
			}
		];
		const before = await caseCount(t.db);
		const bad = await cases.upsertRows(
			t.db,
			[...good, { ...good[0], case_no: `${p}-3`, promised_working_days: 2.5, accepted_at: 7 }, 'x'],
			{ locale: 'en', requestId: 'r-1', sha256: 'x' },
			testActor
		);
		expect(bad.ok).toBe(false);
		if (!bad.ok)
			expect(bad.errors.map((e) => [e.line, e.column])).toEqual([
				[2, 'accepted_at'],
				[2, 'promised_working_days'],
				[3, '']
			]);
		expect(await caseCount(t.db)).toBe(before);
		expect(() => recordsResponse(bad, 'r-1')).toThrow(ApiError);
		try {
			recordsResponse(bad, 'r-1');
		} catch (e) {
			expect((e as ApiError).status).toBe(422);
			expect((e as ApiError).details[0]).toMatchObject({
				path: '2.accepted_at',
				row: 2,
				column: 'accepted_at'
			});
		}

		const audits = await auditCount(t.db);
		const ok = await cases.upsertRows(
			t.db,
			good,
			{ locale: 'en', requestId: 'req-42', sha256: 'abc' },
			testActor
		);
		expect(ok).toEqual({ ok: true, rows: 2, created: 2, updated: 0, unchanged: 0 });
		expect(await auditCount(t.db)).toBe(audits + 1);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'cases.import'))
			.orderBy(sql`${auditEntry.seq} desc`)
			.limit(1);
		expect(entry!.changes).toMatchObject({
			source: { after: 'api' },
			requestId: { after: 'req-42' },
			rows: { after: 2 }
		});
		const body = (await recordsResponse(ok, 'req-42').json()) as Record<string, unknown>;
		expect(body).toEqual({ rows: 2, created: 2, updated: 0, unchanged: 0, request_id: 'req-42' });

		const again = await cases.upsertRows(
			t.db,
			good,
			{ locale: 'en', requestId: 'req-43', sha256: 'abc' },
			testActor
		);
		expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
	});

	it('writes thousands of rows in chunks, set-based, and counts them right', async () => {
		const p = unique('BULK');
		const rows = Array.from({ length: 2_500 }, (_, i) => ({
			case_no: `${p}-${String(i).padStart(5, '0')}`,
			department_code: i % 2 ? d1 : d2,
			item_code: 'XK-100',
			item_name: '批量事项',
			accepted_at: '2026-07-01 09:00',
			completed_at: i % 3 ? '2026-07-03 09:00' : '',
			promised_working_days: i % 5
		}));
		const first = await cases.upsertRows(
			t.db,
			rows,
			{ locale: 'en', requestId: 'bulk-1', sha256: 'a' },
			testActor
		);
		expect(first).toEqual({ ok: true, rows: 2_500, created: 2_500, updated: 0, unchanged: 0 });
		// Change every tenth row; 250 updates, the rest untouched.
		const changed = rows.map((r, i) =>
			i % 10 === 0 ? { ...r, item_name: '批量事项（变更）' } : r
		);
		const second = await cases.upsertRows(
			t.db,
			changed,
			{ locale: 'en', requestId: 'bulk-2', sha256: 'b' },
			testActor
		);
		expect(second).toEqual({ ok: true, rows: 2_500, created: 0, updated: 250, unchanged: 2_250 });
		const [r] = await t.db
			.select({ n: count() })
			.from(serviceCase)
			.where(eq(serviceCase.itemName, '批量事项（变更）'));
		expect(r!.n).toBe(250);
	});

	it('refuses more than 10,000 rows before validating any, and a body that is no array', async () => {
		const row = { case_no: 'x' };
		const tooMany = JSON.stringify(Array.from({ length: 10_001 }, () => row));
		await expect(readRecords(postEvent(tooMany))).rejects.toMatchObject({
			status: 413,
			code: 'too_many_rows'
		});
		const exactly = await readRecords(
			postEvent(JSON.stringify(Array.from({ length: 10_000 }, () => row)), {
				'x-request-id': 'batch-7'
			})
		);
		expect(exactly.rows).toHaveLength(10_000);
		expect(exactly.requestId).toBe('batch-7');
		await expect(readRecords(postEvent('{"rows": []}'))).rejects.toMatchObject({ status: 422 });
		await expect(readRecords(postEvent('[{'))).rejects.toMatchObject({
			status: 400,
			code: 'invalid_json'
		});
		// The verb itself never takes more than the limit either.
		await expect(
			cases.upsertRows(
				t.db,
				Array.from({ length: 10_001 }, () => row),
				{ locale: 'en', requestId: 'r', sha256: 'x' },
				testActor
			)
		).rejects.toThrow(RangeError);
	});

	it("lists cases with their working days and the year computation's statuses, filtered by them", async () => {
		const dept = await makeDepartment(t.db);
		const p = unique('L');
		// Mon 2 March 2026; a holiday on Wed 4 March, an adjusted workday on Sat 7 March.
		await t.db
			.insert(calendarDay)
			.values([
				{ date: '2026-03-04', kind: 'holiday' },
				{ date: '2026-03-07', kind: 'workday' }
			])
			.onConflictDoNothing();
		const result = await cases.importFile(
			t.db,
			csv(
				// Working days after 2 March through 6 March: 3rd, 5th, 6th = 3 (the 4th is a holiday).
				`${p}-ontime,${dept.code},I,事项,2026-03-02 07:15,2026-03-06 17:00,3`,
				`${p}-late,${dept.code},I,事项,2026-03-02 07:15,2026-03-06 17:00,2`,
				// Open, measured to Mon 9 March: 3rd, 5th, 6th, 7th (adjusted), 9th = 5.
				`${p}-open,${dept.code},I,事项,2026-03-02 07:15,,5`,
				`${p}-overdue,${dept.code},I,事项,2026-03-02 07:15,,4`
			),
			en,
			testActor
		);
		expect(result.ok).toBe(true);
		const all = await cases.list(t.db, { departmentCode: dept.code, today: '2026-03-09' }, 1, 50);
		expect(all.total).toBe(4);
		const byNo = Object.fromEntries(all.rows.map((r) => [r.caseNo, [r.elapsed, r.status]]));
		expect(byNo).toEqual({
			[`${p}-ontime`]: [3, 'on_time'],
			[`${p}-late`]: [3, 'late'],
			[`${p}-open`]: [5, 'open_not_due'],
			[`${p}-overdue`]: [5, 'open_overdue']
		});
		// The filter takes the same statuses, measured to the same day.
		for (const [status, caseNo] of [
			['on_time', 'ontime'],
			['late', 'late'],
			['open_not_due', 'open'],
			['open_overdue', 'overdue']
		] as const) {
			const filtered = await cases.list(
				t.db,
				{ departmentCode: dept.code, status, year: 2026, today: '2026-03-09' },
				1,
				50
			);
			expect({ status, rows: filtered.rows.map((r) => r.caseNo), total: filtered.total }).toEqual({
				status,
				rows: [`${p}-${caseNo}`],
				total: 1
			});
		}
		// Measured to a later day, the open case is overdue too.
		const later = await cases.list(
			t.db,
			{ departmentCode: dept.code, status: 'open_overdue', today: '2026-03-10' },
			1,
			50
		);
		expect(later.total).toBe(2);
		const lastYear = await cases.list(t.db, { departmentCode: dept.code, year: 2025 }, 1, 50);
		expect(lastYear.total).toBe(0);
		const paged = await cases.list(t.db, { departmentCode: dept.code }, 2, 3);
		expect(paged).toMatchObject({ total: 4 });
		expect(paged.rows).toHaveLength(1);
	});
});
