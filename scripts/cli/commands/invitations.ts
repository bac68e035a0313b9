// `invitations create --campaign CODE` and `export invitations CODE [--output FILE]`: the
// invitations of a campaign's sample, and their addresses as CSV (uscc, enterprise_name,
// card_no, url). Addresses start with ORIGIN (the app's public address, README: Configuration);
// the tokens in them are recomputed from the invitation secret, so exporting again reissues
// nothing and gives the same file.
import { invitationUrl } from '$lib/domain/invitations';
import { m } from '$lib/paraglide/messages';
import * as surveys from '$lib/server/surveys';
import { optionalString, requiredString, type Command } from '../command';
import { writeOutput } from './export';

/** An invitation as --json gives it: the CSV's columns. */
const record = (uscc: string, enterpriseName: string, cardNo: string, url: string) => ({
	uscc,
	enterprise_name: enterpriseName,
	card_no: cardNo,
	url
});

/** Where addresses point when ORIGIN is unset: the app as `npm start` serves it. */
const cliOrigin = () => surveys.publicOrigin(`http://localhost:${process.env.PORT || 3000}`);

export const invitationsCreate: Command = {
	name: ['invitations', 'create'],
	usage: 'invitations create --campaign CODE',
	summary: (locale) => m.cli_help_invitations_create({}, { locale }),
	options: { campaign: { type: 'string' } },
	fields: { campaign: '--campaign' },
	async run(ctx, { values }) {
		const { locale } = ctx;
		const missing = (option: string) => m.cli_missing_option({ option }, { locale });
		const code = requiredString(values, 'campaign', missing);
		const origin = cliOrigin();
		const r = await surveys.createInvitations(ctx.db, code, ctx.actor);
		const created = r.created.map((x) =>
			record(x.uscc, x.enterpriseName, x.cardNo, invitationUrl(origin, x.token))
		);
		return {
			text: [
				m.cli_invitations_created(
					{ code: r.campaign.code, count: created.length, total: r.total },
					{ locale }
				),
				m.cli_invitations_export_hint({ code: r.campaign.code }, { locale })
			],
			json: {
				campaign: r.campaign.code,
				created: created.length,
				total: r.total,
				invitations: created
			}
		};
	}
};

export const exportInvitations: Command = {
	name: ['export', 'invitations'],
	usage: 'export invitations CODE [--output FILE]',
	summary: (locale) => m.cli_help_export_invitations({}, { locale }),
	options: { output: { type: 'string' }, out: { type: 'string' } },
	args: ['CODE'],
	async run(ctx, { values, args }) {
		const { locale } = ctx;
		const code = args[0]!;
		const origin = cliOrigin();
		const { campaign, lines } = await surveys.invitationLines(ctx.db, code, origin);
		const csv = surveys.invitationsCsv(lines);
		const output = optionalString(values, 'output') ?? optionalString(values, 'out');
		const about = { campaign: campaign.code, origin, rows: lines.length };
		const rows = lines.map((l) => record(l.uscc, l.enterpriseName, l.cardNo, l.url));
		if (!output) return { text: [], raw: csv, json: { ...about, invitations: rows } };
		await writeOutput(output, csv, locale);
		return {
			text: [
				m.cli_invitations_written(
					{ code: campaign.code, file: output, rows: lines.length },
					{ locale }
				),
				m.cli_invitations_origin({ origin }, { locale })
			],
			json: { ...about, file: output }
		};
	}
};
