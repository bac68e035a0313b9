// The pieces every import reads a file with: what a file is by its bytes, the text of an XLSX
// cell, what text a cell may hold, dates as Excel writes them, enumerated values by their
// Chinese labels, and decoding that never hides a bad byte.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { textProblem } from '$lib/domain/text';
import { YES_NO } from '$lib/enumerations';
import { messageOf } from '$lib/errors';
import { parseLocalDate, parseLocalDateTime } from '$lib/domain/time';
import { CALENDAR_KIND, holidayRowSchema, HOLIDAY_EXAMPLE } from '$lib/schemas/calendar';
import { CASE_EXAMPLE, caseRowSchema } from '$lib/schemas/cases';
import { COMPLAINT_EXAMPLE, complaintRowSchema, VERDICT } from '$lib/schemas/complaints';
import {
	DEPARTMENT_CATEGORY,
	DEPARTMENT_COLUMNS,
	DEPARTMENT_EXAMPLE,
	DEPARTMENT_HEADER_LABELS,
	departmentRowSchema
} from '$lib/schemas/departments';
import { ENTERPRISE_EXAMPLE, enterpriseRowSchema } from '$lib/schemas/enterprises';
import {
	FINDING_EXAMPLE,
	FINDING_SOURCE,
	findingRowSchema,
	IMPORTED_FINDING_STATUS
} from '$lib/schemas/findings';
import { decodeText } from '$lib/server/imports/csv';
import { readTable } from '$lib/server/imports/table';
import { sniff } from '$lib/server/imports/sniff';
import { asCsvSource, cellText, xlsxRows, xlsxToCsv } from '$lib/server/imports/xlsx';

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('sniff', () => {
	it.each([
		['a CSV', utf8('code,name_zh\nczj,市财政局\n'), 'csv'],
		['a CSV with a BOM', bytes(0xef, 0xbb, 0xbf, ...utf8('a,b\n')), 'csv'],
		['a GBK CSV', new Uint8Array(iconv.encode('代码,名称\n甲,乙\n', 'gbk')), 'csv'],
		[
			'a CSV with a stray NUL (refused later, with its line)',
			utf8('code,name\nx,a\u0000b\n'),
			'csv'
		],
		['an empty file', bytes(), 'csv'],
		['an XLSX (a zip)', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0), 'xlsx'],
		['an empty zip', bytes(0x50, 0x4b, 0x05, 0x06, 0, 0), 'xlsx'],
		['an old .xls', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0), 'not_a_table'],
		['a PDF', utf8('%PDF-1.4\n'), 'not_a_table'],
		['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'not_a_table'],
		['a JPEG', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'not_a_table'],
		['a GIF', utf8('GIF89a'), 'not_a_table'],
		['a WebP', utf8('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), 'not_a_table'],
		['UTF-16 text (Excel’s “Unicode text”)', bytes(0xff, 0xfe, 0x61, 0, 0x2c, 0), 'not_a_table'],
		[
			'UTF-16 without BOM',
			new Uint8Array(Buffer.from('code\tname\nx\ty\n', 'utf16le')),
			'not_a_table'
		],
		['bytes of no known kind', new Uint8Array(512).map((_, i) => (i * 31) % 256), 'not_a_table']
	])('%s is %s', (_name, head, kind) => {
		expect(sniff(head)).toBe(kind);
	});
});

describe('XLSX cells as text', () => {
	it.each([
		[null, ''],
		[undefined, ''],
		['市财政局', '市财政局'],
		[0.1 + 0.2, '0.3'],
		[-1.5, '-1.5'],
		[13812345678, '13812345678'],
		[2025, '2025'],
		[true, 'true'],
		[false, 'false'],
		[new Date(Date.UTC(2026, 2, 2)), '2026-03-02'],
		[new Date(Date.UTC(2026, 2, 2, 7, 15, 0)), '2026-03-02 07:15:00'],
		// Excel keeps times as fractions of a day: 09:30:15 comes back a hair early.
		[new Date(Date.UTC(2026, 2, 2, 9, 30, 14, 999)), '2026-03-02 09:30:15'],
		[{ richText: [{ text: '市' }, { text: '财政局' }] }, '市财政局'],
		[{ formula: '0.1+0.2', result: 0.1 + 0.2 }, '0.3'],
		[{ formula: 'TODAY()', result: new Date(Date.UTC(2026, 0, 5)) }, '2026-01-05'],
		[{ sharedFormula: 'A1', result: 'x' }, 'x'],
		[{ text: '官网', hyperlink: 'https://example.org' }, '官网'],
		[{ error: '#N/A' }, '#N/A']
	])('%j reads as %j', (value, text) => {
		expect(cellText(value)).toBe(text);
	});

	it('reads the first tab of a workbook, with its row numbers, and writes it as CSV', async () => {
		const wb = new ExcelJS.Workbook();
		const first = wb.addWorksheet('名单');
		first.addRow(['code', 'name']);
		first.addRow(['a,1', '引号"内']);
		first.addRow([]);
		first.addRow(['b', 2, null, null]);
		wb.addWorksheet('other').addRow(['not', 'this']);
		const file = new Uint8Array(await wb.xlsx.writeBuffer());
		const rows = [];
		for await (const r of xlsxRows(file)) rows.push(r);
		expect(rows).toEqual([
			{ line: 1, cells: ['code', 'name'] },
			{ line: 2, cells: ['a,1', '引号"内'] },
			{ line: 4, cells: ['b', '2'] }
		]);
		let text = '';
		for await (const chunk of xlsxToCsv(file)) text += new TextDecoder().decode(chunk);
		// A blank line for the blank row: line numbers stay the sheet's row numbers.
		expect(text).toBe('code,name\n"a,1","引号""内"\n\nb,2\n');
	});

	it('hands a reader of CSV streams a CSV as it is, a workbook as CSV, and refuses the rest', async () => {
		const csvBytes = utf8('a,b\n1,2\n');
		expect(asCsvSource(csvBytes)).toBe(csvBytes);
		const wb = new ExcelJS.Workbook();
		wb.addWorksheet('s').addRow(['a', 'b']);
		const source = asCsvSource(new Uint8Array(await wb.xlsx.writeBuffer()));
		let text = '';
		for await (const chunk of source as AsyncIterable<Uint8Array>)
			text += new TextDecoder().decode(chunk);
		expect(text).toBe('a,b\n');
		expect(() => asCsvSource(utf8('%PDF-1.7'))).toThrow(
			expect.objectContaining({ code: 'file_not_a_table' })
		);
	});

	it('refuses a sheet holding more text than the file cap, however small its zip', async () => {
		const wb = new ExcelJS.Workbook();
		const sheet = wb.addWorksheet('s');
		sheet.addRow(['code', 'name_zh', 'name_en']);
		// A highly repetitive sheet compresses to next to nothing.
		for (let i = 0; i < 200; i++) sheet.addRow(['x', '市财政局'.repeat(50), 'y']);
		const file = new Uint8Array(await wb.xlsx.writeBuffer());
		const spec = { columns: ['code', 'name_zh', 'name_en'], headerLabels: {}, maxBytes: 20_000 };
		expect(file.length).toBeLessThan(spec.maxBytes);
		const table = await readTable(file, spec, 'en');
		expect(table.headerOk).toBe(false);
		expect(table.errors.kept).toEqual([
			{ line: 0, column: '', message: messageOf('sheet_too_large', { max: 0.1 }, 'en') }
		]);
	});

	it('refuses a zip that is no workbook', async () => {
		const notXlsx = bytes(0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5);
		await expect(async () => {
			for await (const r of xlsxRows(notXlsx)) void r;
		}).rejects.toMatchObject({ code: 'file_not_a_table' });
	});
});

describe('acceptable text', () => {
	it.each([
		['市财政局', {}, null],
		['Finance Bureau (east)', {}, null],
		['', {}, null],
		['a\u0000b', {}, { problem: 'forbidden', position: 2, char: 'U+0000' }],
		['ab\u0007', {}, { problem: 'forbidden', position: 3, char: 'U+0007' }],
		['a\tb', {}, { problem: 'forbidden', position: 2, char: 'U+0009' }],
		['a\tb\nc\r\nd', { multiline: true }, null],
		['a\u000bb', { multiline: true }, { problem: 'forbidden', position: 2, char: 'U+000B' }],
		['x\u007f', {}, { problem: 'forbidden', position: 2, char: 'U+007F' }],
		['x\u0085', {}, { problem: 'forbidden', position: 2, char: 'U+0085' }],
		['市\ufffd局', {}, { problem: 'unreadable', position: 2, char: 'U+FFFD' }],
		['\ud800x', {}, { problem: 'forbidden', position: 1, char: 'U+D800' }],
		['x\udc00', {}, { problem: 'forbidden', position: 2, char: 'U+DC00' }],
		// Characters outside the BMP count once: the position is what a reader counts.
		['😀\u0000', {}, { problem: 'forbidden', position: 2, char: 'U+0000' }]
	])('%j (%j) → %j', (text, rules, problem) => {
		expect(textProblem(text, rules)).toEqual(problem);
	});
});

describe('dates as files write them', () => {
	it.each([
		['2026-03-02', '2026-03-02'],
		['2026/3/2', '2026-03-02'],
		['2026/03/02', '2026-03-02'],
		[' 2026-3-2 ', '2026-03-02'],
		['2026-02-30', null],
		['2026/2/17 10:00', null],
		['17.02.2026', null],
		['20260217', null]
	])('%j is the date %j', (text, date) => {
		expect(parseLocalDate(text)).toBe(date);
	});

	it('reads a bare date in a date-time as its midnight in Beijing', () => {
		expect(parseLocalDateTime('2026-03-02')?.toISOString()).toBe('2026-03-01T16:00:00.000Z');
		expect(parseLocalDateTime('2026/3/2')?.toISOString()).toBe('2026-03-01T16:00:00.000Z');
		expect(parseLocalDateTime('2026-03-02 07:15')?.toISOString()).toBe('2026-03-01T23:15:00.000Z');
		expect(parseLocalDateTime('2026-03-02 24:00')).toBeNull();
		expect(parseLocalDateTime('2026-03-02T')).toBeNull();
	});
});

describe('enumerations by code or Chinese label', () => {
	it.each([
		[DEPARTMENT_CATEGORY, '市直部门', 'municipal'],
		[DEPARTMENT_CATEGORY, '垂管部门', 'vertical'],
		[DEPARTMENT_CATEGORY, ' Vertical ', 'vertical'],
		[VERDICT, '属实', 'substantiated'],
		[VERDICT, '部分属实', 'partial'],
		[VERDICT, '不属实', 'unfounded'],
		[CALENDAR_KIND, '节假日', 'holiday'],
		[CALENDAR_KIND, '调休上班', 'workday'],
		[FINDING_SOURCE, '专项督查', 'special_inspection'],
		[FINDING_SOURCE, '明察暗访', 'undercover_visit'],
		[FINDING_SOURCE, '现场测评', 'onsite_measurement'],
		[FINDING_SOURCE, '督办', 'task_supervision'],
		[IMPORTED_FINDING_STATUS, '已确认', 'confirmed'],
		[IMPORTED_FINDING_STATUS, '有异议', 'disputed'],
		[IMPORTED_FINDING_STATUS, '已撤销', 'withdrawn'],
		[YES_NO, '是', 'true'],
		[YES_NO, '否', 'false'],
		[YES_NO, 'TRUE', 'true'],
		// Not values: English labels, a status a file may not carry, a near miss.
		[DEPARTMENT_CATEGORY, 'Municipal department', null],
		[IMPORTED_FINDING_STATUS, '已记录', null],
		[CALENDAR_KIND, '假日', null],
		[YES_NO, 'yes', null]
	] as const)('%#: %j → %j', (e, cell, value) => {
		expect((e as { read(cell: string): string | null }).read(cell)).toBe(value);
	});

	it('names the values with their Chinese labels in a message', () => {
		expect(DEPARTMENT_CATEGORY.describe()).toBe('municipal (市直部门), vertical (垂管部门)');
	});
});

describe('the templates', () => {
	it.each([
		['departments', departmentRowSchema, DEPARTMENT_EXAMPLE],
		['enterprises', enterpriseRowSchema, ENTERPRISE_EXAMPLE],
		['holidays', holidayRowSchema, HOLIDAY_EXAMPLE],
		['findings', findingRowSchema, FINDING_EXAMPLE],
		['cases', caseRowSchema, CASE_EXAMPLE],
		['complaints', complaintRowSchema, COMPLAINT_EXAMPLE]
	] as const)('the %s example row passes its own schema', (_kind, schema, example) => {
		expect(schema.safeParse(example).success).toBe(true);
	});

	it('has a distinct Chinese header for every column', () => {
		expect(Object.keys(DEPARTMENT_HEADER_LABELS)).toEqual([...DEPARTMENT_COLUMNS]);
		expect(new Set(Object.values(DEPARTMENT_HEADER_LABELS)).size).toBe(DEPARTMENT_COLUMNS.length);
	});
});

describe('decoding never hides a bad byte', () => {
	it('reads a BOM file as UTF-8 whatever follows, its bad bytes as U+FFFD', () => {
		const { text, encoding } = decodeText(
			bytes(0xef, 0xbb, 0xbf, ...utf8('市'), 0xff, ...utf8('局'))
		);
		expect(encoding).toBe('utf-8');
		expect(text).toBe('市\ufffd局');
	});

	it('reads a mostly UTF-8 file as UTF-8, and GBK as GBK', () => {
		const damaged = bytes(...utf8('市财政局市教育局市民政局'), 0xe5, 0xb8, ...utf8('局'));
		expect(decodeText(damaged)).toEqual({
			text: '市财政局市教育局市民政局\ufffd局',
			encoding: 'utf-8'
		});
		const gbk = new Uint8Array(iconv.encode('统计局,市财政局,市教育局,市民政局', 'gbk'));
		expect(decodeText(gbk)).toEqual({
			text: '统计局,市财政局,市教育局,市民政局',
			encoding: 'gb18030'
		});
	});
});
