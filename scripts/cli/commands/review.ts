// `export responses CODE --format csv|xlsx [--with-identity] [--output FILE]`: a campaign's
// responses, one row per response and department (docs/review-export.md), streamed from the
// database to the file (or, for CSV, to standard output) as they are read. The command line is
// the operator of the server, as for `export results`: it may ask for who answered.
import { m } from '$lib/paraglide/messages';
import { EXPORT_FORMATS, isExportFormat } from '$lib/schemas/review';
import * as surveys from '$lib/server/surveys';
import { CliError, optionalString, type Command } from '../command';
import { writeStreamed } from './export';

export const exportResponsesCommand: Command = {
	name: ['export', 'responses'],
	usage: 'export responses CODE [--format csv|xlsx] [--with-identity] [--output FILE]',
	summary: (locale) => m.cli_help_export_responses({}, { locale }),
	options: {
		format: { type: 'string' },
		'with-identity': { type: 'boolean' },
		output: { type: 'string' }
	},
	args: ['CODE'],
	async run(ctx, { values, args }) {
		const { locale } = ctx;
		const code = args[0]!;
		const format = optionalString(values, 'format') ?? 'csv';
		if (!isExportFormat(format))
			throw new CliError(
				'invalid_format',
				m.cli_export_invalid_format({ format, formats: EXPORT_FORMATS.join(', ') }, { locale }),
				[{ option: '--format', value: format }],
				2
			);
		const output = optionalString(values, 'output');
		// Standard output takes a CSV file only, and only when nothing else is printed there.
		if (!output && (format === 'xlsx' || values.json === true))
			throw new CliError(
				'output_required',
				m.cli_export_responses_needs_output({}, { locale }),
				[{ option: '--output' }],
				2
			);
		const withIdentity = values['with-identity'] === true;
		const result = await writeStreamed(output, locale, (sink) =>
			surveys.exportResponses(
				ctx.db,
				surveys.REVIEW_OPERATOR,
				code,
				{ format, withIdentity },
				ctx.actor,
				sink
			)
		);
		const about = { campaign: result.campaign, format, withIdentity, rows: result.rows };
		if (!output) return { text: [], raw: '', json: about };
		return {
			text: [
				m.cli_export_responses_written(
					{ code: result.campaign, rows: result.rows, file: output },
					{ locale }
				)
			],
			json: { ...about, file: output }
		};
	}
};
