// The results export of spec/exchange.md (`export results`, `GET /api/v1/results/Y`): one row
// per ranked department, scores rounded half away from zero to 2 places, as CSV (UTF-8 with
// BOM), JSON or XLSX — with no cell a spreadsheet would run as a formula.
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { roundHalfAwayFromZero, type Category, type Outcome } from '$lib/domain/scoring';
import type { SnapshotContent } from '$lib/domain/snapshot';
import type { Executor } from '$lib/server/db';
import { DomainError } from '$lib/errors';
import { latestDraft, latestPublished, type Snapshot } from './store';

export type ExportFormat = 'csv' | 'json' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'xlsx'];

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

/** The ranked departments of a snapshot, in its order (category, rank, code), rounded. */
export function resultRows(content: SnapshotContent): ResultRow[] {
	return content.departments.flatMap((d) => {
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
		return [
			{
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
			}
		];
	});
}

// What spreadsheets treat as the start of a formula (or of a DDE payload after a tab/CR).
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert for a spreadsheet: a leading `'` before a formula character. */
export function neutraliseText(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The cells of a row: numbers stay numbers, text is neutralised, null is empty. */
function csvCells(row: ResultRow): (string | number)[] {
	return RESULT_COLUMNS.map((column) => {
		const v = row[column];
		if (v === null) return '';
		if (typeof v === 'number') return v;
		return neutraliseText(Array.isArray(v) ? v.join(';') : v);
	});
}

export function resultsCsv(rows: readonly ResultRow[]): string {
	// The BOM makes Excel read the file as UTF-8 (Chinese names otherwise turn to mojibake).
	return (
		'\uFEFF' + stringify([[...RESULT_COLUMNS], ...rows.map(csvCells)], { record_delimiter: '\r\n' })
	);
}

export function resultsJson(rows: readonly ResultRow[]): string {
	return JSON.stringify(rows, null, 2) + '\n';
}

/** An XLSX workbook of one sheet; text is written as string cells, never as formulas. */
export async function resultsXlsx(
	rows: readonly ResultRow[],
	sheetName: string
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet(sheetName);
	sheet.addRow([...RESULT_COLUMNS]);
	for (const row of rows) {
		sheet.addRow(
			RESULT_COLUMNS.map((column) => {
				const v = row[column];
				if (v === null) return null;
				if (typeof v === 'number') return v;
				// A JS string becomes a string cell (ExcelJS writes formulas only from
				// `{ formula }` values), which a spreadsheet shows as text and never runs.
				return Array.isArray(v) ? v.join(';') : v;
			})
		);
	}
	sheet.getRow(1).font = { bold: true };
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export interface ResultsExport {
	body: string | Uint8Array;
	contentType: string;
	filename: string;
	snapshot: Snapshot;
	rows: ResultRow[];
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	json: 'application/json; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
};

/** The snapshot an export reads: the current published revision, or the latest draft. */
export async function resultsSnapshot(
	db: Executor,
	year: number,
	draft = false
): Promise<Snapshot> {
	const snapshot = draft ? await latestDraft(db, year) : await latestPublished(db, year);
	if (!snapshot) throw new DomainError(draft ? 'no_draft' : 'not_published', { params: { year } });
	if (!snapshot.digestOk) throw new DomainError('digest_mismatch', { params: { year } });
	return snapshot;
}

/**
 * The results of a year in a format: the current published revision by default, the latest
 * draft with `draft` (for the roles that may see drafts — the caller checks).
 */
export async function exportResults(
	db: Executor,
	year: number,
	opts: { format: ExportFormat; draft?: boolean }
): Promise<ResultsExport> {
	const snapshot = await resultsSnapshot(db, year, opts.draft);
	const rows = resultRows(snapshot.content);
	const name = opts.draft ? `results-${year}-draft` : `results-${year}-r${snapshot.revision}`;
	const body =
		opts.format === 'csv'
			? resultsCsv(rows)
			: opts.format === 'json'
				? resultsJson(rows)
				: await resultsXlsx(rows, String(year));
	return {
		body,
		contentType: CONTENT_TYPES[opts.format],
		filename: `${name}.${opts.format}`,
		snapshot,
		rows
	};
}
