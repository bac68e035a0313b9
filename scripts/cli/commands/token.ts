// `token create`: issues an API token for another system. The token is printed this once (the
// database keeps only its hash), on its own line so that a script can take it with `tail -1`.
import { m } from '$lib/paraglide/messages';
import { createTokenSchema } from '$lib/schemas/tokens';
import * as apiTokens from '$lib/server/auth/api-token';
import { optionalString, parseInput, requiredString, type Command } from '../command';

const ROLE_LABELS = {
	admin: m.role_admin,
	supervisor: m.role_supervisor,
	leader: m.role_leader,
	liaison: m.role_liaison,
	enterprise: m.role_enterprise
};

export const tokenCreate: Command = {
	name: ['token', 'create'],
	usage: 'token create --name N --role R [--department CODE]',
	summary: (locale) => m.cli_help_token_create({}, { locale }),
	options: {
		name: { type: 'string' },
		role: { type: 'string' },
		department: { type: 'string' }
	},
	fields: { name: '--name', role: '--role', departmentCode: '--department' },
	async run(ctx, { values }) {
		const { locale } = ctx;
		const missing = (option: string) => m.cli_missing_option({ option }, { locale });
		const input = {
			name: requiredString(values, 'name', missing),
			role: requiredString(values, 'role', missing),
			departmentCode: optionalString(values, 'department')
		};
		const data = parseInput(createTokenSchema, input, locale, tokenCreate.fields);
		const issued = await apiTokens.create(ctx.db, data, ctx.actor);
		const { record, token } = issued;
		return {
			text: [
				m.cli_token_created(
					{ name: record.name, role: ROLE_LABELS[record.role]({}, { locale }), id: record.id },
					{ locale }
				),
				token
			],
			json: {
				token,
				id: record.id,
				name: record.name,
				role: record.role,
				department: issued.departmentCode
			}
		};
	}
};
