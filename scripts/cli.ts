// The command line (`npm run cli -- <command>`): finds the command in the table, parses its
// options, opens and migrates the app's database, runs it as the CLI actor and prints the outcome.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { isDomainError } from '$lib/errors';
import type { Actor } from '$lib/server/audit';
import { anchorAround, anchorSettings } from '$lib/server/audit/anchor';
import { openDatabase, optionsFromEnv, rows, type Database } from '$lib/server/db';
import { isUnavailableError } from '$lib/server/db/health';
import { DatabaseLockedError } from '$lib/server/db/lock';
import {
	CliError,
	execute,
	type Command,
	type OptionSpec,
	refusalOf,
	type OptionValues,
	type Outcome
} from './cli/command';
import { COMMANDS } from './cli/commands';
import { pickLocale } from '$lib/server/console-locale.js';

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
	json: { type: 'boolean' },
	lang: { type: 'string' },
	help: { type: 'boolean', short: 'h' }
};

/**
 * Errors that mean "the database server is not there or refuses us", not a bug: the app's
 * judgement of an unreachable server (src/lib/server/db/health.ts), and a database or role that
 * does not exist or a wrong password.
 */
const REFUSED_US = new Set(['3D000', '28000', '28P01']);
const unreachable = (cause: unknown, code: string | undefined) =>
	isUnavailableError(cause) || (code !== undefined && REFUSED_US.has(code));

/** Drizzle wraps a driver's error (which has the code) in its own "Failed query" error. */
function rootCause(e: unknown): unknown {
	let current = e;
	while (current instanceof Error && current.cause !== undefined) current = current.cause;
	return current;
}

function cliActor(): Actor {
	let name: string;
	try {
		name = userInfo().username;
	} catch {
		name = process.env.USER || 'unknown';
	}
	return { kind: 'cli', id: null, label: `cli:${name}`, address: null };
}

