// `sample draw`: validates with the same schema as the sample page's draw form and calls
// surveys.drawSample, which replaces the campaign's sample and records the draw in the audit trail.
import { m } from '$lib/paraglide/messages';
import { drawSampleSchema } from '$lib/schemas/samples';
import * as surveys from '$lib/server/surveys';
import { optionalString, parseInput, requiredString, type Command } from '../command';

export const sampleDraw: Command = {
	name: ['sample', 'draw'],
	usage: 'sample draw --campaign CODE --size N --seed S [--stratify none|township|industry]',
	summary: (locale) => m.cli_help_sample_draw({}, { locale }),
	options: {
		campaign: { type: 'string' },
		size: { type: 'string' },
		seed: { type: 'string' },
		stratify: { type: 'string' }
	},
	fields: { size: '--size', seed: '--seed', stratify: '--stratify' },
	async run(ctx, { values }) {
		const { locale } = ctx;
		const missing = (option: string) => m.cli_missing_option({ option }, { locale });
		const campaignCode = requiredString(values, 'campaign', missing);
		const input = {
			size: requiredString(values, 'size', missing),
			seed: requiredString(values, 'seed', missing),
			stratify: optionalString(values, 'stratify')
		};
		const data = parseInput(drawSampleSchema, input, locale, sampleDraw.fields);
		const r = await surveys.drawSample(ctx.db, { ...data, campaignCode }, ctx.actor);
		return {
			text: [
				m.cli_sample_drawn(
					{ code: r.campaignCode, drawn: r.drawn, seed: r.seed, stratify: r.stratify },
					{ locale }
				),
				...(r.stratify === 'none'
					? []
					: r.strata.map(
							(s) =>
								'  ' +
								m.cli_sample_stratum(
									{ stratum: s.stratum || '—', drawn: s.drawn, population: s.population },
									{ locale }
								)
						))
			],
			json: { sample: r }
		};
	}
};
