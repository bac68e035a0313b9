// The campaign summary's figures as worded tables, one per block, in a reader's language: what
// the page shows beside its charts, what the print view prints and what each sheet of the XLSX
// download holds — one wording for the three.
import ExcelJS from 'exceljs';
import { departmentName } from '$lib/components/ui/labels';
import {
	problemCategoryLabel,
	problemScopeLabel,
	problemStateLabel
} from '$lib/components/ui/problem-labels';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { neutraliseText } from '$lib/server/results/export';
import type { Executor } from '$lib/server/db';
import { visitSummary, type ProblemCounts, type SummaryReader, type VisitSummary } from './summary';

/** A cell: text, a count, a share (a fraction, shown as a percentage), or no value. */
export type SummaryCell = string | number | { share: number } | null;

export interface SummaryTable {
	id:
		| 'overview'
		| 'progress'
		| 'materials'
		| 'investor'
		| 'breaches'
		| 'problems'
		| 'problem-departments'
		| 'problem-categories'
		| 'problem-scopes'
		| 'problem-states'
		| 'satisfaction';
	title: string;
	/** The sheet's name in the download (at most 31 characters). */
	sheet: string;
	header: string[];
	rows: SummaryCell[][];
}

/** n of `of` as a share; no value when there is nothing to divide by. */
const share = (n: number, of: number | null): SummaryCell =>
	of === null || of === 0 ? null : { share: n / of };

/** The block tables of a summary, worded in `locale`. */
export function summaryTables(s: VisitSummary, locale: Locale): SummaryTable[] {
	const o = { locale };
	const item = m.summary_item({}, o);
	const value = m.summary_value({}, o);
	const dept = (d: { code: string; nameZh: string; nameEn: string }) =>
		departmentName(d, locale) || d.code;
	const c = s.campaign;
	const p = s.problems;
	const problemHeader = (first: string) => [
		first,
		m.summary_problems_total({}, o),
		m.summary_open({}, o),
		m.summary_overdue({}, o),
		m.summary_closed({}, o),
		m.summary_high_impact({}, o)
	];
	const problemRow = (label: string, r: ProblemCounts): SummaryCell[] => [
		label,
		r.total,
		r.open,
		r.overdue,
		r.closed,
		r.highImpact
	];
	const visits = s.progress.visits;
	const title = {
		progress: m.summary_progress({}, o),
		materials: m.summary_materials({}, o),
		investor: m.summary_investor({}, o),
		breaches: m.summary_breaches({}, o),
		problems: m.summary_problems({}, o),
		satisfaction: m.summary_satisfaction({}, o)
	};
	const byDimension = (dimension: string) => `${title.problems} · ${dimension}`;
	return [
		{
			id: 'overview',
			title: m.summary_overview({}, o),
			sheet: m.summary_overview({}, o),
			header: [item, value],
			rows: [
				[m.campaigns_code({}, o), c.code],
				[m.campaigns_name({}, o), departmentName(c, locale) || c.code],
				[m.campaigns_year({}, o), c.year],
				[
					m.summary_period({}, o),
					c.opensOn || c.closesOn
						? m.summary_period_value({ from: c.opensOn ?? '…', to: c.closesOn ?? '…' }, o)
						: null
				],
				[m.summary_figures_day({}, o), s.today]
			]
		},
		{
			id: 'progress',
			title: title.progress,
			sheet: title.progress,
			header: [item, value],
			rows: [
				[m.summary_target({}, o), s.progress.target ?? m.summary_no_sample({}, o)],
				[m.summary_enterprises_visited({}, o), s.progress.enterprises],
				[m.summary_sampled_visited({}, o), s.progress.sampledVisited],
				[m.summary_done({}, o), share(s.progress.enterprises, s.progress.target)],
				[m.summary_visits({}, o), visits]
			]
		},
		{
			id: 'materials',
			title: title.materials,
			sheet: title.materials,
			header: [item, m.summary_count({}, o), m.summary_share_of_visits({}, o)],
			rows: (
				[
					[m.summary_contact_cards({}, o), s.materials.contactCards],
					[m.summary_instructions({}, o), s.materials.instructions],
					[m.summary_handbooks({}, o), s.materials.handbooks],
					[m.summary_all_materials({}, o), s.materials.all]
				] as const
			).map(([label, n]) => [label, n, share(n, visits)])
		},
		{
			id: 'investor',
			title: title.investor,
			sheet: title.investor,
			header: [item, m.summary_count({}, o), m.summary_share({}, o)],
			rows: [
				...(
					[
						[m.summary_holders({}, o), s.investorCards.holders],
						[m.summary_non_holders({}, o), s.investorCards.nonHolders],
						[m.summary_not_asked({}, o), s.investorCards.notAsked]
					] as const
				).map(([label, n]): SummaryCell[] => [label, n, share(n, s.progress.enterprises)]),
				[
					m.summary_breach_visits({}, o),
					s.investorCards.breachVisits,
					share(s.investorCards.breachVisits, visits)
				]
			]
		},
		{
			id: 'breaches',
			title: title.breaches,
			sheet: title.breaches,
			header: [m.summary_department({}, o), m.summary_visits({}, o), m.summary_enterprises({}, o)],
			rows: s.investorCards.breaches.map((b) => [dept(b), b.visits, b.enterprises])
		},
		{
			id: 'problems',
			title: title.problems,
			sheet: title.problems,
			header: [item, value],
			rows: [
				[m.summary_problems_total({}, o), p.total],
				[m.summary_open({}, o), p.open],
				[m.summary_overdue({}, o), p.overdue],
				[m.summary_closed({}, o), p.closed],
				[m.summary_high_impact({}, o), p.highImpact]
			]
		},
		{
			id: 'problem-departments',
			title: byDimension(m.summary_by_department({}, o)),
			sheet: m.summary_sheet_problem_departments({}, o),
			header: problemHeader(m.summary_department({}, o)),
			rows: p.departments.map((d) => problemRow(dept(d), d))
		},
		{
			id: 'problem-categories',
			title: byDimension(m.summary_by_category({}, o)),
			sheet: m.summary_sheet_problem_categories({}, o),
			header: problemHeader(m.summary_by_category({}, o)),
			rows: p.categories.map((r) => problemRow(problemCategoryLabel(r.key, locale), r))
		},
		{
			id: 'problem-scopes',
			title: byDimension(m.summary_by_scope({}, o)),
			sheet: m.summary_sheet_problem_scopes({}, o),
			header: problemHeader(m.summary_by_scope({}, o)),
			rows: p.scopes.map((r) => problemRow(problemScopeLabel(r.key, locale), r))
		},
		{
			id: 'problem-states',
			title: byDimension(m.summary_by_state({}, o)),
			sheet: m.summary_sheet_problem_states({}, o),
			header: problemHeader(m.summary_by_state({}, o)),
			rows: p.states.map((r) => problemRow(problemStateLabel(r.key, locale), r))
		},
		{
			id: 'satisfaction',
			title: title.satisfaction,
			sheet: title.satisfaction,
			header: [
				m.summary_department({}, o),
				m.summary_appraisal_responses({}, o),
				m.summary_appraisal_rate({}, o),
				m.summary_return_visits({}, o),
				m.summary_return_satisfied({}, o),
				m.summary_return_rate({}, o)
			],
			rows: s.satisfaction.map((d) => [
				dept(d),
				d.responses,
				d.withheld
					? m.surveys_too_few({}, o)
					: d.satisfactionRate === null
						? null
						: { share: d.satisfactionRate },
				d.returnVisits,
				d.returnSatisfied,
				share(d.returnSatisfied, d.returnVisits)
			])
		}
	];
}

