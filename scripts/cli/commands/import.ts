// `import <kind> FILE`: one command per kind of file in spec/exchange.md. Each importer reads the
// whole file, validates every row and writes all rows or none; a later issue adds a kind by
// adding an entry to IMPORTERS (with its own options, e.g. `--year`).
import { readFile, stat } from 'node:fs/promises';
import { isValidYear, MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import { KINDS, type ImportKindName } from '$lib/server/imports/kinds';
import { megabytes } from '$lib/server/imports/limits';
import type { ImportResult } from '$lib/server/imports/records';
import {
	CliError,
	requiredString,
	type Command,
	type OptionSpec,
	type OptionValues
} from '../command';

interface Importer {
	kind: ImportKindName;
	/** Options after FILE in the usage line. */
	usage: string;
	options?: Record<string, OptionSpec>;
	summary(locale: Locale): string;
	/** Validates its own options (throwing CliError), then imports the bytes. */
	run(
		db: Database,
		bytes: Uint8Array,
		values: OptionValues,
		ctx: { locale: Locale; actor: Actor }
	): Promise<ImportResult & { year?: number; removed?: number }>;
}

function yearOption(values: OptionValues, locale: Locale): number {
	const raw = requiredString(values, 'year', (option) =>
		m.cli_missing_option({ option }, { locale })
	);
	const year = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
	if (!isValidYear(year))
		throw new CliError(
			'invalid_year',
			m.cli_invalid_year({ min: MIN_YEAR, max: MAX_YEAR, year: raw }, { locale }),
			[{ field: '--year', value: raw }]
		);
	return year;
}

const IMPORTERS: Importer[] = [
	{
		kind: 'departments',
		usage: '--year Y',
		options: { year: { type: 'string' } },
		summary: (locale) => m.cli_help_import_departments({}, { locale }),
		async run(db, bytes, values, { locale, actor }) {
			const year = yearOption(values, locale);
			// Loaded on use: a command pulls in only the importer it runs.
			const { importDepartments } = await import('$lib/server/departments/import');
			return { ...(await importDepartments(db, bytes, { year, locale }, actor)), year };
		}
	},
	{
		kind: 'enterprises',
		usage: '',
		summary: (locale) => m.cli_help_import_enterprises({}, { locale }),
		async run(db, bytes, _values, { locale, actor }) {
			const { importEnterprises } = await import('$lib/server/enterprises/import');
			return importEnterprises(db, bytes, { locale }, actor);
		}
	},
	{
		kind: 'holidays',
		usage: '',
		summary: (locale) => m.cli_help_import_holidays({}, { locale }),
		async run(db, bytes, _values, { locale, actor }) {
			const { importHolidays } = await import('$lib/server/calendar/import');
			return importHolidays(db, bytes, { locale }, actor);
		}
	},
	{
		kind: 'cases',
		usage: '',
		summary: (locale) => m.cli_help_import_cases({}, { locale }),
		async run(db, bytes, _values, { locale, actor }) {
			const cases = await import('$lib/server/cases');
			return cases.importFile(db, bytes, { locale }, actor);
		}
	},
	{
		kind: 'findings',
		usage: '',
		summary: (locale) => m.cli_help_import_findings({}, { locale }),
		async run(db, bytes, _values, { locale, actor }) {
			const { importFindings } = await import('$lib/server/findings/import');
			return importFindings(db, bytes, { locale }, actor);
		}
	},
	{
		kind: 'complaints',
		usage: '',
		summary: (locale) => m.cli_help_import_complaints({}, { locale }),
		async run(db, bytes, _values, { locale, actor }) {
			const complaints = await import('$lib/server/complaints');
			return complaints.importFile(db, bytes, { locale }, actor);
		}
	},
	{
		kind: 'handbook',
		usage: '--year Y',
		options: { year: { type: 'string' } },
		summary: (locale) => m.cli_help_import_handbook({}, { locale }),
		async run(db, bytes, values, { locale, actor }) {
			const year = yearOption(values, locale);
			const handbook = await import('$lib/server/handbook');
			return { ...(await handbook.importFile(db, bytes, { year, locale }, actor)), year };
		}
	},
	{
		kind: 'call-list',
		usage: '--campaign CODE',
		options: { campaign: { type: 'string' } },
		summary: (locale) => m.cli_help_import_call_list({}, { locale }),
		async run(db, bytes, values, { locale, actor }) {
			const code = requiredString(values, 'campaign', (option) =>
				m.cli_missing_option({ option }, { locale })
			);
			const { importCallList } = await import('$lib/server/surveys/samples');
			return importCallList(db, code, bytes, { locale }, actor);
		}
	}
];

/** The file's bytes; refused before they are read when there are more than `maxBytes`. */
export async function readInput(
	file: string,
	maxBytes: number,
	locale: Locale
): Promise<Uint8Array> {
	try {
		const { size } = await stat(file);
		if (size > maxBytes) {
			const params = { size: megabytes(size), max: megabytes(maxBytes) };
			throw new CliError('file_too_large', messageOf('file_too_large', params, locale), [
				{ file, ...params }
			]);
		}
		return await readFile(file);
	} catch (e) {
		if (e instanceof CliError) throw e;
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT')
			throw new CliError('file_not_found', m.cli_file_not_found({ file }, { locale }), [{ file }]);
		throw new CliError(
			'file_unreadable',
			m.cli_file_unreadable({ file, reason: (e as Error).message }, { locale }),
			[{ file }]
		);
	}
}

/** The help of `import KIND --help`: the file's columns, and where each is described. */
export function columnsHelp(kind: ImportKindName, locale: Locale): string[] {
	const { columns, headerLabels } = KINDS[kind];
	return [
		'',
		m.cli_help_import_columns({}, { locale }),
		`  ${columns.join(',')}`,
		...(headerLabels
			? [
					m.imports_header_labels({}, { locale }),
					`  ${columns.map((c) => headerLabels[c]).join(',')}`
				]
			: []),
		m.cli_help_import_formats({ kind }, { locale })
	];
}

function importCommand(importer: Importer): Command {
	return {
		name: ['import', importer.kind],
		usage: `import ${importer.kind} FILE ${importer.usage}`.trim(),
		summary: importer.summary,
		help: (locale) => columnsHelp(importer.kind, locale),
		options: importer.options,
		args: ['FILE'],
		async run(ctx, { values, args }) {
			const { locale } = ctx;
			const file = args[0]!;
			const bytes = await readInput(file, KINDS[importer.kind].maxBytes, locale);
			const result = await importer.run(ctx.db, bytes, values, ctx);
			if (!result.ok) {
				const count = result.errors.length + result.moreErrors;
				const lines = result.errors.map(
					(e) =>
						'  ' +
						m.cli_import_row_error(
							{ line: e.line, column: e.column, message: e.message },
							{ locale }
						)
				);
				if (result.moreErrors > 0)
					lines.push('  ' + m.imports_more_errors({ count: result.moreErrors }, { locale }));
				throw new CliError(
					'invalid_rows',
					m.cli_import_rejected({ file, count }, { locale }),
					result.errors,
					1,
					lines
				);
			}
			const { rows, created, updated, unchanged, sha256, removed } = result;
			return {
				text: [
					m.cli_import_done({ file, rows, created, updated, unchanged, sha256 }, { locale }),
					// A file that replaces a set (the handbook's edition) says what it took away.
					...(removed ? [m.handbook_import_removed({ count: removed }, { locale })] : [])
				],
				json: {
					kind: importer.kind,
					file,
					...(result.year === undefined ? {} : { year: result.year }),
					rows,
					created,
					updated,
					unchanged,
					...(removed === undefined ? {} : { removed }),
					sha256
				}
			};
		}
	};
}

export const importCommands: Command[] = IMPORTERS.map(importCommand);
