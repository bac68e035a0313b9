// What a demo load says to the person who ran it (the CLI, the first start), in their language:
// what it wrote, how each year came out, the accounts with their passwords (printed once), where
// to check the figures; and the refusal naming what the database already holds.
import { roleLabel } from '$lib/components/ui/labels';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { DemoResult, RecordKind } from './index';

type Label = (i: Record<string, never>, o: { locale: Locale }) => string;

const KIND: Record<RecordKind, Label> = {
	departments: m.demo_kind_departments,
	enterprises: m.demo_kind_enterprises,
	complaints: m.demo_kind_complaints,
	cases: m.demo_kind_cases,
	findings: m.demo_kind_findings,
	campaigns: m.demo_kind_campaigns,
	visits: m.demo_kind_visits,
	handbook: m.demo_kind_handbook,
	years: m.demo_kind_years,
	accounts: m.demo_kind_accounts
};

export function summaryLines(r: DemoResult, locale: Locale): string[] {
	const o = { locale };
	return [
		m.demo_loaded(
			{
				seconds: (r.milliseconds / 1000).toFixed(1),
				...r.departments,
				enterprises: r.enterprises,
				cases: r.cases,
				complaints: r.complaints,
				findings: r.findings,
				visits: r.visits,
				problems: r.problems,
				responses: r.responses
			},
			o
		),
		...(r.examplesRemoved > 0 ? [m.demo_examples_removed({}, o)] : []),
		m.demo_handbook(r.handbookItems, o),
		...r.years.map((y) =>
			y.published
				? m.demo_year_published({ year: y.year, count: y.rectification.length }, o)
				: m.demo_year_draft({ year: y.year }, o)
		),
		'',
		m.demo_accounts({}, o),
		...r.accounts.map((a) => {
			const role = roleLabel(a.role, locale);
			return a.of
				? m.demo_account_of(
						{
							role,
							of: locale === 'en' ? a.of.en : a.of.zh,
							username: a.username,
							password: a.password
						},
						o
					)
				: m.demo_account({ role, username: a.username, password: a.password }, o);
		}),
		'',
		m.demo_check({}, o)
	];
}

/** The refusal's list of what is there: "部门 3、企业 10" / "departments: 3, enterprises: 10". */
export function recordsText(records: Partial<Record<RecordKind, number>>, locale: Locale): string {
	return Object.entries(records)
		.map(([kind, count]) =>
			m.demo_record_count({ kind: KIND[kind as RecordKind]({}, { locale }), count }, { locale })
		)
		.join(locale === 'en' ? ', ' : '、');
}
