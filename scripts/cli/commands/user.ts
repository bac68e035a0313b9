// `user create`: validates with the same schema as the users page and calls users.create; the
// password comes from standard input so that it never shows in `ps` or the shell history.
import { ACCOUNT_ROLES, type AccountRole } from '$lib/domain/roles';
import { MIN_PASSWORD_LENGTH } from '$lib/domain/password-policy';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { createUserSchema } from '$lib/schemas/users';
import * as users from '$lib/server/users';
import { userErrorMessage } from '$lib/server/users/messages';
import { CliError, optionalString, requiredString, type Command } from '../command';

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

/** The command-line spelling of each schema field, for messages and JSON details. */
const OPTION_OF: Record<string, string> = {
	username: '--username',
	displayName: '--display-name',
	role: '--role',
	departmentCode: '--department',
	password: '--password-stdin'
};

function fieldMessage(field: string, input: Record<string, unknown>, locale: Locale): string {
	switch (field) {
		case 'username':
			return m.cli_user_invalid_username({ min: 3, max: 64 }, { locale });
		case 'displayName':
			return m.cli_user_invalid_display_name({ max: 100 }, { locale });
		case 'role':
			return m.cli_user_invalid_role(
				{ role: String(input.role), roles: ACCOUNT_ROLES.join(', ') },
				{ locale }
			);
		case 'departmentCode':
			return m.cli_user_invalid_department({ max: 64 }, { locale });
		default:
			return String(input.password).length < MIN_PASSWORD_LENGTH
				? m.cli_user_password_too_short({ min: MIN_PASSWORD_LENGTH }, { locale })
				: m.cli_user_password_too_long({ max: 256 }, { locale });
	}
}

/** Standard input minus the one line break that `echo` or a here-document adds. */
function passwordFrom(stdin: string): string {
	return stdin.replace(/\r?\n$/, '');
}

export const userCreate: Command = {
	name: ['user', 'create'],
	usage:
		'user create --username U --role R [--department CODE] [--display-name N] --password-stdin',
	summary: (locale) => m.cli_help_user_create({}, { locale }),
	options: {
		username: { type: 'string' },
		role: { type: 'string' },
		department: { type: 'string' },
		'display-name': { type: 'string' },
		'password-stdin': { type: 'boolean' }
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
			password: passwordFrom(await ctx.readStdin())
		};
		const parsed = createUserSchema.safeParse(input);
		if (!parsed.success) {
			const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
			const details = fields.map((field) => ({
				field: OPTION_OF[field] ?? field,
				message: fieldMessage(field, input, locale)
			}));
			throw new CliError(
				'invalid_input',
				m.cli_invalid_input({}, { locale }),
				details,
				1,
				details.map((d) => `  ${d.field}: ${d.message}`)
			);
		}
		const data = parsed.data;
		let created: users.PublicUser;
		try {
			created = await ctx.db.transaction((tx) => users.create(tx, data, ctx.actor));
		} catch (e) {
			if (!(e instanceof users.UserError)) throw e;
			const field = OPTION_OF[e.field ?? ''] ?? null;
			const value = field === '--department' ? data.departmentCode : data.username;
			throw new CliError(
				e.code,
				userErrorMessage(e, { locale }),
				[{ field, value: value ?? null }],
				1,
				field ? [`  ${field}: ${value ?? ''}`] : []
			);
		}
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
					department
				}
			}
		};
	}
};