async function readStdin(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

async function appliedMigrations(db: Database): Promise<number> {
	const [present] = await rows<{ t: string | null }>(
		db,
		sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`
	);
	if (!present?.t) return 0;
	const [r] = await rows<{ n: number }>(
		db,
		sql`select count(*)::int as n from drizzle.__drizzle_migrations`
	);
	return r?.n ?? 0;
}

function helpText(locale: Locale): string[] {
	const lines = [m.cli_usage({}, { locale }), '', m.cli_help_commands({}, { locale })];
	for (const c of COMMANDS)
		lines.push(`  ${c.usage || c.name.join(' ')}`, `      ${c.summary(locale)}`);
	lines.push('  help [COMMAND]', `      ${m.cli_help_help({}, { locale })}`, '');
	lines.push(m.cli_help_options({}, { locale }), '', m.cli_help_more({}, { locale }));
	return lines;
}

function helpJson(locale: Locale) {
	return {
		commands: COMMANDS.map((c) => ({
			command: c.name.join(' '),
			usage: c.usage || c.name.join(' '),
			summary: c.summary(locale)
		}))
	};
}

function commandHelp(c: Command, locale: Locale): Outcome {
	const usage = c.usage || c.name.join(' ');
	return {
		text: [
			m.cli_usage_line({ usage }, { locale }),
			`  ${c.summary(locale)}`,
			...(c.help?.(locale) ?? []),
			'',
			m.cli_help_options({}, { locale })
		],
		json: {
			command: c.name.join(' '),
			usage,
			summary: c.summary(locale),
			...(c.help ? { help: c.help(locale) } : {})
		}
	};
}

/** The command whose name the leading positionals spell, the longest match winning. */
function findCommand(words: string[]): Command | undefined {
	return [...COMMANDS]
		.sort((a, b) => b.name.length - a.name.length)
		.find((c) => c.name.every((w, i) => words[i] === w));
}

/** parseArgs' own (English) errors, as messages in the user's language. */
function usageError(e: unknown, c: Command, locale: Locale): CliError {
	const code = (e as NodeJS.ErrnoException).code;
	const message = (e as Error).message;
	const quoted = /'([^' ]+)/.exec(message)?.[1] ?? '';
	const usage = m.cli_usage_line({ usage: c.usage || c.name.join(' ') }, { locale });
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
		return new CliError(
			'unknown_option',
			m.cli_unknown_option({ option: quoted }, { locale }),
			[{ option: quoted }],
			2,
			[usage]
		);
	if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
		return new CliError(
			'unexpected_argument',
			m.cli_unexpected_argument({ argument: quoted }, { locale }),
			[{ argument: quoted }],
			2,
			[usage]
		);
	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
		return new CliError(
			'invalid_option',
			m.cli_option_needs_value({ option: quoted }, { locale }),
			[{ option: quoted }],
			2,
			[usage]
		);
	return e instanceof CliError ? e : new CliError('failed', message);
}

/** Opens the database, migrates it, runs the command and always closes the handle. */
async function runWithDatabase(
	command: Command,
	input: { values: OptionValues; args: string[] },
	locale: Locale
): Promise<Outcome> {
	const options = optionsFromEnv();
	let handle;
	try {
		handle = await openDatabase(options);
	} catch (e) {
		if (e instanceof DatabaseLockedError) {
			const { pid, host, command: holder, since } = e.holder;
			throw new CliError('database_locked', e.describe(locale), [
				{ dir: e.dir, pid, host, command: holder, since }
			]);
		}
		throw e;
	}
	try {
		let migrations;
		try {
			const before = await appliedMigrations(handle.db);
			await handle.migrate();
			const total = await appliedMigrations(handle.db);
			migrations = { applied: total - before, total };
		} catch (e) {
			const cause = rootCause(e);
			const code = (cause as { code?: string }).code;
			if (unreachable(cause, code))
				throw new CliError(
					'database_unreachable',
					m.cli_database_unreachable(
						{ location: handle.location, reason: (cause as Error).message },
						{ locale }
					),
					[{ location: handle.location, code }]
				);
			throw e;
		}
		// A command that changed the trail leaves its signed head in the anchor file.
		try {
			return await anchorAround(handle.db, anchorSettings(), () =>
				execute(
					command,
					{ locale, db: handle.db, handle, actor: cliActor(), migrations, readStdin },
					input
				)
			);
		} catch (e) {
			if (isDomainError(e)) throw refusalOf(e, locale);
			throw e;
		}
	} finally {
		await handle.close();
	}
}

async function main(argv: string[]): Promise<number> {
	// First pass, lenient: only the global options and the command's words are known yet.
	const first = parseArgs({
		args: argv,
		options: GLOBAL_OPTIONS,
		strict: false,
		allowPositionals: true,
		tokens: true
	});
	const lang = typeof first.values.lang === 'string' ? first.values.lang : undefined;
	const { locale, invalid } = pickLocale(lang);
	const json = first.values.json === true;

	const print = (outcome: Outcome) => {
		if (json) process.stdout.write(JSON.stringify(outcome.json, null, 2) + '\n');
		else if (outcome.raw !== undefined) process.stdout.write(outcome.raw);
		else process.stdout.write(outcome.text.join('\n') + '\n');
	};
	const fail = (e: CliError) => {
		process.stderr.write([e.message, ...e.lines].join('\n') + '\n');
		if (json)
			process.stdout.write(
				JSON.stringify(
					{ error: { code: e.code, message: e.message, details: e.details } },
					null,
					2
				) + '\n'
			);
		return e.exitCode;
	};

	try {
		if (invalid !== null)
			throw new CliError(
				'invalid_lang',
				m.cli_invalid_lang({ lang: invalid }, { locale }),
				[{ option: '--lang', value: invalid }],
				2
			);
		const words = first.positionals;
		if (words.length === 0 && first.values.help !== true)
			throw new CliError('no_command', m.cli_no_command({}, { locale }), [], 2, [
				'',
				...helpText(locale)
			]);
		if (words.length === 0 || words[0] === 'help') {
			const about = words.length > 1 ? findCommand(words.slice(1)) : undefined;
			print(
				about ? commandHelp(about, locale) : { text: helpText(locale), json: helpJson(locale) }
			);
			return 0;
		}
		const command = findCommand(words);
		if (!command) {
			const typed = words.slice(0, 2).join(' ');
			throw new CliError(
				'unknown_command',
				m.cli_unknown_command({ command: typed }, { locale }),
				[{ command: typed }],
				2
			);
		}
		if (first.values.help === true) {
			print(commandHelp(command, locale));
			return 0;
		}

		// Second pass, strict: the command's own options, without the words that named it.
		const nameTokens = new Set(
			(first.tokens ?? [])
				.filter((t) => t.kind === 'positional')
				.slice(0, command.name.length)
				.map((t) => t.index)
		);
		const rest = argv.filter((_, i) => !nameTokens.has(i));
		let parsed;
		try {
			parsed = parseArgs({
				args: rest,
				options: { ...GLOBAL_OPTIONS, ...command.options },
				strict: true,
				allowPositionals: true
			});
		} catch (e) {
			throw usageError(e, command, locale);
		}
		const expected = command.args ?? [];
		const usage = m.cli_usage_line({ usage: command.usage || command.name.join(' ') }, { locale });
		if (parsed.positionals.length < expected.length) {
			const argument = expected[parsed.positionals.length]!;
			throw new CliError(
				'missing_argument',
				m.cli_missing_argument({ argument }, { locale }),
				[{ argument }],
				2,
				[usage]
			);
		}
		if (parsed.positionals.length > expected.length) {
			const argument = parsed.positionals[expected.length]!;
			throw new CliError(
				'unexpected_argument',
				m.cli_unexpected_argument({ argument }, { locale }),
				[{ argument }],
				2,
				[usage]
			);
		}
		print(
			await runWithDatabase(command, { values: parsed.values, args: parsed.positionals }, locale)
		);
		return 0;
	} catch (e) {
		if (e instanceof CliError) return fail(e);
		const cause = rootCause(e);
		const reason = cause instanceof Error ? cause.message : String(cause);
		return fail(new CliError('failed', m.cli_failed({ reason }, { locale })));
	}
}

process.exitCode = await main(process.argv.slice(2));
