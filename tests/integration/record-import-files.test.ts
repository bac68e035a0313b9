// What Excel and careless hands do to a record file, for every kind of record file: an XLSX
// workbook read directly, Chinese headers and values, a file that is no table at all, bytes that
// are not text, and files too wide, too large or too bad to list every problem of. Each is
// either read as the clerk meant it or refused with a clear message, line and column — never
// a 500, never a silent change, never a 184 MB error page.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq, like } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageOf } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';
import { ApiError } from '$lib/server/api';
import { recordsResponse } from '$lib/server/api/records';
import * as calendar from '$lib/server/calendar';
import { holidaysImport } from '$lib/server/calendar/import';
import * as cases from '$lib/server/cases';
import * as complaints from '$lib/server/complaints';
import type { Database } from '$lib/server/db';
import {
	auditEntry,
	complaint,
	department,
	enterprise,
	finding,
	serviceCase
} from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import { departmentsImport, importDepartments } from '$lib/server/departments/import';
import * as enterprises from '$lib/server/enterprises';
import { enterprisesImport } from '$lib/server/enterprises/import';
import * as findings from '$lib/server/findings';
import { findingsImport } from '$lib/server/findings/import';
import { MAX_COLUMNS, MAX_ROW_ERRORS, REFERENCE_FILE_MAX_BYTES } from '$lib/server/imports/limits';
import { CliError } from '../../scripts/cli/command';
import { runCli } from '../helpers/cli';
import { describeEachDatabase } from '../helpers/db';
import { adminReader, testActor } from '../factories';

const utf8 = (text: string) => new TextEncoder().encode(text);
const csv = (...lines: string[]) => utf8(lines.join('\n') + '\n');
const concat = (...parts: (Uint8Array | number[])[]) =>
	new Uint8Array(parts.flatMap((p) => [...p]));

