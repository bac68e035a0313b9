// `year create|compute|publish`: evaluation years through the same verbs as the year pages
// (spec/exchange.md). Every change is audited by the verbs under the CLI actor.
import { isValidYear, MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import type { Category, Dimension } from '$lib/domain/scoring';
import type { Problem, SnapshotContent } from '$lib/domain/snapshot';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import * as evaluation from '$lib/server/evaluation';
import * as results from '$lib/server/results';
import { CliError, optionalString, type Command } from '../command';

/** The positional year, or the usual error. */
export function yearArgument(raw: string, locale: Locale): number {
	const year = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
	if (!isValidYear(year))
		throw new CliError(
			'invalid_year',
			m.cli_invalid_year({ min: MIN_YEAR, max: MAX_YEAR, year: raw }, { locale }),
			[{ field: 'Y', value: raw }]
		);
	return year;
}

function numberList(
	value: string | undefined,
	option: string,
	count: number,
	locale: Locale
): number[] | undefined {
	if (value === undefined) return undefined;
	const parts = value.split(',').map((p) => p.trim());
	const numbers = parts.map((p) => (/^\d+(\.\d+)?$/.test(p) ? Number(p) : NaN));
	if (parts.length !== count || numbers.some((n) => !Number.isFinite(n)))
		throw new CliError(
			'invalid_option',
			m.cli_year_invalid_list({ option, count, value }, { locale }),
			[{ option, value }],
			2
		);
	return numbers;
}

const DIMENSION_LABEL: Record<
	Dimension,
	(i: Record<string, never>, o: { locale: Locale }) => string
> = {
	work: m.evaluation_dim_work,
	convenience: m.evaluation_dim_convenience,
	complaints: m.evaluation_dim_complaints,
	appraisal: m.evaluation_dim_appraisal
};

const CATEGORY_LABEL: Record<
	Category,
	(i: Record<string, never>, o: { locale: Locale }) => string
> = {
	municipal: m.departments_category_municipal,
	vertical: m.departments_category_vertical
};

/** A problem of a computation as one line, naming the department by its name and code. */
export function problemLine(p: Problem, content: SnapshotContent, locale: Locale): string {
	const o = { locale };
	const found = content.departments.find((d) => d.code === p.departmentCode);
	const department = found
		? `${locale === 'en' ? found.nameEn : found.nameZh} (${found.code})`
		: (p.departmentCode ?? '');
	const count = p.count ?? 0;
	switch (p.code) {
		case 'missing_dimension':
			return p.dimension
				? m.evaluation_problem_missing_dimension(
						{ department, dimension: DIMENSION_LABEL[p.dimension]({}, o) },
						o
					)
				: m.evaluation_problem_missing_dimensions({ department }, o);
		case 'category_too_small': {
			const category = p.category ? CATEGORY_LABEL[p.category]({}, o) : '';
			const needed = p.category
				? content.settings.commended[p.category] + content.settings.rectificationBottom
				: 0;
			return m.evaluation_problem_category_too_small_detail({ category, count, needed }, o);
		}
		case 'open_complaints':
			return m.evaluation_problem_open_complaints({ department, count }, o);
		case 'insufficient_sample':
			return m.evaluation_problem_insufficient_sample({ department, count }, o);
		case 'disputed_findings':
			return m.evaluation_problem_disputed_findings({ department, count }, o);
		case 'recorded_findings':
			return m.evaluation_problem_recorded_findings({ department, count }, o);
		case 'no_previous_publication':
			return m.evaluation_problem_no_previous_publication({ year: content.year - 1 }, o);
		default:
			return m.evaluation_problem_other({ code: String(p.code), department }, o);
	}
}

export const yearCreate: Command = {
	name: ['year', 'create'],
	usage: 'year create Y [--weights 30,20,20,30] [--commend 6,4] [--bottom 3]',
	summary: (locale) => m.cli_help_year_create({}, { locale }),
	options: { weights: { type: 'string' }, commend: { type: 'string' }, bottom: { type: 'string' } },
	args: ['Y'],
	async run(ctx, { values, args }) {
		const { locale } = ctx;
		const year = yearArgument(args[0]!, locale);
		const weights = numberList(optionalString(values, 'weights'), '--weights', 4, locale);
		const commend = numberList(optionalString(values, 'commend'), '--commend', 2, locale);
		const bottom = numberList(optionalString(values, 'bottom'), '--bottom', 1, locale);
		const settings = {
			...(weights && {
				weights: {
					work: weights[0]!,
					convenience: weights[1]!,
					complaints: weights[2]!,
					appraisal: weights[3]!
				}
			}),
			...(commend && { commended: { municipal: commend[0]!, vertical: commend[1]! } }),
			...(bottom && { rectificationBottom: bottom[0]! })
		};
		const created = await evaluation.createYear(ctx.db, { year, settings }, ctx.actor);
		const s = created.settings;
		return {
			text: [
				m.cli_year_created(
					{
						year,
						...s.weights,
						...s.commended,
						bottom: s.rectificationBottom
					},
					{ locale }
				)
			],
			json: { year, settings: s }
		};
	}
};

export const yearCompute: Command = {
	name: ['year', 'compute'],
	usage: 'year compute Y',
	summary: (locale) => m.cli_help_year_compute({}, { locale }),
	args: ['Y'],
	async run(ctx, { args }) {
		const { locale } = ctx;
		const year = yearArgument(args[0]!, locale);
		const draft = await evaluation.compute(ctx.db, year, ctx.actor);
		const { content } = draft;
		const ranked = content.departments.filter((d) => d.rank !== null).length;
		const text: string[] = [
			m.cli_year_computed(
				{
					year,
					id: draft.id,
					departments: content.departments.length,
					ranked,
					errors: content.errors.length,
					warnings: content.warnings.length,
					cutoff: content.cutoff,
					digest: draft.digest
				},
				{ locale }
			)
		];
		if (content.errors.length > 0)
			text.push(
				m.cli_year_errors({}, { locale }),
				...content.errors.map((p) => `  ${problemLine(p, content, locale)}`)
			);
		if (content.warnings.length > 0)
			text.push(
				m.cli_year_warnings({}, { locale }),
				...content.warnings.map((p) => `  ${problemLine(p, content, locale)}`)
			);
		return {
			text,
			json: {
				year,
				snapshot: draft.id,
				digest: draft.digest,
				cutoff: content.cutoff,
				departments: content.departments.length,
				ranked,
				errors: content.errors,
				warnings: content.warnings
			}
		};
	}
};

export const yearPublish: Command = {
	name: ['year', 'publish'],
	usage: 'year publish Y [--note TEXT] [--reason TEXT]',
	summary: (locale) => m.cli_help_year_publish({}, { locale }),
	options: { note: { type: 'string' }, reason: { type: 'string' } },
	args: ['Y'],
	async run(ctx, { values, args }) {
		const { locale } = ctx;
		const year = yearArgument(args[0]!, locale);
		const reason = optionalString(values, 'reason');
		const published = await evaluation.publish(
			ctx.db,
			year,
			{ note: optionalString(values, 'note'), replacesReason: reason },
			ctx.actor
		);
		const replaced = published.replacesId
			? (await results.listRevisions(ctx.db, year)).find((r) => r.id === published.replacesId)
			: null;
		const rectifications = published.content.departments
			.filter((d) => d.outcomes.includes('rectification'))
			.map((d) => d.code);
		const text: string[] = [
			m.cli_year_published(
				{ year, revision: published.revision ?? 0, id: published.id, digest: published.digest },
				{ locale }
			)
		];
		if (replaced)
			text.push(
				m.cli_year_published_replaces(
					{ revision: replaced.revision ?? 0, reason: reason ?? '' },
					{ locale }
				)
			);
		return {
			text,
			json: {
				year,
				revision: published.revision,
				snapshot: published.id,
				digest: published.digest,
				replaces: replaced?.revision ?? null,
				note: published.note,
				rectifications
			}
		};
	}
};

export const yearCommands: Command[] = [yearCreate, yearCompute, yearPublish];
