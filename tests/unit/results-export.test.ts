// The results export: rounding at the edge, exchange.md's columns (codes) or the reader's
// language (the rankings page's CSV and XLSX), no cell a spreadsheet would run as a formula (text
// neutralised in CSV, string cells in XLSX; numbers stay numbers), no value as a blank cell, and
// every CSV record ended the same way.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { DepartmentResult } from '$lib/domain/snapshot';
import {
	RESULT_COLUMNS,
	neutraliseText,
	resultRows,
	resultsCsv,
	resultsJson,
	resultsTable,
	resultsXlsx,
	type ResultRow
} from '$lib/server/results';

describe('neutraliseText', () => {
	it.each([
		['=SUM(A1:A9)', "'=SUM(A1:A9)"],
		['+86 591', "'+86 591"],
		['-2', "'-2"],
		['@cmd', "'@cmd"],
		['\t=1', "'\t=1"],
		['\r=1', "'\r=1"],
		['市公安局', '市公安局'],
		['a=b', 'a=b'],
		['', '']
	])('%j → %j', (input, expected) => {
		expect(neutraliseText(input)).toBe(expected);
	});
});

function department(over: Partial<DepartmentResult>): DepartmentResult {
	return {
		code: 'gaj',
		nameZh: '市公安局',
		nameEn: 'Public Security Bureau',
		category: 'municipal',
		superiorAuthority: null,
		scores: { work: 94.5, convenience: 2.675, complaints: 85, appraisal: 155 / 3, total: 80.005 },
		rank: 1,
		rankFromBottom: 2,
		outcomes: ['rectification', 'criticism'],
		responses: 3,
		insufficientSample: true,
		satisfactionRate: 200 / 3,
		criticisedLastYear: false,
		inputs: {} as DepartmentResult['inputs'],
		...over
	};
}

const hostile = department({ code: '=HYPERLINK("x")', nameZh: '-1+2', satisfactionRate: null });
const negative = department({ scores: { ...department({}).scores, work: -3.5 } });
const plain = department({
	code: 'jyj',
	nameZh: '市教育局',
	nameEn: 'Education Bureau',
	category: 'vertical',
	outcomes: [],
	satisfactionRate: null
});

describe('resultRows', () => {
	it('rounds half away from zero to 2 places and leaves unranked departments out', () => {
		const rows = resultRows([
			department({}),
			department({
				code: 'x',
				rank: null,
				rankFromBottom: null,
				scores: { work: 1, convenience: null, complaints: 1, appraisal: 1, total: null }
			})
		]);
		expect(rows).toEqual([
			{
				code: 'gaj',
				name_zh: '市公安局',
				category: 'municipal',
				work: 94.5,
				convenience: 2.68, // 2.675 is 2.67499… in binary; the decimal rule gives 2.68
				complaints: 85,
				appraisal: 51.67,
				total: 80.01,
				rank: 1,
				rank_from_bottom: 2,
				responses: 3,
				satisfaction_rate: 66.67,
				outcomes: ['rectification', 'criticism']
			}
		]);
	});
});

