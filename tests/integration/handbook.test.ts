// The handbook of approval items (docs/handbook.md): an edition imported from CSV or XLSX replaces
// the year's items as a whole (all or nothing, one audit entry, the same file twice changes
// nothing), the instant rule in SQL agrees with the domain's, the reform statistics of a small
// hand-counted pair of editions, and service cases promising other days than their item.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, desc, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInstant } from '$lib/domain/handbook';
import * as cases from '$lib/server/cases';
import { rows, type Database } from '$lib/server/db';
import { auditEntry, handbookEdition, handbookItem } from '$lib/server/db/schema';
import * as handbook from '$lib/server/handbook';
import { cliRefusal, runCli } from '../helpers/cli';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor } from '../factories';
import { makeCase } from '../factories/records';

const HEADER =
	'item_code,department_code,item_name,kind,promised_working_days,statutory_working_days,prerequisites,basis';
const csv = (...lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join('\n') + '\n');
const en = 'en' as const;

async function auditCount(db: Database) {
	const [r] = await db
		.select({ n: count() })
		.from(auditEntry)
		.where(eq(auditEntry.action, 'handbook.import'));
	return r!.n;
}

async function stored(db: Database, year: number) {
	return db
		.select({
			itemCode: handbookItem.itemCode,
			kind: handbookItem.kind,
			promised: handbookItem.promisedWorkingDays,
			statutory: handbookItem.statutoryWorkingDays,
			prerequisites: handbookItem.prerequisites,
			basis: handbookItem.basis,
			position: handbookItem.position
		})
		.from(handbookItem)
		.innerJoin(handbookEdition, eq(handbookEdition.id, handbookItem.editionId))
		.where(eq(handbookEdition.year, year))
		.orderBy(handbookItem.position);
}

async function xlsx(table: unknown[][]): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	const sheet = wb.addWorksheet('事项');
	for (const r of table) sheet.addRow(r);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

