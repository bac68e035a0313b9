// The departments file: all or nothing, every bad row reported with line and column in the
// user's language, idempotent, GBK or UTF-8, categories and exemptions from the given year on.
import { readFileSync } from 'node:fs';
import { asc, count, eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import {
	auditEntry,
	department,
	departmentCategoryHistory,
	departmentExemption
} from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import { importDepartments } from '$lib/server/departments/import';
import { sha256Hex } from '$lib/server/imports/csv';
import { describeEachDatabase } from '../helpers/db';
import { testActor } from '../factories';

const fixture = (name: string) =>
	new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');
const HEADER = 'code,name_zh,name_en,category,superior_authority,exempt_years';

/** Everything an import may touch, to compare before and after. */
async function snapshot(db: Database) {
	const [departmentsRows, categories, exemptions, [entries]] = await Promise.all([
		db.select().from(department).orderBy(asc(department.id)),
		db
			.select()
			.from(departmentCategoryHistory)
			.orderBy(
				asc(departmentCategoryHistory.departmentId),
				asc(departmentCategoryHistory.fromYear)
			),
		db
			.select()
			.from(departmentExemption)
			.orderBy(asc(departmentExemption.departmentId), asc(departmentExemption.year)),
		db.select({ n: count() }).from(auditEntry)
	]);
	return { departmentsRows, categories, exemptions, auditEntries: entries!.n };
}

const run = (db: Database, bytes: Uint8Array, year = 2025, locale: 'zh-CN' | 'en' = 'en') =>
	importDepartments(db, bytes, { year, locale }, testActor);

describeEachDatabase('department import', (t) => {
	it('imports the sample file: departments, categories, exemptions, audit entries', async () => {
		const bytes = fixture('departments-good.csv');
		const before = await snapshot(t.db);
		const result = await run(t.db, bytes);
		expect(result).toEqual({
			ok: true,
			rows: 7,
			created: 7,
			updated: 0,
			unchanged: 0,
			sha256: sha256Hex(bytes)
		});

		const gtj = await departments.getByCode(t.db, 'gtj');
		expect(gtj).toMatchObject({
			nameZh: '市国土资源局',
			nameEn: 'Land and Resources Bureau',
			superiorAuthority: '三明市国土资源局'
		});
		expect(gtj?.categories).toEqual([{ fromYear: 2025, category: 'vertical' }]);
		// Listed years before the import's year are added too.
		expect(gtj?.exemptions.map((e) => e.year)).toEqual([2005, 2004]);
		expect((await departments.getByCode(t.db, 'hbj'))?.nameEn).toBe(
			'Environmental Protection Bureau'
		);

		const after = await snapshot(t.db);
		expect(after.departmentsRows).toHaveLength(before.departmentsRows.length + 7);
		const entries = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.entity, 'department'))
			.orderBy(asc(auditEntry.seq));
		expect(entries.map((e) => e.action)).toEqual([
			...Array(7).fill('department.create'),
			'departments.import'
		]);
		expect(entries.find((e) => e.entityId === 'gtj')!.changes).toMatchObject({
			code: { before: null, after: 'gtj' },
			categories: { before: null, after: [{ fromYear: 2025, category: 'vertical' }] },
			exemptYears: { before: null, after: [2004, 2005] }
		});
		expect(entries.at(-1)!.changes).toMatchObject({
			sha256: { before: null, after: sha256Hex(bytes) },
			rows: { before: null, after: 7 },
			created: { before: null, after: 7 },
			updated: { before: null, after: 0 },
			year: { before: null, after: 2025 }
		});
	});

	it('changes nothing the second time: no data change, no audit entry', async () => {
		const bytes = fixture('departments-good.csv');
		const before = await snapshot(t.db);
		const result = await run(t.db, bytes);
		expect(result).toMatchObject({ ok: true, rows: 7, created: 0, updated: 0, unchanged: 7 });
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('adds no category row for a later year when the category in force is the same', async () => {
		const before = await snapshot(t.db);
		const result = await run(t.db, fixture('departments-good.csv'), 2026);
		expect(result).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 7 });
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('reads a GBK file as Excel on a Chinese Windows saves it', async () => {
		const text = [HEADER, 'tjj,市统计局,Statistics Bureau,municipal,,', ''].join('\r\n');
		const bytes = new Uint8Array(iconv.encode(text, 'gbk'));
		const result = await run(t.db, bytes);
		expect(result).toMatchObject({ ok: true, created: 1 });
		expect((await departments.getByCode(t.db, 'tjj'))?.nameZh).toBe('市统计局');
	});

	it('writes nothing when any row is bad, and reports every bad row with line and column', async () => {
		const before = await snapshot(t.db);
		const bytes = csv(
			HEADER, // 1
			'ok1,好部门,Good Department,municipal,,', // 2: fine, but must not be written either
			'b1,,No Chinese Name,municipal,,', // 3: name_zh empty
			'b2,部门,Dept,federal,,', // 4: bad category
			'b3,部门,Dept,vertical,,', // 5: vertical without superior authority
			'b4,部门,Dept,municipal,某上级,', // 6: municipal with one
			'b5,部门,Dept,municipal,,2004;20x5;1800', // 7: two bad exempt years
			'ok1,重复,Duplicate,municipal,,', // 8: code already on line 2
			'b 6,部门,Dept,municipal,,', // 9: bad code
			'b7,部门,"Dept,', // 10: a quoted name over two lines, then too many cells
			'more",municipal,,,extra',
			',部门,Dept,,,' // 12: no code, no category
		);
		const result = await run(t.db, bytes);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.rows).toBe(10);
		expect(result.sha256).toBe(sha256Hex(bytes));
		expect(result.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'name_zh'],
			[4, 'category'],
			[5, 'superior_authority'],
			[6, 'superior_authority'],
			[7, 'exempt_years'],
			[7, 'exempt_years'],
			[8, 'code'],
			[9, 'code'],
			[10, '#7'],
			[12, 'code'],
			[12, 'category']
		]);
		const messages = result.errors.map((e) => e.message);
		expect(messages[1]).toBe('“federal” is not one of: municipal (市直部门), vertical (垂管部门)');
		expect(messages[4]).toContain('20x5');
		expect(messages[5]).toContain('1800');
		expect(messages[6]).toBe('“ok1” repeats line 2');
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('reports in the requested language', async () => {
		const bytes = fixture('departments-bad-row.csv');
		const en = await run(t.db, bytes, 2025, 'en');
		const zh = await run(t.db, bytes, 2025, 'zh-CN');
		expect(en).toMatchObject({
			ok: false,
			rows: 3,
			errors: [
				{
					line: 3,
					column: 'category',
					message: '“federal” is not one of: municipal (市直部门), vertical (垂管部门)'
				}
			]
		});
		expect(zh).toMatchObject({
			ok: false,
			errors: [
				{
					line: 3,
					column: 'category',
					message: '“federal”不是可选值之一：municipal (市直部门), vertical (垂管部门)'
				}
			]
		});
		// The good rows of that file were not written.
		expect(await departments.getByCode(t.db, 'wjj')).toBeNull();
		expect(await departments.getByCode(t.db, 'rsj')).toBeNull();
	});

	it('reports header problems on line 1 and reads no row', async () => {
		const result = await run(
			t.db,
			csv('code,name_zh,category,colour', 'x1,部门,municipal,red'),
			2025,
			'zh-CN'
		);
		expect(result).toMatchObject({
			ok: false,
			rows: 0,
			errors: [
				{ line: 1, column: 'colour' },
				{ line: 1, column: 'name_en', message: '缺少列“name_en”。' },
				{ line: 1, column: 'superior_authority' },
				{ line: 1, column: 'exempt_years' }
			]
		});
		expect(await departments.getByCode(t.db, 'x1')).toBeNull();
	});

	it('refuses a year out of range', async () => {
		const result = await run(t.db, fixture('departments-good.csv'), 1800);
		expect(result).toMatchObject({ ok: false, errors: [{ column: 'year' }] });
	});

	it('applies a category change from a later year and keeps the earlier history', async () => {
		// gtj: vertical from 2025 (first test); from 2027 municipal, exempt in 2004 only.
		const bytes = csv(HEADER, 'gtj,市自然资源局,Natural Resources Bureau,municipal,,2004');
		const result = await run(t.db, bytes, 2027);
		expect(result).toMatchObject({ ok: true, rows: 1, created: 0, updated: 1, unchanged: 0 });
		const gtj = await departments.getByCode(t.db, 'gtj');
		expect(gtj).toMatchObject({ nameZh: '市自然资源局', superiorAuthority: null });
		expect(gtj?.categories).toEqual([
			{ fromYear: 2027, category: 'municipal' },
			{ fromYear: 2025, category: 'vertical' }
		]);
		expect(await departments.categoryFor(t.db, gtj!.id, 2026)).toBe('vertical');
		expect(await departments.categoryFor(t.db, gtj!.id, 2027)).toBe('municipal');
		// Years before 2027 are not the file's business: 2005 stays although unlisted.
		expect(gtj?.exemptions.map((e) => e.year)).toEqual([2005, 2004]);

		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'department.update'));
		expect(entry!.entityId).toBe('gtj');
		expect(entry!.changes).toEqual({
			nameZh: { before: '市国土资源局', after: '市自然资源局' },
			nameEn: { before: 'Land and Resources Bureau', after: 'Natural Resources Bureau' },
			superiorAuthority: { before: '三明市国土资源局', after: null },
			categories: {
				before: [{ fromYear: 2025, category: 'vertical' }],
				after: [
					{ fromYear: 2025, category: 'vertical' },
					{ fromYear: 2027, category: 'municipal' }
				]
			}
		});
		// The same file again: nothing.
		expect(await run(t.db, bytes, 2027)).toMatchObject({ ok: true, updated: 0, unchanged: 1 });
	});

	it('makes the exemptions of the year and later exactly the listed ones', async () => {
		await t.db.transaction(async (tx) => {
			await departments.addExemption(tx, 'mzj', { year: 2025, reason: '试点' }, testActor);
			await departments.addExemption(tx, 'mzj', { year: 2030 }, testActor);
			await departments.addExemption(tx, 'mzj', { year: 2026, reason: '保留原因' }, testActor);
		});
		// Before: 2004 (from the sample), 2025, 2026, 2030. The file lists 2024 and 2026.
		const result = await run(
			t.db,
			csv(HEADER, 'mzj,市民政局,Civil Affairs Bureau,municipal,,2026；2024'),
			2025
		);
		expect(result).toMatchObject({ ok: true, updated: 1 });
		const mzj = await departments.getByCode(t.db, 'mzj');
		expect(mzj?.exemptions).toEqual([
			{ year: 2026, reason: '保留原因' },
			{ year: 2024, reason: null },
			{ year: 2004, reason: null }
		]);
		const [last] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.entityId, 'mzj'))
			.orderBy(asc(auditEntry.seq))
			.then((r) => r.slice(-1));
		expect(last!.changes).toEqual({
			exemptYears: { before: [2004, 2025, 2026, 2030], after: [2004, 2024, 2026] }
		});
	});

	it('leaves the audit chain intact', async () => {
		expect(await audit.verify(t.db)).toMatchObject({ ok: true, firstBroken: null });
	});
});
