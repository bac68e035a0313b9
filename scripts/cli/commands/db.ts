// `db migrate`: the runner applies pending migrations before every command; this one reports them.
import { m } from '$lib/paraglide/messages';
import type { Command } from '../command';

export const dbMigrate: Command = {
	name: ['db', 'migrate'],
	usage: '',
	summary: (locale) => m.cli_help_db_migrate({}, { locale }),
	async run(ctx) {
		const { applied, total } = ctx.migrations;
		const location = ctx.handle.location;
		return {
			text: [m.cli_migrated({ location, applied, total }, { locale: ctx.locale })],
			json: { database: { driver: ctx.handle.driver, location }, applied, total }
		};
	}
};
