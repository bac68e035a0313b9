// What a CLI command is and what it gets: the command table in ./commands lists them, the
// runner in ../cli.ts parses arguments, opens the database and prints what a command returns.
import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import {
	describeDetail,
	isDomainError,
	issueMessage,
	messageOf,
	type DomainError
} from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/audit';
import type { Database, DatabaseHandle } from '$lib/server/db';

/** One option as `parseArgs` takes it: `{ type: 'string' }`, `{ type: 'boolean' }`. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string];

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Context {
	locale: Locale;
	db: Database;
	handle: DatabaseHandle;
	/** Who the audit trail names for changes made by this run. */
	actor: Actor;
	/** What the migrations run before the command did. */
	migrations: { applied: number; total: number };
	/** The whole of standard input as text. */
	readStdin(): Promise<string>;
}

/** What a command did: lines for a person, and the one JSON document printed with --json. */
export interface Outcome {
	text: string[];
	json: unknown;
	/**
	 * A file's text to print exactly as it is instead of `text` (a CSV keeps its own record
	 * ends, every one CRLF, rather than lines joined by the terminal's LF).
	 */
	raw?: string;
}

export interface Command {
	/** The words that name it, e.g. ['import', 'departments']. */
	name: readonly string[];
	/** The rest of its usage line, after the name (option names are not translated). */
	usage: string;
	/** One line on what it does, in the user's language. */
	summary(locale: Locale): string;
	/** More lines for its --help (an import lists its file's columns). */
	help?(locale: Locale): string[];
	/** Its own options; --json, --lang and --help are added for every command. */
	options?: Record<string, OptionSpec>;
	/** Names of its positional arguments, in order; all are required. */
	args?: readonly string[];
	/** How the command line spells the input's fields (`departmentCode` → `--department`). */
	fields?: Readonly<Record<string, string>>;
	run(ctx: Context, input: { values: OptionValues; args: string[] }): Promise<Outcome>;
}

/**
 * A failure the user can act on. `exitCode` 2 means the command line itself was wrong (usage),
 * 1 that the input or the data was. `details` go into the JSON error document; `lines` are
 * printed under the message for a person (one per bad field or row).
 */
export class CliError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly details: unknown[] = [],
		readonly exitCode: 1 | 2 = 1,
		readonly lines: string[] = []
	) {
		super(message);
		this.name = 'CliError';
	}
}

/** A string option's value, or a usage error naming the missing option. */
export function requiredString(
	values: OptionValues,
	name: string,
	missing: (option: string) => string
): string {
	const v = values[name];
	if (typeof v !== 'string' || v === '')
		throw new CliError('missing_option', missing(`--${name}`), [{ option: `--${name}` }], 2);
	return v;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
	const v = values[name];
	return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A schema field as the command line spells it (an option or argument), else as it is. */
const spelled = (fields: Readonly<Record<string, string>> | undefined, field: string) =>
	fields?.[field] ?? field;

/**
 * Validates a command's input with the same schema as the page; refuses with every bad field
 * (the first problem of each), worded as on the page, named as on the command line.
 */
export function parseInput<S extends z.ZodType>(
	schema: S,
	input: Record<string, unknown>,
	locale: Locale,
	fields?: Readonly<Record<string, string>>
): z.output<S> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return parsed.data;
	const seen = new Set<string>();
	const details = parsed.error.issues.flatMap((issue) => {
		const field = issue.path.map(String).join('.');
		if (seen.has(field)) return [];
		seen.add(field);
		const value = input[field];
		return [
			{
				field: spelled(fields, field),
				value: typeof value === 'string' && !/password/i.test(field) ? value : null,
				message: issueMessage(issue, locale)
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

/** A verb's refusal as the command line reports it: its sentence, then the field or details. */
export function refusalOf(
	e: DomainError,
	locale: Locale,
	fields?: Readonly<Record<string, string>>
): CliError {
	const details = e.details.map((d) => {
		const { path, ...rest } = describeDetail(d, locale);
		return path === undefined ? rest : { field: spelled(fields, path), ...rest };
	});
	if (details.length > 0)
		return new CliError(
			e.code,
			messageOf(e.code, e.params, locale),
			details,
			1,
			details.map((d) => `  ${'field' in d ? `${d.field}: ` : ''}${d.message}`)
		);
	const field = e.field === undefined ? undefined : spelled(fields, e.field);
	return new CliError(
		e.code,
		messageOf(e.code, e.params, locale),
		[{ ...e.params, ...(field ? { field } : {}) }],
		1,
		[]
	);
}

/** Runs a command; a verb's refusal comes out as the command line reports it (`refusalOf`). */
export async function execute(
	command: Command,
	ctx: Context,
	input: { values: OptionValues; args: string[] }
): Promise<Outcome> {
	try {
		return await command.run(ctx, input);
	} catch (e) {
		if (isDomainError(e)) throw refusalOf(e, ctx.locale, command.fields);
		throw e;
	}
}
