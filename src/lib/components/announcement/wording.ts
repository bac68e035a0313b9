// The announcement's structure (domain/announcement.ts) worded in formal Chinese (公文) or in
// English, whatever the interface language: a title, the addressee, numbered sections of
// paragraphs and list items, the digest and the date line. The page, its print view and the PDF
// all lay out this one text.
import type { Announcement, CategoryUnits } from '$lib/domain/announcement';
import type { Category } from '$lib/domain/scoring';
import { m } from '$lib/paraglide/messages';
import { getLocale, isLocale, type Locale } from '$lib/paraglide/runtime';

export type Block =
	| { kind: 'paragraph'; text: string }
	/** A line of a list (one unit or one category's units). */
	| { kind: 'item'; text: string }
	/** Text set in a fixed-width font and never reworded: the digest. */
	| { kind: 'code'; text: string };

export interface AnnouncementSection {
	heading: string;
	blocks: Block[];
}

export interface AnnouncementText {
	locale: Locale;
	title: string;
	addressee: string;
	opening: string[];
	sections: AnnouncementSection[];
	/** The publication date, as the date line under the text. */
	dateLine: string;
	/** For every page's footer. */
	digestLine: string;
}

const MONTHS_EN = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December'
];

/** `YYYY-MM-DD` as an official document writes it: 2004年1月15日, 15 January 2004. */
export function officialDate(ymd: string, locale: Locale): string {
	const [y, mo, d] = ymd.split('-').map(Number) as [number, number, number];
	return locale === 'en' ? `${d} ${MONTHS_EN[mo - 1]} ${y}` : `${y}年${mo}月${d}日`;
}

/**
 * The language of the announcement's text: `?lang=zh-CN` or `?lang=en`, whatever the interface
 * language; else the interface's.
 */
export function textLocale(params: URLSearchParams): Locale {
	const asked = params.get('lang');
	return asked !== null && isLocale(asked) ? asked : getLocale();
}

/** The address of a revision's results file, as the text prints it. */
export const snapshotPath = (year: number, revision: number) =>
	`/results/${year}/snapshot?revision=${revision}`;

/** The category as a heading of its units, in `locale`. */
function categoryName(c: Category, locale: Locale): string {
	const o = { locale };
	return c === 'municipal'
		? m.rankings_category_heading_municipal({}, o)
		: m.rankings_category_heading_vertical({}, o);
}

const unitName = (u: { nameZh: string; nameEn: string }, locale: Locale) =>
	locale === 'en' ? u.nameEn || u.nameZh : u.nameZh || u.nameEn;

function names(units: readonly { nameZh: string; nameEn: string }[], locale: Locale): string {
	const o = { locale };
	if (units.length === 0) return m.announcement_none({}, o);
	return units.map((u) => unitName(u, locale)).join(m.results_list_separator({}, o));
}

const present = <T>(sections: readonly CategoryUnits<T>[]) =>
	sections.filter((s) => s.units.length > 0);

export function announcementText(a: Announcement, locale: Locale): AnnouncementText {
	const o = { locale };
	const date = officialDate(a.publishedOn, locale);
	const none: Block = { kind: 'paragraph', text: m.announcement_no_units({}, o) };

	const opening = [m.announcement_opening({ year: a.year, date, revision: a.revision }, o)];
	if (a.replacesRevision !== null)
		opening.push(
			m.announcement_correction(
				{ revision: a.revision, replaced: a.replacesRevision, note: a.note ?? '' },
				o
			)
		);

	const commended: Block[] = [
		{ kind: 'paragraph', text: m.announcement_commended_intro({ year: a.year }, o) },
		// A category without any ranked department is not mentioned.
		...a.commended
			.filter((s) => a.participants[s.category] > 0)
			.map((s): Block => ({
				kind: 'item',
				text: m.announcement_commended_category(
					{
						category: categoryName(s.category, locale),
						participants: a.participants[s.category],
						quota: a.commendedQuota[s.category],
						names: names(s.units, locale)
					},
					o
				)
			}))
	];
	if (a.commended.some((s) => s.units.length > a.commendedQuota[s.category]))
		commended.push({ kind: 'paragraph', text: m.announcement_commended_tied({}, o) });

	const rectification: Block[] = present(a.rectification).length
		? [
				{
					kind: 'paragraph',
					text: m.announcement_rectification_intro({ bottom: a.rectificationBottom }, o)
				},
				...a.rectification.flatMap((s) =>
					s.units.map((u): Block => {
						const inputs = {
							department: unitName(u, locale),
							category: categoryName(s.category, locale),
							deadline: officialDate(u.deadline, locale)
						};
						return {
							kind: 'item',
							text:
								u.leaderName === null
									? m.announcement_rectification_no_leader(inputs, o)
									: m.announcement_rectification_line({ ...inputs, leader: u.leaderName }, o)
						};
					})
				)
			]
		: [none];

	const criticism: Block[] = present(a.criticised).length
		? [
				{ kind: 'paragraph', text: m.announcement_criticism_intro({}, o) },
				...present(a.criticised).map((s): Block => ({
					kind: 'item',
					text: m.announcement_criticism_category(
						{ category: categoryName(s.category, locale), names: names(s.units, locale) },
						o
					)
				})),
				...a.criticised.flatMap((s) =>
					s.units.flatMap((u): Block[] => {
						const inputs = { department: unitName(u, locale), lastYear: a.year - 1 };
						if (u.consequence === 'reassignment')
							return [
								{ kind: 'paragraph', text: m.announcement_two_years_reassignment(inputs, o) }
							];
						if (u.consequence === 'superior_report')
							return [
								{
									kind: 'paragraph',
									text: u.superiorAuthority
										? m.announcement_two_years_superior_report(
												{ ...inputs, authority: u.superiorAuthority },
												o
											)
										: m.announcement_two_years_superior_report_unnamed(inputs, o)
								}
							];
						return [];
					})
				)
			]
		: [none];

	return {
		locale,
		title: m.announcement_title({ year: a.year }, o),
		addressee: m.announcement_addressee({}, o),
		opening,
		sections: [
			{ heading: m.announcement_section_commended({}, o), blocks: commended },
			{ heading: m.announcement_section_rectification({}, o), blocks: rectification },
			{
				heading: m.announcement_section_criticism({}, o),
				blocks: [...criticism, { kind: 'paragraph', text: m.announcement_closing({}, o) }]
			},
			{
				heading: m.announcement_section_verification({}, o),
				blocks: [
					{
						kind: 'paragraph',
						text: m.announcement_verification({ year: a.year, revision: a.revision, date }, o)
					},
					{ kind: 'code', text: a.digest },
					{
						kind: 'paragraph',
						text: m.announcement_verification_file({ path: snapshotPath(a.year, a.revision) }, o)
					}
				]
			}
		],
		dateLine: date,
		digestLine: m.announcement_digest_footer({ digest: a.digest }, o)
	};
}
