// Display texts of the evaluation's codes: dimensions, outcomes, finding sources and statuses,
// campaign kinds, snapshot changes and the problems a computation lists, in the interface language.
import type { Category, Dimension, Outcome } from '$lib/domain/scoring';
import type { CampaignLine, FindingLine, Problem } from '$lib/domain/snapshot';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { departmentName } from '$lib/components/ui/labels';
import {
	CAMPAIGN_KIND,
	DEPARTMENT_CATEGORY,
	FINDING_SOURCE,
	FINDING_STATUS
} from '$lib/enumerations';

/** A message without inputs, in a language given or the request's. */
type Text = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;
const inLocale = (locale?: Locale) => (locale ? { locale } : {});

const DIMENSIONS: Record<Dimension, Text> = {
	work: m.evaluation_dim_work,
	convenience: m.evaluation_dim_convenience,
	complaints: m.evaluation_dim_complaints,
	appraisal: m.evaluation_dim_appraisal
};

const OUTCOMES: Record<Outcome, Text> = {
	commended: m.evaluation_outcome_commended,
	rectification: m.evaluation_outcome_rectification,
	criticism: m.evaluation_outcome_criticism,
	reassignment: m.evaluation_outcome_reassignment,
	superior_report: m.evaluation_outcome_superior_report
};

/** A category as the heading of its departments' table: in the plural. */
const CATEGORY_HEADINGS: Record<Category, () => string> = {
	municipal: m.rankings_category_heading_municipal,
	vertical: m.rankings_category_heading_vertical
};

/** First letter upper-cased: an English term heading a column or a badge (no-op in Chinese). */
export const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** As in a sentence ("has no work delivery score"). */
export const dimensionLabel = (d: Dimension) => DIMENSIONS[d]();
/** As a heading or column title (in `locale` when given, else the request's language). */
export const dimensionTitle = (d: Dimension, locale?: Locale) =>
	capitalised(DIMENSIONS[d]({}, inLocale(locale)));
export const outcomeLabel = (o: Outcome, locale?: Locale) =>
	capitalised(OUTCOMES[o]?.({}, inLocale(locale)) ?? o);
export const sourceLabel = (s: FindingLine['source']) => FINDING_SOURCE.label(s);
export const findingStatusLabel = (s: FindingLine['status']) => FINDING_STATUS.label(s);
export const campaignKindLabel = (k: CampaignLine['kind']) => CAMPAIGN_KIND.label(k);
export const categoryLabel = (c: Category, locale?: Locale) => DEPARTMENT_CATEGORY.label(c, locale);
/** The heading of a category's departments ("Municipal departments"). */
export const categoryHeading = (c: Category) => CATEGORY_HEADINGS[c]?.() ?? c;

type Named = { code: string; nameZh: string; nameEn: string };

/**
 * A problem of a computation in words, naming the department (by its name in `departments`,
 * else its code) and the dimension or category concerned.
 */
export function problemText(p: Problem, year: number, departments: readonly Named[]): string {
	const found = p.departmentCode ? departments.find((d) => d.code === p.departmentCode) : null;
	const department = found
		? `${departmentName(found)} (${found.code})`
		: (p.departmentCode ?? m.evaluation_all_departments());
	const count = p.count ?? 0;
	switch (p.code) {
		case 'missing_dimension':
			return p.dimension
				? m.evaluation_problem_missing_dimension({
						department,
						dimension: dimensionLabel(p.dimension)
					})
				: m.evaluation_problem_missing_dimensions({ department });
		case 'category_too_small':
			return m.evaluation_problem_category_too_small({
				category: p.category ? categoryLabel(p.category) : '',
				count
			});
		case 'open_complaints':
			return m.evaluation_problem_open_complaints({ department, count });
		case 'insufficient_sample':
			return m.evaluation_problem_insufficient_sample({ department, count });
		case 'disputed_findings':
			return m.evaluation_problem_disputed_findings({ department, count });
		case 'recorded_findings':
			return m.evaluation_problem_recorded_findings({ department, count });
		case 'no_previous_publication':
			return m.evaluation_problem_no_previous_publication({ year: year - 1 });
		default:
			return m.evaluation_problem_other({ code: String((p as Problem).code), department });
	}
}
