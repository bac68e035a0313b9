// `user create`: validates with the same schema as the users page and calls users.create; the
// password comes from standard input so that it never shows in `ps` or the shell history.
// `user reset-second-factor`: what an admin does on the user's page (a lost phone), for the one
// who cannot sign in to do it: the last admin without phone or recovery codes.
import type { AccountRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { createUserSchema } from '$lib/schemas/users';
import { DomainError } from '$lib/errors';
import * as twoFactor from '$lib/server/auth/two-factor';
import * as users from '$lib/server/users';
import { CliError, optionalString, parseInput, requiredString, type Command } from '../command';

const ROLE_LABELS: Record<
	AccountRole,
	(i: Record<string, never>, o: { locale: Locale }) => string
> = {
	admin: m.role_admin,
	supervisor: m.role_supervisor,
	leader: m.role_leader,
	liaison: m.role_liaison,
	enterprise: m.role_enterprise
};

/** Standard input minus the one line break that `echo` or a here-document adds. */
function passwordFrom(stdin: string): string {
	return stdin.replace(/\r?\n$/, '');
}

export const userCreate: Command = {
	name: ['user', 'create'],
	usage:
		'user create --username U --role R [--department CODE] [--enterprise USCC] [--display-name N] --password-stdin',
	summary: (locale) => m.cli_help_user_create({}, { locale }),
	options: {
		username: { type: 'string' },
		role: { type: 'string' },
		department: { type: 'string' },
		enterprise: { type: 'string' },
		'display-name': { type: 'string' },
		'password-stdin': { type: 'boolean' }
	},
	fields: {
		username: '--username',
		displayName: '--display-name',
		role: '--role',
		departmentCode: '--department',
		enterpriseUscc: '--enterprise',
		password: '--password-stdin'
	},
	async run(ctx, { values }) {
		const { locale } = ctx;
		const missing = (option: string) => m.cli_missing_option({ option }, { locale });
		const username = requiredString(values, 'username', missing);
		const role = requiredString(values, 'role', missing);
		if (values['password-stdin'] !== true)
			throw new CliError(
				'password_stdin_required',
				m.cli_password_stdin_required({}, { locale }),
				[{ option: '--password-stdin' }],
				2
			);
		if (process.stdin.isTTY) process.stderr.write(m.cli_password_prompt({}, { locale }) + '\n');
		const input = {
			username,
			displayName: optionalString(values, 'display-name') ?? username,
			role,
			departmentCode: optionalString(values, 'department'),
			enterpriseUscc: optionalString(values, 'enterprise'),
			password: passwordFrom(await ctx.readStdin())
		};
		const data = parseInput(createUserSchema, input, locale, userCreate.fields);
		const created = await users.create(ctx.db, data, ctx.actor);
		const roleLabel = ROLE_LABELS[created.role]({}, { locale });
		const department = data.departmentCode ?? null;
		return {
			text: [
				department
					? m.cli_user_created_department(
							{ username: created.username, role: roleLabel, department, id: created.id },
							{ locale }
						)
					: m.cli_user_created(
							{ username: created.username, role: roleLabel, id: created.id },
							{ locale }
						)
			],
			json: {
				user: {
					id: created.id,
					username: created.username,
					displayName: created.displayName,
					role: created.role,
					department,
					enterprise: data.enterpriseUscc ?? null
				}
			}
		};
	}
};

export const userResetSecondFactor: Command = {
	name: ['user', 'reset-second-factor'],
	usage: 'user reset-second-factor --username U',
	summary: (locale) => m.cli_help_user_reset_second_factor({}, { locale }),
	options: { username: { type: 'string' } },
	fields: { username: '--username' },
	async run(ctx, { values }) {
		const { locale } = ctx;
		const missing = (option: string) => m.cli_missing_option({ option }, { locale });
		const username = requiredString(values, 'username', missing);
		const id = await users.idByUsername(ctx.db, username);
		if (id === null) throw new DomainError('user_not_found');
		await twoFactor.reset(ctx.db, id, ctx.actor);
		return {
			text: [m.cli_second_factor_reset({ username }, { locale })],
			json: { user: { id, username }, secondFactor: 'removed' }
		};
	}
};
