// `token create`: issues an API token for another system. The token is printed this once (the
// database keeps only its hash), on its own line so that a script can take it with `tail -1`.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { createTokenSchema, tokenProblemMessage } from '$lib/schemas/tokens';
import * as apiTokens from '$lib/server/auth/api-token';
import { CliError, optionalString, requiredString, type Command } from '../command';

const ROLE_LABELS = {
	admin: m.role_admin,
	supervisor: m.role_supervisor,
	leader: m.role_leader,
	liaison: m.role_liaison,
	enterprise: m.role_enterprise
};

const OPTION_OF: Record<string, string> = {
	name: '--name',
	role: '--role',
	departmentCode: '--department'
};

function invalid(details: { field: string; message: string }[], locale: Locale): CliError {
	return new CliError(
		'invalid_input',
		m.cli_invalid_input({}, { locale }),
		details,
		1,
		details.map((d) => `  ${d.field}: ${d.message}`)
	);
}

export const tokenCreate: Command = {
	name: ['token', 'create'],
	usage: 'token create --name N --role R [--department CODE]',
	summary: (locale) => m.cli_help_token_create({}, { locale }),
	options: {
		name: { type: 'string' },
		role: { type: 'string' },
		department: { type: 'string' }
	},
	async run(ctx, { values }) {
		const { locale } = ctx;
		const missing = (option: string) => m.cli_missing_option({ option }, { locale });
		const input = {
			name: requiredString(values, 'name', missing),
			role: requiredString(values, 'role', missing),
			departmentCode: optionalString(values, 'department')
		};
		const parsed = createTokenSchema.safeParse(input);
		if (!parsed.success) {
			const seen = new Set<string>();
			const details = parsed.error.issues
				.filter((i) => !seen.has(String(i.path[0])) && seen.add(String(i.path[0])))
				.map((i) => ({
					field: OPTION_OF[String(i.path[0])] ?? String(i.path[0]),
					message: tokenProblemMessage(i.message, locale)
				}));
			throw invalid(details, locale);
		}
		let issued: Awaited<ReturnType<typeof apiTokens.create>>;
		try {
			issued = await ctx.db.transaction((tx) => apiTokens.create(tx, parsed.data, ctx.actor));
		} catch (e) {
			if (!(e instanceof apiTokens.ApiTokenError)) throw e;
			const code = parsed.data.departmentCode ?? '';
			throw invalid(
				[
					{
						field: '--department',
						message: m.tokens_error_department_not_found({ code }, { locale })
					}
				],
				locale
			);
		}
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