describe('CSV', () => {
	it('is UTF-8 with a BOM, has the columns of exchange.md and neutralises text only', () => {
		const csv = resultsCsv(resultsTable([hostile, negative], 'codes'));
		expect(csv.startsWith('\uFEFF')).toBe(true);
		const records = parse(csv.slice(1)) as string[][];
		expect(records[0]).toEqual([...RESULT_COLUMNS]);
		expect(records[1]!.slice(0, 3)).toEqual(['\'=HYPERLINK("x")', "'-1+2", 'municipal']);
		expect(records[1]![11]).toBe(''); // no satisfaction rate
		expect(records[1]![12]).toBe('rectification;criticism');
		// A negative number is a number, not text: it is written as is.
		expect(records[2]![3]).toBe('-3.5');
	});

	it('ends every record, the last one too, with CRLF', () => {
		const csv = resultsCsv(resultsTable([department({}), plain], 'codes'));
		expect(csv.endsWith('\r\n')).toBe(true);
		expect(csv.split('\r\n')).toHaveLength(4); // header, two rows, nothing after the last end
		expect(csv.replaceAll('\r\n', '')).not.toContain('\n');
	});

	it.each([
		[
			'zh-CN',
			['部门代码', '部门', '类别', '工作落实', '便民高效', '投诉受理', '民主评议', '总分'],
			['gaj', '市公安局', '市直部门'],
			'领导挂点限期整改、通报批评',
			['jyj', '市教育局', '垂管部门']
		],
		[
			'en',
			[
				'Department code',
				'Department',
				'Category',
				'Work delivery',
				'Convenience and efficiency',
				'Complaint handling',
				'Democratic appraisal',
				'Total'
			],
			['gaj', 'Public Security Bureau', 'Municipal department'],
			'Rectification under an assigned city leader; Public criticism',
			['jyj', 'Education Bureau', 'Vertically-managed department']
		]
	] as const)(
		'downloaded from the rankings page, is worded in the reader language (%s)',
		(locale, header, first, outcomes, second) => {
			const records = parse(resultsCsv(resultsTable([department({}), plain], locale)).slice(1), {
				relax_column_count: false
			}) as string[][];
			expect(records[0]!.slice(0, 8)).toEqual(header);
			expect(records[0]).toHaveLength(RESULT_COLUMNS.length);
			expect(records[1]!.slice(0, 3)).toEqual(first);
			expect(records[1]!.slice(3, 8)).toEqual(['94.5', '2.68', '85', '51.67', '80.01']);
			expect(records[1]![12]).toBe(outcomes);
			expect(records[2]!.slice(0, 3)).toEqual(second);
			expect(records[2]![12]).toBe('');
		}
	);
});

describe('JSON', () => {
	it('keeps numbers as numbers and outcomes as an array', () => {
		const [row] = JSON.parse(resultsJson(resultRows([department({})]))) as ResultRow[];
		expect(row).toMatchObject({ total: 80.01, rank: 1, outcomes: ['rectification', 'criticism'] });
	});
});

async function sheetOf(bytes: Uint8Array, name: string) {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(Buffer.from(bytes) as never);
	return workbook.getWorksheet(name)!;
}

describe('XLSX', () => {
	it('writes text as string cells, never formulas, and numbers as numbers', async () => {
		const sheet = await sheetOf(
			await resultsXlsx(resultsTable([hostile, negative], 'codes'), '2026'),
			'2026'
		);
		expect(sheet.getRow(1).values).toEqual([undefined, ...RESULT_COLUMNS]);
		const code = sheet.getRow(2).getCell(1);
		expect(code.type).toBe(ExcelJS.ValueType.String);
		expect(code.value).toBe('=HYPERLINK("x")');
		expect(sheet.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String);
		expect(sheet.getRow(3).getCell(4).type).toBe(ExcelJS.ValueType.Number);
		expect(sheet.getRow(3).getCell(4).value).toBe(-3.5);
		// No formula anywhere in the sheet.
		sheet.eachRow((row) =>
			row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula))
		);
	});

	it.each(['codes', 'en'] as const)(
		'leaves a cell without a value blank, not an empty string (%s)',
		async (wording) => {
			const sheet = await sheetOf(await resultsXlsx(resultsTable([plain], wording), 'x'), 'x');
			// No satisfaction rate, no outcomes.
			for (const column of [12, 13]) {
				const cell = sheet.getRow(2).getCell(column);
				expect(cell.type, `column ${column}`).toBe(ExcelJS.ValueType.Null);
				expect(cell.value).toBeNull();
			}
		}
	);

	it('is worded in the reader language when downloaded from the rankings page', async () => {
		const sheet = await sheetOf(
			await resultsXlsx(resultsTable([department({})], 'zh-CN'), 'x'),
			'x'
		);
		expect(sheet.getRow(1).getCell(3).value).toBe('类别');
		expect(sheet.getRow(2).getCell(3).value).toBe('市直部门');
		expect(sheet.getRow(2).getCell(13).value).toBe('领导挂点限期整改、通报批评');
	});
});
