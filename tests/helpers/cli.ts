// Runs a command of the command line in-process, the way scripts/cli.ts does after parsing the
// words and running the migrations: against a test database, as the CLI actor.
import type { Locale } from '$lib/paraglide/runtime';
import type { DatabaseHandle } from '$lib/server/db';
import { execute, type Context, type OptionValues, type Outcome } from '../../scripts/cli/command';
import { COMMANDS } from '../../scripts/cli/commands';

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
