// `demo`: loads the demo city (docs/demo.md) into an empty database as the CLI actor, and prints
// what it wrote and the demo accounts' passwords (once); refuses a database with records.
import { m } from '$lib/paraglide/messages';
import * as demo from '$lib/server/demo';
import { recordsText, summaryLines } from '$lib/server/demo/summary';
import { CliError, type Command } from '../command';

export const demoLoad: Command = {
	name: ['demo'],
	usage: 'demo',
	summary: (locale) => m.cli_help_demo({}, { locale }),
	async run(ctx) {
		const { locale } = ctx;
		let result: demo.DemoResult;
		try {
			result = await demo.load(ctx.db, ctx.actor);
		} catch (e) {
			if (e instanceof demo.DemoRefused)
				throw new CliError(
					'demo_not_empty',
					m.cli_demo_not_empty({ records: recordsText(e.records, locale) }, { locale }),
					[{ records: e.records }]
				);
			throw e;
		}
		return { text: summaryLines(result, locale), json: result };
	}
};