/** A workbook with `rows` on its first sheet (and a decoy second sheet), as Excel saves it. */
async function xlsx(rows: unknown[][], decorate?: (sheet: ExcelJS.Worksheet) => void) {
	const wb = new ExcelJS.Workbook();
	const sheet = wb.addWorksheet('数据');
	for (const r of rows) sheet.addRow(r);
	decorate?.(sheet);
	wb.addWorksheet('说明').addRow(['这一页不是数据', 'not data']);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A wall-clock time as exceljs writes a date cell (its UTC fields are what the cell shows). */
const cellDate = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
	new Date(Date.UTC(y, mo - 1, d, h, mi, s));

const kinds = [
	['departments', departmentsImport, { year: 2026 }],
	['enterprises', enterprisesImport, {}],
	['holidays', holidaysImport, {}],
	['findings', findingsImport, {}],
	['cases', cases.casesImport, {}],
	['complaints', complaints.complaintsImport, {}]
] as const;

/** Runs the importer of `kind` on `bytes`. */
function importAs(
	db: Database,
	kind: (typeof kinds)[number],
	bytes: Uint8Array,
	locale: Locale = 'en'
) {
	const [, importer, options] = kind;
	return importer.importFile(db, bytes, { locale, ...options } as never, testActor);
}

async function rowCounts(db: Database) {
	const counts = await Promise.all(
		[department, enterprise, finding, serviceCase, complaint, auditEntry].map(async (t) => {
			const [r] = await db.select({ n: count() }).from(t);
			return r!.n;
		})
	);
	return counts;
}

describeEachDatabase('record files as Excel leaves them', (t) => {
	/** A departments file imported for 2026, messages in English. */
	const importDeps = (bytes: Uint8Array) =>
		importDepartments(t.db, bytes, { year: 2026, locale: 'en' }, testActor);

	beforeAll(async () => {
		await importDeps(
			csv(
				'code,name_zh,name_en,category,superior_authority,exempt_years',
				'xl-a,市财政局,Finance Bureau,municipal,,',
				'xl-b,市税务局,Tax Bureau,vertical,省税务局,'
			)
		);
	});

	it('reads an XLSX departments file: Chinese headers and categories, numbers as years', async () => {
		const bytes = await xlsx([
			['部门代码', '中文名称', '英文名称', '类别', '上级主管部门', '免评年度'],
			['xl-c', '市气象局', 'Meteorological Bureau', '垂管部门', '省气象局', 2025],
			['xl-d', '市档案馆', 'Archives', '市直部门', null, '2024；2025']
		]);
		const result = await importDeps(bytes);
		expect(result).toMatchObject({ ok: true, rows: 2, created: 2 });
		const c = await departments.getByCode(t.db, 'xl-c');
		expect(c).toMatchObject({ nameZh: '市气象局', superiorAuthority: '省气象局' });
		expect(c?.categories).toEqual([{ fromYear: 2026, category: 'vertical' }]);
		expect(c?.exemptions.map((e) => e.year)).toEqual([2025]);
		const d = await departments.getByCode(t.db, 'xl-d');
		expect(d?.categories).toEqual([{ fromYear: 2026, category: 'municipal' }]);
		expect(d?.exemptions.map((e) => e.year)).toEqual([2025, 2024]);
		// The import's audit entry says what was read.
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'departments.import'))
			.orderBy(auditEntry.seq)
			.then((r) => r.slice(-1));
		expect(entry!.changes).toMatchObject({ format: { after: 'xlsx' }, rows: { after: 2 } });
		// The same workbook again changes nothing.
		expect(await importDeps(bytes)).toMatchObject({
			ok: true,
			unchanged: 2
		});
	});

	it('reads XLSX enterprises, holidays and findings: date cells, numbers, Chinese values', async () => {
		const ent = await enterprisesImport.importFile(
			t.db,
			await xlsx([
				['统一社会信用代码', '企业名称', '地址', '乡镇', '联系人', '联系电话'],
				// A phone typed as a number: no float noise, no exponent.
				[
					'91350100M000100Y43',
					'永安市星辰机械有限公司',
					'燕西街道工业路8号',
					'燕西街道',
					'张三',
					13812345678
				]
			]),
			{ locale: 'en' },
			testActor
		);
		expect(ent).toMatchObject({ ok: true, created: 1 });
		expect(await enterprises.getByUscc(t.db, '91350100M000100Y43')).toMatchObject({
			contactPhone: '13812345678'
		});

		const days = await holidaysImport.importFile(
			t.db,
			await xlsx([
				['日期', '类型'],
				[cellDate(2031, 10, 1), '节假日'],
				[cellDate(2031, 10, 11), '调休上班'],
				// A date typed as text the way Excel re-saves CSV dates.
				['2031/10/2', 'holiday']
			]),
			{ locale: 'en' },
			testActor
		);
		expect(days).toMatchObject({ ok: true, created: 3 });
		expect(await calendar.listYear(t.db, 2031)).toEqual([
			{ date: '2031-10-01', kind: 'holiday' },
			{ date: '2031-10-02', kind: 'holiday' },
			{ date: '2031-10-11', kind: 'workday' }
		]);

		const found = await findingsImport.importFile(
			t.db,
			await xlsx([
				['编号', '部门代码', '日期', '来源', '分值', '状态', '描述'],
				[
					'XL-F1',
					'xl-a',
					cellDate(2026, 3, 12),
					'明察暗访',
					-1.5,
					'已确认',
					'窗口无人\t值守\n两次'
				],
				// 0.1 + 0.2 in a formula: 0.30000000000000004 in binary, 0.3 as Excel shows it.
				[
					'XL-F2',
					'xl-b',
					cellDate(2026, 3, 13),
					'专项督查',
					{ formula: '0.1+0.2', result: 0.1 + 0.2 },
					'有异议',
					'说明'
				]
			]),
			{ locale: 'en' },
			testActor
		);
		expect(found).toMatchObject({ ok: true, created: 2 });
		expect(await findings.get(t.db, adminReader, 'XL-F1')).toMatchObject({
			date: '2026-03-12',
			source: 'undercover_visit',
			status: 'confirmed',
			// Tabs and line breaks are fine in free text.
			description: '窗口无人\t值守\n两次'
		});
		expect((await findings.get(t.db, adminReader, 'XL-F2'))?.points).toBe('0.30');
	});

	it('reads XLSX cases and complaints: date-time cells, bare dates as midnight, 是/否, 属实', async () => {
		const caseResult = await cases.importFile(
			t.db,
			await xlsx(
				[
					[
						'办件编号',
						'部门代码',
						'事项编码',
						'事项名称',
						'受理时间',
						'办结时间',
						'承诺时限（工作日）'
					],
					[
						'XL-C1',
						'xl-a',
						'XK-1',
						'登记',
						cellDate(2026, 3, 2, 7, 15, 0),
						cellDate(2026, 3, 5),
						5
					],
					// A bare date in a date-time column: midnight, Beijing time.
					['XL-C2', 'xl-b', 'XK-2', '许可', '2026-03-02', null, 0]
				],
				(sheet) => {
					sheet.getCell('E2').numFmt = 'yyyy-mm-dd hh:mm';
					sheet.getCell('F2').numFmt = 'yyyy-mm-dd';
				}
			),
			{ locale: 'en' },
			testActor
		);
		expect(caseResult).toMatchObject({ ok: true, created: 2 });
		const stored = await t.db
			.select()
			.from(serviceCase)
			.where(like(serviceCase.caseNo, 'XL-%'))
			.orderBy(serviceCase.caseNo);
		expect(
			stored.map((c) => [c.acceptedAt.toISOString(), c.completedAt?.toISOString() ?? null])
		).toEqual([
			['2026-03-01T23:15:00.000Z', '2026-03-04T16:00:00.000Z'],
			['2026-03-01T16:00:00.000Z', null]
		]);

		const complaintResult = await complaints.importFile(
			t.db,
			await xlsx([
				[
					'投诉编号',
					'部门代码',
					'受理时间',
					'渠道',
					'类别',
					'结论',
					'办结时间',
					'答复逾期',
					'摘要'
				],
				[
					'XL-T1',
					'xl-a',
					cellDate(2026, 3, 2, 9, 0),
					'热线',
					'效率',
					'部分属实',
					cellDate(2026, 3, 9, 17, 30),
					'是',
					'多次往返'
				],
				['XL-T2', 'xl-b', cellDate(2026, 3, 3, 9, 0), '网站', '态度', null, null, false, null]
			]),
			{ locale: 'en' },
			testActor
		);
		expect(complaintResult).toMatchObject({ ok: true, created: 2 });
		const [t1] = await t.db.select().from(complaint).where(eq(complaint.complaintNo, 'XL-T1'));
		expect(t1).toMatchObject({ verdict: 'partial', responseLate: true });
		expect(t1!.concludedAt!.toISOString()).toBe('2026-03-09T09:30:00.000Z');
	});

	it('accepts Chinese headers and values in a CSV too, and codes in any case', async () => {
		const result = await importDeps(
			csv(
				'部门代码,中文名称,英文名称,类别,上级主管部门,免评年度',
				'xl-e,市地震局,Seismological Bureau,VERTICAL,省地震局,'
			)
		);
		expect(result).toMatchObject({ ok: true, created: 1 });
		// An English label is a sentence, not a value: files use the codes or the Chinese labels.
		const refused = await importDeps(
			csv(
				'code,name_zh,name_en,category,superior_authority,exempt_years',
				'xl-f,甲,A,Municipal department,,'
			)
		);
		expect(refused).toMatchObject({ ok: false, errors: [{ line: 2, column: 'category' }] });
	});

	describe('a file that is not a table at all', () => {
		const zipOf = async (name: string) => {
			// A .docx-like zip: Office Open XML, but no workbook in it.
			const wb = await xlsx([['x']]);
			const text = new TextDecoder('latin1').decode(wb).replaceAll('xl/', name.slice(0, 3));
			return new Uint8Array([...text].map((c) => c.charCodeAt(0)));
		};
		const png = concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], new Uint8Array(64));
		const pdf = utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n');
		const xls = concat([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Uint8Array(504));
		const gzip = concat([0x1f, 0x8b, 0x08, 0x00], new Uint8Array(40).fill(7));
		const unknownBinary = new Uint8Array(600).map((_, i) => (i * 37) % 256);

		it.each([
			['a PNG picture', () => png],
			['a PDF', () => pdf],
			['an old .xls', () => xls],
			['a gzip archive', () => gzip],
			['a zip that is no workbook', () => zipOf('wd/')],
			['a damaged workbook', async () => (await xlsx([['a']])).subarray(0, 300)],
			['binary bytes of no known kind', () => unknownBinary]
		])('refuses %s for every kind of file, saying how to save a CSV', async (_name, make) => {
			const bytes = await make();
			const before = await rowCounts(t.db);
			for (const kind of kinds) {
				for (const locale of ['en', 'zh-CN'] as const) {
					const result = await importAs(t.db, kind, bytes, locale);
					expect(result, kind[0]).toMatchObject({
						ok: false,
						rows: 0,
						moreErrors: 0,
						errors: [{ line: 0, column: '', message: messageOf('file_not_a_table', {}, locale) }]
					});
				}
			}
			expect(messageOf('file_not_a_table', {}, 'en')).toContain('CSV UTF-8');
			expect(messageOf('file_not_a_table', {}, 'zh-CN')).toContain('另存为');
			expect(await rowCounts(t.db)).toEqual(before);
		});
	});

	describe('bytes that are not acceptable text', () => {
		/** The problem of a forbidden character `char` at `position` in a cell. */
		const forbidden = (line: number, column: string, position: number, char: string) => ({
			line,
			column,
			message: messageOf('text_character', { position, char }, 'en')
		});
		const HEADER = 'code,name_zh,name_en,category,superior_authority,exempt_years';
		const row = (code: string, nameZh: number[] | string) =>
			concat(
				utf8(`${code},`),
				typeof nameZh === 'string' ? utf8(nameZh) : nameZh,
				utf8(',Name,municipal,,\n')
			);
		const refusal = async (bytes: Uint8Array) => {
			const before = await rowCounts(t.db);
			const result = await importDeps(bytes);
			expect(result.ok).toBe(false);
			expect(await rowCounts(t.db)).toEqual(before);
			return result.ok ? [] : result.errors;
		};

		it('reports invalid UTF-8 in a file with a BOM at its line, column and character', async () => {
			const errors = await refusal(
				concat(
					[0xef, 0xbb, 0xbf],
					utf8(HEADER + '\n'),
					row('bb-1', '市财政局'),
					row('bb-2', [...utf8('市'), 0xff, ...utf8('局')])
				)
			);
			expect(errors).toEqual([
				{ line: 3, column: 'name_zh', message: messageOf('text_unreadable', { position: 2 }, 'en') }
			]);
		});

		it('reports a damaged byte in a UTF-8 file without BOM (not read as GBK)', async () => {
			const good = Array.from({ length: 12 }, (_, i) => row(`u8-${i}`, '市财政局下属单位'));
			const errors = await refusal(
				concat(
					utf8(HEADER + '\n'),
					...good,
					row('u8-x', [...utf8('市'), 0xe5, 0xb8, ...utf8('局')])
				)
			);
			expect(errors).toEqual([
				{
					line: 14,
					column: 'name_zh',
					message: messageOf('text_unreadable', { position: 2 }, 'en')
				}
			]);
		});

		it('reports bytes that are neither UTF-8 nor GBK in a GBK file', async () => {
			const gbk = new Uint8Array(
				iconv.encode(`${HEADER}\ngb-1,市财政局,Finance,municipal,,\n`, 'gbk')
			);
			const errors = await refusal(concat(gbk, utf8('gb-2,'), [0xff], utf8(',Name,municipal,,\n')));
			expect(errors).toEqual([
				{ line: 3, column: 'name_zh', message: messageOf('text_unreadable', { position: 1 }, 'en') }
			]);
		});

		it('reports NUL and control characters with line, column and character, in any column', async () => {
			const errors = await refusal(
				concat(
					utf8(HEADER + '\n'),
					row('nul-1', [...utf8('市财'), 0x00, ...utf8('政局')]), // 2
					row('ctl-1', '市财政局\u0007'), // 3: BEL, after the text
					row('tab-1', '市\t财政局'), // 4: a tab is no part of a name
					utf8('nul\u00002,市局,Name,municipal,,\n'), // 5: in the code
					utf8('c1-1,市局,Name,municipal,,2025\u00852026\n') // 6: a C1 control (NEL)
				)
			);
			expect(errors).toEqual([
				forbidden(2, 'name_zh', 3, 'U+0000'),
				forbidden(3, 'name_zh', 5, 'U+0007'),
				forbidden(4, 'name_zh', 2, 'U+0009'),
				forbidden(5, 'code', 4, 'U+0000'),
				forbidden(6, 'exempt_years', 5, 'U+0085')
			]);
			expect(errors[0]!.message).toBe(
				'Character 3 (U+0000) is a control character or otherwise invalid, and cannot be imported.'
			);
		});

		it('refuses NUL and control characters in the API rows of cases with 422, row and column', async () => {
			const before = await rowCounts(t.db);
			const base = {
				case_no: 'API-NUL-1',
				department_code: 'xl-a',
				item_code: 'XK-1',
				item_name: '登记',
				accepted_at: '2026-03-02 09:00',
				completed_at: null,
				promised_working_days: 1
			};
			const result = await cases.upsertRows(
				t.db,
				[
					base,
					{ ...base, case_no: 'API-NUL-2', item_name: '登\u0000记' },
					{ ...base, case_no: 'API\u001b3' },
					{ ...base, case_no: 'API-4', item_code: 'X\ud800' }
				],
				{ locale: 'en', requestId: 'r-nul', sha256: 'x' },
				testActor
			);
			expect(result).toMatchObject({
				ok: false,
				errors: [
					forbidden(1, 'item_name', 2, 'U+0000'),
					forbidden(2, 'case_no', 4, 'U+001B'),
					forbidden(3, 'item_code', 2, 'U+D800')
				]
			});
			let error: unknown;
			try {
				recordsResponse(result, 'r-nul');
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(ApiError);
			expect((error as ApiError).status).toBe(422);
			expect((error as ApiError).details[0]).toMatchObject({
				path: '1.item_name',
				row: 1,
				column: 'item_name'
			});
			expect(await rowCounts(t.db)).toEqual(before);
		});
	});

	describe('limits', () => {
		let dir: string;
		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'pingyi-limits-'));
		});
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		it('refuses a header of a million columns at once, with one short message', async () => {
			const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',');
			const bytes = utf8(header + '\nx\n');
			expect(bytes.length).toBeGreaterThan(7_000_000);
			const started = performance.now();
			const result = await importDeps(bytes);
			expect(performance.now() - started).toBeLessThan(3_000);
			expect(result).toEqual({
				ok: false,
				rows: 0,
				moreErrors: 0,
				sha256: expect.any(String),
				errors: [
					{
						line: 1,
						column: '',
						message: messageOf(
							'header_too_many_columns',
							{ count: 1_000_000, max: MAX_COLUMNS },
							'en'
						)
					}
				]
			});
		});

		it('lists the first problems and counts the rest', async () => {
			const rows = Array.from({ length: 3_000 }, (_, i) => `ov-${i},,Name,federal,,`);
			const result = await importDeps(
				csv('code,name_zh,name_en,category,superior_authority,exempt_years', ...rows)
			);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.rows).toBe(3_000);
			expect(result.errors).toHaveLength(MAX_ROW_ERRORS);
			expect(result.moreErrors).toBe(6_000 - MAX_ROW_ERRORS);
			// The first ones, by line: two a row from line 2 on.
			expect(result.errors.slice(0, 3).map((e) => [e.line, e.column])).toEqual([
				[2, 'name_zh'],
				[2, 'category'],
				[3, 'name_zh']
			]);
			expect(result.errors.at(-1)!.line).toBe(501);
		});

		it('refuses a file over the size cap before reading it, on the page and the CLI', async () => {
			const big = new Uint8Array(REFERENCE_FILE_MAX_BYTES + 1).fill(0x61);
			for (const kind of kinds.filter(([k]) => k !== 'cases' && k !== 'complaints')) {
				const result = await importAs(t.db, kind, big);
				expect(result, kind[0]).toMatchObject({
					ok: false,
					rows: 0,
					errors: [{ line: 0, message: messageOf('file_too_large', { size: 20.1, max: 20 }, 'en') }]
				});
			}
			expect(cases.casesImport.maxBytes).toBeGreaterThan(REFERENCE_FILE_MAX_BYTES);

			// The CLI's `import departments` of a 246 MB file: refused from its size, not read.
			const file = join(dir, 'huge.csv');
			writeFileSync(file, 'code,name_zh,name_en,category,superior_authority,exempt_years\n');
			truncateSync(file, 246 * 1024 * 1024); // sparse: no 246 MB written to the disk
			const heapBefore = process.memoryUsage().arrayBuffers;
			await expect(
				runCli(t.handle, ['import', 'departments', file], { year: '2026' })
			).rejects.toMatchObject({
				code: 'file_too_large',
				message: messageOf('file_too_large', { size: 246, max: 20 }, 'en')
			});
			expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(100 * 1024 * 1024);
		});

		it('prints the first problems and how many more on the CLI', async () => {
			const file = join(dir, 'many-bad.csv');
			const rows = Array.from({ length: 1_500 }, (_, i) => `cli-${i},,Name,municipal,,`);
			writeFileSync(
				file,
				['code,name_zh,name_en,category,superior_authority,exempt_years', ...rows].join('\n')
			);
			let error: unknown;
			try {
				await runCli(t.handle, ['import', 'departments', file], { year: '2026' });
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(CliError);
			const e = error as CliError;
			expect(e.message).toContain('1500');
			expect(e.lines).toHaveLength(MAX_ROW_ERRORS + 1);
			expect(e.lines.at(-1)).toBe('  … and 500 more problems not listed.');
		});
	});
});
