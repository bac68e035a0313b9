// `import responses FILE`: streamed, unlike the other imports (a province's file has millions of
// rows), so it takes the path rather than the bytes; progress goes to standard error.
import { stat } from 'node:fs/promises';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { CliError, type Command } from '../command';
import { columnsHelp } from './import';

export const importResponsesCommand: Command = {
	name: ['import', 'responses'],
	usage: 'import responses FILE',
	summary: (locale) => m.cli_help_import_responses({}, { locale }),
	help: (locale) => columnsHelp('responses', locale),
	args: ['FILE'],
	async run(ctx, { values, args }) {
		const { locale } = ctx;
		const file = args[0]!;
		try {
			const s = await stat(file);
			if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT')
				throw new CliError('file_not_found', m.cli_file_not_found({ file }, { locale }), [
					{ file }
				]);
			throw new CliError(
				'file_unreadable',
				m.cli_file_unreadable({ file, reason: (e as Error).message }, { locale }),
				[{ file }]
			);
		}
		const quiet = values.json === true;
		// Loaded on use: only this command needs the streaming importer.
		const { importResponses } = await import('$lib/server/surveys/import');
		const { csvSourceOf } = await import('$lib/server/imports/responses-upload');
		// A CSV by its path, a workbook as its first sheet's CSV, as on the upload page.
		const source = await csvSourceOf(file);
		if (!source)
			throw new CliError('file_not_a_table', messageOf('file_not_a_table', {}, locale), [{ file }]);
		const result = await importResponses(
			ctx.db,
			source,
			{
				locale,
				onProgress: quiet
					? undefined
					: (rows) => process.stderr.write(m.cli_import_progress({ rows }, { locale }) + '\n')
			},
			ctx.actor
		);
		if (!result.ok) {
			const count = result.errors.length + result.moreErrors;
			throw new CliError(
				'invalid_rows',
				m.responses_import_rejected({ file, count }, { locale }),
				result.moreErrors > 0
					? [...result.errors, { moreErrors: result.moreErrors }]
					: result.errors,
				1,
				[
					...result.errors.map(
						(e) =>
							'  ' +
							m.cli_import_row_error(
								{ line: e.line, column: e.column, message: e.message },
								{ locale }
							)
					),
					...(result.moreErrors > 0
						? ['  ' + m.responses_import_more_errors({ count: result.moreErrors }, { locale })]
						: [])
				]
			);
		}
		const { rows, responses, created, existing, sha256, encoding } = result;
		const o = { locale };
		return {
			text: [
				m.cli_import_responses_done(
					{
						file,
						rows: m.responses_count_rows({ count: rows }, o),
						responses: m.responses_count_responses({ count: responses }, o),
						created: m.responses_count_created({ count: created }, o),
						existing: m.responses_count_existing({ count: existing }, o),
						sha256
					},
					o
				)
			],
			json: { kind: 'responses', file, rows, responses, created, existing, encoding, sha256 }
		};
	}
};