describeEachDatabase('handbook of approval items', (t) => {
	let a: string;
	let b: string;
	let c: string;
	beforeAll(async () => {
		a = (await makeDepartment(t.db)).code;
		b = (await makeDepartment(t.db)).code;
		c = (await makeDepartment(t.db)).code;
	});

	describe('import', () => {
		it('imports an edition: kinds by code or label, prerequisites split, file order kept, audited', async () => {
			const before = await auditCount(t.db);
			const result = await handbook.importFile(
				t.db,
				csv(
					`X-2,${b},食品经营许可,服务,0,,"营业执照；健康证明\n场所证明",`,
					`X-1,${a},建设工程规划许可,approval,15,20, 用地批准 ; ;规划条件;,《城乡规划法》第四十条`
				),
				{ year: 2030, locale: en },
				testActor
			);
			expect(result).toMatchObject({ ok: true, rows: 2, created: 2, updated: 0, removed: 0 });
			expect(await stored(t.db, 2030)).toEqual([
				{
					itemCode: 'X-2',
					kind: 'service',
					promised: 0,
					statutory: null,
					prerequisites: ['营业执照', '健康证明', '场所证明'],
					basis: '',
					position: 1
				},
				{
					itemCode: 'X-1',
					kind: 'approval',
					promised: 15,
					statutory: 20,
					prerequisites: ['用地批准', '规划条件'],
					basis: '《城乡规划法》第四十条',
					position: 2
				}
			]);
			expect(await auditCount(t.db)).toBe(before + 1);
			const [entry] = await t.db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.action, 'handbook.import'))
				.orderBy(desc(auditEntry.seq))
				.limit(1);
			expect(entry).toMatchObject({ entity: 'handbook_edition', actorLabel: 'test' });
			expect(entry!.changes).toMatchObject({
				year: { after: 2030 },
				created: { after: 2 },
				removed: { after: 0 },
				format: { after: 'csv' }
			});
		});

		it('the same file again changes nothing and is not audited', async () => {
			const file = csv(`Y-1,${a},事项一,approval,3,5,,`, `Y-2,${a},事项二,service,0,,,`);
			expect(
				await handbook.importFile(t.db, file, { year: 2031, locale: en }, testActor)
			).toMatchObject({
				ok: true,
				created: 2
			});
			const before = await auditCount(t.db);
			const again = await handbook.importFile(t.db, file, { year: 2031, locale: en }, testActor);
			expect(again).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 2, removed: 0 });
			expect(await auditCount(t.db)).toBe(before);
		});

		it('replaces the year as a whole: new, changed and no longer listed items; other years untouched', async () => {
			const year = 2032;
			await handbook.importFile(
				t.db,
				csv(`R-1,${a},一,approval,3,,,`, `R-2,${a},二,approval,4,,,`, `R-3,${b},三,service,0,,,`),
				{ year, locale: en },
				testActor
			);
			const other = await stored(t.db, 2031);
			const result = await handbook.importFile(
				t.db,
				csv(`R-2,${a},二,approval,2,,,`, `R-4,${b},四,service,0,,,`),
				{ year, locale: en },
				testActor
			);
			expect(result).toMatchObject({ ok: true, rows: 2, created: 1, updated: 1, removed: 2 });
			expect((await stored(t.db, year)).map((i) => [i.itemCode, i.promised, i.position])).toEqual([
				['R-2', 2, 1],
				['R-4', 0, 2]
			]);
			expect(await stored(t.db, 2031)).toEqual(other);
		});

		it('a file only dropping items is a change, audited', async () => {
			const year = 2033;
			await handbook.importFile(
				t.db,
				csv(`D-1,${a},一,approval,3,,,`, `D-2,${a},二,approval,4,,,`),
				{ year, locale: en },
				testActor
			);
			const before = await auditCount(t.db);
			const result = await handbook.importFile(
				t.db,
				csv(`D-1,${a},一,approval,3,,,`),
				{ year, locale: en },
				testActor
			);
			expect(result).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 1, removed: 1 });
			expect(await auditCount(t.db)).toBe(before + 1);
		});

		it('reads an Excel workbook with the Chinese headers', async () => {
			const bytes = await xlsx([
				[
					'事项编码',
					'部门代码',
					'事项名称',
					'事项类型',
					'承诺时限（工作日）',
					'法定时限（工作日）',
					'前置条件',
					'设定依据'
				],
				['W-1', a, '户籍迁入', '服务', 0, 10, '身份证；户口簿', ''],
				['W-2', b, '排污许可', '审批', 10, 20, '', '《排污许可管理条例》']
			]);
			const result = await handbook.importFile(t.db, bytes, { year: 2034, locale: en }, testActor);
			expect(result).toMatchObject({ ok: true, created: 2 });
			expect((await stored(t.db, 2034)).map((i) => [i.itemCode, i.kind, i.promised])).toEqual([
				['W-1', 'service', 0],
				['W-2', 'approval', 10]
			]);
		});

		it('refuses a file with bad rows as a whole, every problem by line and column, in the reader’s language', async () => {
			const year = 2032;
			const before = await stored(t.db, year);
			const audits = await auditCount(t.db);
			const bad = csv(
				`B-1,${a},好的事项,approval,3,,,`,
				`B-2,no-such-dept,事项,approval,3,,,`,
				`B-3,${a},,licence,abc,,,`,
				`B-4,${a},事项,service,30,20,,`,
				`B-1,${a},重复,approval,3,,,`
			);
			const result = await handbook.importFile(t.db, bad, { year, locale: en }, testActor);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			const problems = result.errors.map((e) => [e.line, e.column]);
			expect(problems).toEqual([
				[3, 'department_code'],
				[4, 'item_name'],
				[4, 'kind'],
				[4, 'promised_working_days'],
				[5, 'promised_working_days'],
				[6, 'item_code']
			]);
			expect(result.errors.find((e) => e.line === 5)!.message).toContain('statutory');
			expect(await stored(t.db, year)).toEqual(before);
			expect(await auditCount(t.db)).toBe(audits);

			const zh = await handbook.importFile(t.db, bad, { year, locale: 'zh-CN' }, testActor);
			expect(zh.ok).toBe(false);
			if (!zh.ok) expect(zh.errors.find((e) => e.line === 5)!.message).toContain('法定时限');
		});

		it('refuses a file without items, and a year out of range', async () => {
			const empty = await handbook.importFile(t.db, csv(), { year: 2032, locale: en }, testActor);
			expect(empty).toMatchObject({ ok: false, errors: [{ line: 0 }] });
			expect((await stored(t.db, 2032)).length).toBe(2);
			const year = await handbook.importFile(
				t.db,
				csv(`Z-1,${a},一,approval,3,,,`),
				{ year: 1800, locale: en },
				testActor
			);
			expect(year).toMatchObject({ ok: false, errors: [{ line: 0, column: 'year' }] });
		});

		it('lists the editions with their counts, and an edition’s items filtered and paged', async () => {
			const list = await handbook.editions(t.db);
			expect(list.map((e) => e.year)).toEqual([2034, 2033, 2032, 2031, 2030]);
			expect(list.find((e) => e.year === 2030)).toMatchObject({
				items: 2,
				instant: 1,
				departments: 2
			});
			const page = await handbook.items(t.db, 2030, { kind: 'approval' }, 1, 10);
			expect(page.total).toBe(1);
			expect(page.rows[0]).toMatchObject({ itemCode: 'X-1', instant: false, departmentCode: a });
			const found = await handbook.items(t.db, 2030, { q: '食品' }, 1, 10);
			expect(found.rows.map((r) => [r.itemCode, r.instant])).toEqual([['X-2', true]]);
			expect((await handbook.items(t.db, 2030, { instantOnly: true }, 1, 10)).total).toBe(1);
			expect((await handbook.items(t.db, 2030, { departmentCode: b }, 1, 10)).total).toBe(1);
			expect((await handbook.items(t.db, 1999, {}, 1, 10)).total).toBe(0);
			const sections = await handbook.sections(t.db, 2030);
			expect(sections.map((s) => [s.code, s.items.length])).toEqual([
				[b, 1],
				[a, 1]
			]);
		});
	});

	describe('command line', () => {
		let dir: string;
		beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pingyi-handbook-'))));
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		it('`import handbook FILE --year Y` replaces the year and says what it removed', async () => {
			const first = join(dir, 'first.csv');
			writeFileSync(first, csv(`K-1,${a},一,approval,3,,,`, `K-2,${a},二,service,0,,,`));
			const done = await runCli(t.handle, ['import', 'handbook', first], { year: '2035' });
			expect(done.json).toMatchObject({ kind: 'handbook', year: 2035, created: 2, removed: 0 });
			const second = join(dir, 'second.csv');
			writeFileSync(second, csv(`K-1,${a},一,approval,3,,,`));
			const again = await runCli(t.handle, ['import', 'handbook', second], { year: '2035' });
			expect(again.json).toMatchObject({ unchanged: 1, removed: 1 });
			expect(again.text.at(-1)).toContain('1 items');
			expect((await stored(t.db, 2035)).map((i) => i.itemCode)).toEqual(['K-1']);
		});

		it('refuses without a year, and a bad file with its rows', async () => {
			const file = join(dir, 'bad.csv');
			writeFileSync(file, csv(`K-9,nowhere,一,approval,3,,,`));
			expect((await cliRefusal(runCli(t.handle, ['import', 'handbook', file]))).code).toBe(
				'missing_option'
			);
			const refused = await cliRefusal(
				runCli(t.handle, ['import', 'handbook', file], { year: '2035' })
			);
			expect(refused.code).toBe('invalid_rows');
			expect((await stored(t.db, 2035)).map((i) => i.itemCode)).toEqual(['K-1']);
		});
	});

	it('the instant rule in SQL is the domain’s', async () => {
		const days = [0, 1, 2, 5, 30, 999];
		const found = await rows<{ days: number; instant: boolean }>(
			t.db,
			sql`select d as days, ${handbook.instantSql(sql`d`)} as instant
				from unnest(${sql.raw(`array[${days.join(',')}]`)}::int[]) as d`
		);
		expect(found.map((r) => [r.days, r.instant])).toEqual(days.map((d) => [d, isInstant(d)]));
	});

	describe('reform statistics', () => {
		beforeAll(async () => {
			// 2040: A has 3 items (one instant), B has 1. 2041: A 2, B 2, C 1 (three instant).
			await handbook.importFile(
				t.db,
				csv(
					`A-1,${a},一,approval,10,,p1;p2,`,
					`A-2,${a},二,service,0,,p1,`,
					`A-3,${a},三,approval,20,,p1;p2;p3,`,
					`B-1,${b},四,approval,15,,p1；p2,`
				),
				{ year: 2040, locale: en },
				testActor
			);
			await handbook.importFile(
				t.db,
				csv(
					`A-1,${a},一,approval,5,,p1,`,
					`A-2,${a},二,service,0,,,`,
					`B-1,${b},四,approval,0,,p1,`,
					`B-2,${b},五,service,3,,p1;p2,`,
					`C-1,${c},六,service,0,,,`
				),
				{ year: 2041, locale: en },
				testActor
			);
		});

		it('counts items, prerequisites, promised days and instant items of both editions', async () => {
			const r = await handbook.reform(t.db, 2040, 2041);
			expect(r.total).toEqual({
				items: { from: 4, to: 5, change: 1, percent: 25 },
				prerequisites: { from: 8, to: 4, change: -4, percent: -50 },
				promisedDays: { from: 45, to: 8, change: -37, percent: -82.2 },
				instant: { from: 1, to: 3, change: 2, percent: 200 }
			});
			expect(
				r.departments.map((d) => [
					d.code,
					d.items.from,
					d.items.to,
					d.prerequisites.from,
					d.prerequisites.to,
					d.promisedDays.from,
					d.promisedDays.to,
					d.instant.from,
					d.instant.to
				])
			).toEqual([
				[a, 3, 2, 6, 1, 30, 5, 1, 1],
				[b, 1, 2, 2, 3, 15, 3, 0, 1],
				[c, 0, 1, 0, 0, 0, 0, 0, 1]
			]);
			expect(r.departments[0]!.items.percent).toBe(-33.3);
			expect(r.departments[2]!.items.percent).toBeNull();
		});

		it('an edition that does not exist counts as empty', async () => {
			const r = await handbook.reform(t.db, 2039, 2040);
			expect(r.total.items).toEqual({ from: 0, to: 4, change: 4, percent: null });
			const none = await handbook.reform(t.db, 2050, 2051);
			expect(none.total.items).toEqual({ from: 0, to: 0, change: 0, percent: null });
			expect(none.departments).toEqual([]);
		});
	});

	it('flags service cases promising other days than their item in the edition of their year', async () => {
		// 2041's edition: A-1 promises 5 days, A-2 is instant. 2040's: A-1 promised 10.
		const differs = await makeCase(t.db, {
			department: a,
			accepted: '2041-03-02 09:00',
			promised: 7,
			itemCode: 'A-1'
		});
		const agrees = await makeCase(t.db, {
			department: a,
			accepted: '2041-03-02 10:00',
			promised: 5,
			itemCode: 'A-1'
		});
		// Accepted at 00:30 on 1 January 2041 in Beijing (16:30 UTC on 31 December 2040): 2041's.
		const newYear = await makeCase(t.db, {
			department: a,
			accepted: '2041-01-01 00:30',
			promised: 10,
			itemCode: 'A-1'
		});
		const lastYear = await makeCase(t.db, {
			department: a,
			accepted: '2040-12-31 23:30',
			promised: 10,
			itemCode: 'A-1'
		});
		const unlisted = await makeCase(t.db, {
			department: a,
			accepted: '2041-03-02 11:00',
			promised: 9,
			itemCode: 'NOT-LISTED'
		});
		const all = await cases.list(
			t.db,
			{ year: 2041, departmentCode: a, today: '2041-12-31' },
			1,
			50
		);
		const byNo = new Map(all.rows.map((r) => [r.caseNo, r]));
		expect(byNo.get(differs.caseNo)).toMatchObject({ handbookDays: 5, promiseDiffers: true });
		expect(byNo.get(agrees.caseNo)).toMatchObject({ handbookDays: 5, promiseDiffers: false });
		expect(byNo.get(newYear.caseNo)).toMatchObject({ handbookDays: 5, promiseDiffers: true });
		expect(byNo.get(unlisted.caseNo)).toMatchObject({ handbookDays: null, promiseDiffers: false });
		const old = await cases.list(
			t.db,
			{ year: 2040, departmentCode: a, today: '2041-12-31' },
			1,
			50
		);
		expect(old.rows.find((r) => r.caseNo === lastYear.caseNo)).toMatchObject({
			handbookDays: 10,
			promiseDiffers: false
		});

		const flagged = await cases.list(
			t.db,
			{ promiseDiffers: true, departmentCode: a, today: '2041-12-31' },
			1,
			50
		);
		expect(flagged.rows.map((r) => r.caseNo).sort()).toEqual(
			[differs.caseNo, newYear.caseNo].sort()
		);
		expect(flagged.total).toBe(2);
	});
});
