// The results of a year as a file: one row per ranked department, scores rounded half away from
// zero to 2 places, as CSV (UTF-8 with BOM), JSON or XLSX — with no cell a spreadsheet would
// run as a formula. Two wordings: the codes of spec/exchange.md (`export results`, the JSON
// download, `GET /api/v1/results/Y`: the exchange format other systems read), and a reader's
// language (the rankings page's CSV and XLSX downloads: column titles, categories and outcomes
// as the pages word them).
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { categoryLabel, dimensionTitle, outcomeLabel } from '$lib/components/evaluation/labels';
import { departmentName } from '$lib/components/ui/labels';
import type { ResultFormat } from '$lib/domain/result-formats';
import { roundHalfAwayFromZero, type Category, type Outcome } from '$lib/domain/scoring';
import { DomainError } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Executor } from '$lib/server/db';
import { view, type RankingLine, type Reader, type ResultsView } from './view';

/** One exported line; field names and order as in spec/exchange.md. */
export interface ResultRow {
	code: string;
	name_zh: string;
	category: Category;
	work: number;
	convenience: number;
	complaints: number;
	appraisal: number;
	total: number;
	rank: number;
	rank_from_bottom: number;
	responses: number;
	satisfaction_rate: number | null;
	outcomes: Outcome[];
}

export const RESULT_COLUMNS = [
	'code',
	'name_zh',
	'category',
	'work',
	'convenience',
	'complaints',
	'appraisal',
	'total',
	'rank',
	'rank_from_bottom',
	'responses',
	'satisfaction_rate',
	'outcomes'
] as const satisfies readonly (keyof ResultRow)[];

const round2 = (x: number) => roundHalfAwayFromZero(x, 2);

/** The ranked departments with their exported row, in the snapshot's order (category, rank). */
function ranked(departments: readonly RankingLine[]): { line: RankingLine; row: ResultRow }[] {
	return departments.flatMap((d) => {
		const { work, convenience, complaints, appraisal, total } = d.scores;
		if (
			d.rank === null ||
			d.rankFromBottom === null ||
			work === null ||
			convenience === null ||
			complaints === null ||
			appraisal === null ||
			total === null
		)
			return [];
		const row: ResultRow = {
			code: d.code,
			name_zh: d.nameZh,
			category: d.category,
			work: round2(work),
			convenience: round2(convenience),
			complaints: round2(complaints),
			appraisal: round2(appraisal),
			total: round2(total),
			rank: d.rank,
			rank_from_bottom: d.rankFromBottom,
			responses: d.responses,
			satisfaction_rate: d.satisfactionRate === null ? null : round2(d.satisfactionRate),
			outcomes: d.outcomes
		};
		return [{ line: d, row }];
	});
}

/** The exported rows of a snapshot's departments (the ranked ones), rounded. */
export function resultRows(departments: readonly RankingLine[]): ResultRow[] {
	return ranked(departments).map((r) => r.row);
}

