// `export results Y [--format csv|json|xlsx] [--draft] [--output FILE]`: the results in the
// exchange format of spec/exchange.md (codes, not words: other systems read it), from the
// current published revision (or the latest draft), to a file or to standard output.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { isResultFormat, RESULT_FORMATS } from '$lib/domain/result-formats';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import * as results from '$lib/server/results';
import { CliError, optionalString, type Command } from '../command';
import { yearArgument } from './year';

/** Writes an exported file; a failure is the command's refusal, naming the file and why. */
export async function writeOutput(file: string, body: string | Uint8Array, locale: Locale) {
	try {
		await writeFile(file, body);
	} catch (e) {
		throw new CliError(
			'write_failed',
			m.cli_export_write_failed({ file, reason: (e as Error).message }, { locale }),
			[{ file }]
		);
	}
}

/** A sink writing to a Node stream, waiting whenever the stream asks to. */
function streamSink(out: Writable): (chunk: Uint8Array) => Promise<void> {
	return async (chunk) => {
		if (!out.write(chunk)) await once(out, 'drain');
	};
}

/**
 * Runs an export that writes through a sink, into `file` or (none given) to standard output, as
 * the rows are read; a failure to write is the command's refusal, naming the file and why.
 */
export async function writeStreamed<T>(
	file: string | undefined,
	locale: Locale,
	run: (sink: (chunk: Uint8Array) => Promise<void>) => Promise<T>
): Promise<T> {
	const out = file ? createWriteStream(file) : process.stdout;
	let result: T;
	try {
		if (file) await once(out, 'open');
		result = await run(streamSink(out));
	} catch (e) {
		if (file) out.destroy();
		if ((e as NodeJS.ErrnoException).syscall)
			throw new CliError(
				'write_failed',
				m.cli_export_write_failed({ file: file ?? '-', reason: (e as Error).message }, { locale }),
				[{ file: file ?? '-' }]
			);
		throw e;
	}
	if (file) {
		out.end();
		await once(out, 'finish');
	}
	return result;
}

export const exportResults: Command = {
	name: ['export', 'results'],
	usage: 'export results Y [--format csv|json|xlsx] [--draft] [--output FILE]',
	summary: (locale) => m.cli_help_export_results({}, { locale }),
	options: { format: { type: 'string' }, draft: { type: 'boolean' }, output: { type: 'string' } },
	args: ['Y'],
	async run(ctx, { values, args }) {
		const { locale } = ctx;
		const year = yearArgument(args[0]!, locale);
		const format = optionalString(values, 'format') ?? 'csv';
		if (!isResultFormat(format))
			throw new CliError(
				'invalid_format',
				m.cli_export_invalid_format({ format, formats: RESULT_FORMATS.join(', ') }, { locale }),
				[{ option: '--format', value: format }],
				2
			);
		const output = optionalString(values, 'output');
		if (format === 'xlsx' && !output)
			throw new CliError(
				'output_required',
				m.cli_export_xlsx_needs_output({}, { locale }),
				[{ option: '--output' }],
				2
			);
		const draft = values.draft === true;
		const { view, rows, body } = await results.exportResults(ctx.db, results.OPERATOR, year, {
			format,
			draft
		});
		const about = {
			year,
			format,
			draft,
			snapshot: view.snapshot.id,
			revision: view.snapshot.revision,
			digest: view.snapshot.digest,
			rows: rows.length
		};
		if (!output) {
			// The file as it is: the same bytes as with --output.
			const raw = typeof body === 'string' ? body : '';
			return { text: [], raw, json: { ...about, results: rows } };
		}
		await writeOutput(output, body, locale);
		const source = draft
			? m.cli_export_source_draft({ id: view.snapshot.id }, { locale })
			: m.cli_export_source_revision({ revision: view.snapshot.revision ?? 0 }, { locale });
		return {
			text: [m.cli_export_written({ year, source, rows: rows.length, file: output }, { locale })],
			json: { ...about, file: output }
		};
	}
};
