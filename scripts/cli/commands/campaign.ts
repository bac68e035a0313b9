// `campaign create`: validates with the same schema as the campaign form and calls
// surveys.createCampaign, which records the creation in the audit trail.
import { m } from '$lib/paraglide/messages';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import * as surveys from '$lib/server/surveys';
import type { CampaignAction } from '$lib/domain/campaigns';
import { CAMPAIGN_STATE } from '$lib/enumerations';
import { optionalString, parseInput, requiredString, type Command } from '../command';

export const campaignCreate: Command = {
	name: ['campaign', 'create'],
	usage:
		'campaign create --code C --year Y --kind enterprise_visit|public_evaluation|online [--questionnaire standard-appraisal] [--weight 1] [--name-zh N] [--name-en N] [--targets all|municipal|vertical|CODE;CODE…]',
	summary: (locale) => m.cli_help_campaign_create({}, { locale }),
	options: {
		code: { type: 'string' },
		year: { type: 'string' },
		kind: { type: 'string' },
		questionnaire: { type: 'string' },
		weight: { type: 'string' },
		'name-zh': { type: 'string' },
		'name-en': { type: 'string' },
		targets: { type: 'string' }
	},
	fields: {
		code: '--code',
		year: '--year',
		kind: '--kind',
		questionnaire: '--questionnaire',
		weight: '--weight',
		nameZh: '--name-zh',
		nameEn: '--name-en',
		targets: '--targets'
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
			nameEn: optionalString(values, 'name-en'),
			targets: optionalString(values, 'targets')
		};
		const data = parseInput(createCampaignSchema, input, locale, campaignCreate.fields);
		const created = await surveys.createCampaign(ctx.db, data, ctx.actor);
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
					nameEn: created.nameEn,
					state: created.state,
					targets: created.targets,
					departments: data.targets?.departments ?? []
				}
			}
		};
	}
};

/** `campaign open CODE` and `campaign close CODE`: draft → active → closed, audited. */
function stateCommand(action: CampaignAction): Command {
	return {
		name: ['campaign', action],
		usage: `campaign ${action} CODE`,
		summary: (locale) =>
			action === 'open'
				? m.cli_help_campaign_open({}, { locale })
				: m.cli_help_campaign_close({}, { locale }),
		args: ['CODE'],
		async run(ctx, { args }) {
			const { locale } = ctx;
			const c = await surveys.changeState(ctx.db, args[0]!, action, ctx.actor);
			return {
				text: [
					m.cli_campaign_state(
						{ code: c.code, state: CAMPAIGN_STATE.label(c.state, locale) },
						{ locale }
					)
				],
				json: {
					campaign: { code: c.code, state: c.state, openedAt: c.openedAt, closedAt: c.closedAt }
				}
			};
		}
	};
}

export const campaignOpen = stateCommand('open');
export const campaignClose = stateCommand('close');
