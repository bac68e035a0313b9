// The results export: rounding at the edge, exchange.md's columns, and no cell a spreadsheet
// would run as a formula (text neutralised in CSV, string cells in XLSX; numbers stay numbers).
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import { SNAPSHOT_FORMAT, type DepartmentResult, type SnapshotContent } from '$lib/domain/snapshot';
import {
	RESULT_COLUMNS,
	neutraliseText,
	resultRows,
	resultsCsv,
	resultsJson,
	resultsXlsx,
	type ResultRow
} from '$lib/server/evaluation/export';

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

const content = (departments: DepartmentResult[]): SnapshotContent => ({
	format: SNAPSHOT_FORMAT,
	year: 2026,
	settings: DEFAULT_SETTINGS,
	cutoff: '2026-12-31',
	departments,
	errors: [],
	warnings: []
});

const hostile = department({ code: '=HYPERLINK("x")', nameZh: '-1+2', satisfactionRate: null });

describe('resultRows', () => {
	it('rounds half away from zero to 2 places and leaves unranked departments out', () => {
		const rows = resultRows(
			content([
				department({}),
				department({
					code: 'x',
					rank: null,
					rankFromBottom: null,
					scores: { work: 1, convenience: null, complaints: 1, appraisal: 1, total: null }
				})
			])
		);
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
		const rows: ResultRow[] = [
			...resultRows(content([hostile])),
			{ ...resultRows(content([department({})]))[0]!, work: -3.5 }
		];
		const csv = resultsCsv(rows);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		const records = parse(csv.slice(1)) as string[][];
		expect(records[0]).toEqual([...RESULT_COLUMNS]);
		expect(records[1]!.slice(0, 3)).toEqual(['\'=HYPERLINK("x")', "'-1+2", 'municipal']);
		expect(records[1]![11]).toBe(''); // no satisfaction rate
		expect(records[1]![12]).toBe('rectification;criticism');
		// A negative number is a number, not text: it is written as is.
		expect(records[2]![3]).toBe('-3.5');
	});
});

describe('JSON', () => {
	it('keeps numbers as numbers and outcomes as an array', () => {
		const [row] = JSON.parse(resultsJson(resultRows(content([department({})])))) as ResultRow[];
		expect(row).toMatchObject({ total: 80.01, rank: 1, outcomes: ['rectification', 'criticism'] });
	});
});

describe('XLSX', () => {
	it('writes text as string cells, never formulas, and numbers as numbers', async () => {
		const rows = [
			...resultRows(content([hostile])),
			{ ...resultRows(content([department({})]))[0]!, work: -3.5 }
		];
		const bytes = await resultsXlsx(rows, '2026');
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(bytes) as never);
		const sheet = workbook.getWorksheet('2026')!;
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
});
