// `campaign create`: validates with the same schema as the campaign form and calls
// surveys.createCampaign, which records the creation in the audit trail.
import { m } from '$lib/paraglide/messages';
import { campaignFieldMessage, createCampaignSchema } from '$lib/schemas/campaigns';
import * as surveys from '$lib/server/surveys';
import { campaignErrorMessage } from '$lib/server/surveys/messages';
import { CliError, optionalString, requiredString, type Command } from '../command';

/** The command-line spelling of each schema field, for messages and JSON details. */
const OPTION_OF: Record<string, string> = {
	code: '--code',
	year: '--year',
	kind: '--kind',
	questionnaire: '--questionnaire',
	weight: '--weight',
	nameZh: '--name-zh',
	nameEn: '--name-en'
};

export const campaignCreate: Command = {
	name: ['campaign', 'create'],
	usage:
		'campaign create --code C --year Y --kind enterprise_visit|public_evaluation|online [--questionnaire standard-appraisal] [--weight 1] [--name-zh N] [--name-en N]',
	summary: (locale) => m.cli_help_campaign_create({}, { locale }),
	options: {
		code: { type: 'string' },
		year: { type: 'string' },
		kind: { type: 'string' },
		questionnaire: { type: 'string' },
		weight: { type: 'string' },
		'name-zh': { type: 'string' },
		'name-en': { type: 'string' }
	},
	async run(ctx, { values }) {
		const { locale } = ctx;
		const missing = (option: string) => m.cli_missing_option({ option }, { locale });
		const input = {
			code: requiredString(values, 'code', missing),
			year: requiredString(values, 'year', missing),
			kind: requiredString(values, 'kind', missing),
			questionnaire: optionalString(values, 'questionnaire'),
			weight: optionalString(values, 'weight'),
			nameZh: optionalString(values, 'name-zh'),
			nameEn: optionalString(values, 'name-en')
		};
		const parsed = createCampaignSchema.safeParse(input);
		if (!parsed.success) {
			const seen = new Set<string>();
			const details = parsed.error.issues.flatMap((issue) => {
				const field = String(issue.path[0]);
				if (seen.has(field)) return [];
				seen.add(field);
				return [
					{
						field: OPTION_OF[field] ?? field,
						value: (input as Record<string, string | undefined>)[field] ?? null,
						message: campaignFieldMessage(issue.message, field, locale)
					}
				];
			});
			throw new CliError(
				'invalid_input',
				m.cli_invalid_input({}, { locale }),
				details,
				1,
				details.map((d) => `  ${d.field}: ${d.message}`)
			);
		}
		const data = parsed.data;
		let created;
		try {
			created = await ctx.db.transaction((tx) => surveys.createCampaign(tx, data, ctx.actor));
		} catch (e) {
			if (!(e instanceof surveys.CampaignError)) throw e;
			const field = OPTION_OF[e.field] ?? e.field;
			throw new CliError(
				e.code,
				campaignErrorMessage(e, { locale }),
				[{ field, value: e.value ?? null }],
				1,
				[`  ${field}: ${e.value ?? ''}`]
			);
		}
		const questionnaire = `${created.questionnaireCode}@${created.questionnaireVersion}`;
		const weight = String(Number(created.weight));
		return {
			text: [
				m.cli_campaign_created(
					{ code: created.code, year: created.year, kind: created.kind, questionnaire, weight },
					{ locale }
				)
			],
			json: {
				campaign: {
					id: created.id,
					code: created.code,
					year: created.year,
					kind: created.kind,
					questionnaire: {
						code: created.questionnaireCode,
						version: created.questionnaireVersion
					},
					weight: Number(created.weight),
					nameZh: created.nameZh,
					nameEn: created.nameEn
				}
			}
		};
	}
};
