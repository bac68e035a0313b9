// Runs the command line two ways: `npm run cli -- …` the way a maintainer would (a child
// process, `cli`), and one command in-process the way scripts/cli.ts runs it after parsing the
// words and running the migrations (`runCli`: against a test database, as the CLI actor).
import type { Locale } from '$lib/paraglide/runtime';
import type { DatabaseHandle } from '$lib/server/db';
import {
	CliError,
	execute,
	type Context,
	type OptionValues,
	type Outcome
} from '../../scripts/cli/command';
import { COMMANDS } from '../../scripts/cli/commands';
import { spawnCli } from './cli-process';

export function cli(args: string[], db: { DATABASE_URL?: string; PGLITE_DIR?: string }) {
	const env: NodeJS.ProcessEnv = { ...process.env, ...db };
	if (!db.DATABASE_URL) delete env.DATABASE_URL;
	return spawnCli(args, env);
}

/** `words` (the command's name, then its arguments) with its option values, in `locale`. */
export function runCli(
	handle: DatabaseHandle,
	words: string[],
	values: OptionValues = {},
	locale: Locale = 'en'
): Promise<Outcome> {
	const command = [...COMMANDS]
		.sort((a, b) => b.name.length - a.name.length)
		.find((c) => c.name.every((w, i) => words[i] === w));
	if (!command) throw new Error(`no command ${words.join(' ')}`);
	const ctx: Context = {
		locale,
		db: handle.db,
		handle,
		actor: { kind: 'cli', id: null, label: 'cli:test', address: null },
		migrations: { applied: 0, total: 0 },
		readStdin: async () => ''
	};
	return execute(command, ctx, { values, args: words.slice(command.name.length) });
}

/** What a command refused with (its CliError); success, or any other error, fails the test. */
export async function cliRefusal(p: Promise<unknown>): Promise<CliError> {
	try {
		await p;
	} catch (e) {
		if (e instanceof CliError) return e;
		throw e;
	}
	throw new Error('the command succeeded');
}