// What spreadsheets treat as the start of a formula (or of a DDE payload after a tab/CR).
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert for a spreadsheet: a leading `'` before a formula character. */
export function neutraliseText(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** How a file words its header and values: the codes of exchange.md, or a reader's language. */
export type Wording = 'codes' | Locale;

/** A cell of a file: text, a number, or no value. */
export type Cell = string | number | null;

/**
 * The header and a row per ranked department, worded as `wording` says (text not yet
 * neutralised; null where there is no value).
 */
export function resultsTable(departments: readonly RankingLine[], wording: Wording): Cell[][] {
	const lines = ranked(departments);
	if (wording === 'codes')
		return [
			[...RESULT_COLUMNS],
			...lines.map(({ row }) =>
				RESULT_COLUMNS.map((column) => {
					const v = row[column];
					return Array.isArray(v) ? v.join(';') : v;
				})
			)
		];
	const locale = wording;
	const o = { locale };
	const header = [
		m.results_column_code({}, o),
		m.rankings_department({}, o),
		m.departments_category({}, o),
		dimensionTitle('work', locale),
		dimensionTitle('convenience', locale),
		dimensionTitle('complaints', locale),
		dimensionTitle('appraisal', locale),
		m.rankings_total({}, o),
		m.rankings_rank({}, o),
		m.results_column_rank_from_bottom({}, o),
		m.rankings_responses({}, o),
		m.results_column_satisfaction_rate({}, o),
		m.rankings_outcomes({}, o)
	];
	return [
		header,
		...lines.map(({ line, row }) => [
			row.code,
			departmentName(line, locale),
			categoryLabel(row.category, locale),
			row.work,
			row.convenience,
			row.complaints,
			row.appraisal,
			row.total,
			row.rank,
			row.rank_from_bottom,
			row.responses,
			row.satisfaction_rate,
			row.outcomes.map((x) => outcomeLabel(x, locale)).join(m.results_list_separator({}, o))
		])
	];
}

/** CSV, UTF-8 with BOM, every record ended by CRLF; text neutralised, no value as nothing. */
export function resultsCsv(cells: readonly Cell[][]): string {
	const records = cells.map((r) =>
		r.map((v) => (v === null ? '' : typeof v === 'number' ? v : neutraliseText(v)))
	);
	// The BOM makes Excel read the file as UTF-8 (Chinese names otherwise turn to mojibake).
	return '\uFEFF' + stringify(records, { record_delimiter: '\r\n' });
}

export function resultsJson(rows: readonly ResultRow[]): string {
	return JSON.stringify(rows, null, 2) + '\n';
}

/** An XLSX workbook of one sheet: text as string cells, never formulas; no value as a blank cell. */
export async function resultsXlsx(
	cells: readonly Cell[][],
	sheetName: string
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet(sheetName);
	// A JS string becomes a string cell (ExcelJS writes formulas only from `{ formula }` values),
	// which a spreadsheet shows as text and never runs. An empty string would still be a string
	// cell; null leaves the cell blank, as no value should be.
	for (const r of cells) sheet.addRow(r.map((v) => (v === '' ? null : v)));
	sheet.getRow(1).font = { bold: true };
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export interface ResultsFile {
	body: string | Uint8Array;
	contentType: string;
	filename: string;
	/** The results the file was made from, as the reader may see them. */
	view: ResultsView;
	rows: ResultRow[];
}

const CONTENT_TYPES: Record<ResultFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	json: 'application/json; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
};

/**
 * The results of a year as a file for this reader: the current published revision, or the
 * latest draft with `draft` (refused to those who may not see drafts). CSV and XLSX in
 * `wording` (default: the codes); JSON always has the codes. Refused with `not_published` (or
 * `draft_not_found`) when there is nothing to export, and as every read is when
 * the content fails its integrity check.
 */
export async function exportResults(
	db: Executor,
	reader: Reader,
	year: number,
	opts: { format: ResultFormat; draft?: boolean; wording?: Wording }
): Promise<ResultsFile> {
	const shown = await view(
		db,
		reader,
		year,
		opts.draft ? { kind: 'draft' } : { kind: 'published' }
	);
	if (!shown)
		throw new DomainError(opts.draft ? 'draft_not_found' : 'not_published', {
			params: { year }
		});
	const rows = resultRows(shown.departments);
	const cells = () => resultsTable(shown.departments, opts.wording ?? 'codes');
	const body =
		opts.format === 'csv'
			? resultsCsv(cells())
			: opts.format === 'json'
				? resultsJson(rows)
				: await resultsXlsx(cells(), String(year));
	const s = shown.snapshot;
	const name = s.kind === 'draft' ? `results-${year}-draft` : `results-${year}-r${s.revision}`;
	return {
		body,
		contentType: CONTENT_TYPES[opts.format],
		filename: `${name}.${opts.format}`,
		view: shown,
		rows
	};
}