// Characters a sheet's name may not hold.
const SHEET_FORBIDDEN = /[\\/?*[\]:]/g;

/**
 * The tables as an XLSX workbook, one sheet each: counts as numbers, shares as numbers shown as
 * percentages, text as string cells made inert (never a formula), no value as a blank cell.
 */
export async function summaryXlsx(tables: readonly SummaryTable[]): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	for (const t of tables) {
		const sheet = workbook.addWorksheet(t.sheet.replace(SHEET_FORBIDDEN, ' ').slice(0, 31));
		sheet.addRow(t.header.map(neutraliseText)).font = { bold: true };
		for (const r of t.rows) {
			const row = sheet.addRow(
				r.map((v) =>
					v === null || v === ''
						? null
						: typeof v === 'string'
							? neutraliseText(v)
							: typeof v === 'number'
								? v
								: v.share
				)
			);
			r.forEach((v, i) => {
				if (v !== null && typeof v === 'object') row.getCell(i + 1).numFmt = '0.0%';
			});
		}
		sheet.columns.forEach((col, i) => {
			col.width = i === 0 ? 36 : 16;
		});
	}
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The summary of campaign `code` for `reader` with its tables worded in `locale`: the pages' data. */
export async function summaryView(
	db: Executor,
	code: string,
	reader: SummaryReader,
	locale: Locale
): Promise<{ summary: VisitSummary; tables: SummaryTable[] }> {
	const summary = await visitSummary(db, code, reader);
	return { summary, tables: summaryTables(summary, locale) };
}
