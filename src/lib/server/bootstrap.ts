// First start on an empty database: a first admin (password from ADMIN_PASSWORD, or generated
// and printed once) so that a new user can sign in without any other step.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Database } from '$lib/server/db';
import * as users from '$lib/server/users';

export const SYSTEM_ACTOR = { kind: 'system', id: null, label: 'system' } as const;

export async function bootstrap(
	db: Database,
	env: NodeJS.ProcessEnv = process.env,
	log: (line: string) => void = console.log
): Promise<void> {
	if ((await users.total(db)) > 0) return;
	const username = env.ADMIN_USERNAME || 'admin';
	const generated = !env.ADMIN_PASSWORD;
	const password = env.ADMIN_PASSWORD || generatePassword();
	await db.transaction((tx) =>
		users.create(
			tx,
			{ username, displayName: 'Administrator', role: 'admin', password },
			SYSTEM_ACTOR
		)
	);
	log(
		generated
			? `\nFirst admin created. Sign in as "${username}" with password: ${password}\nThis password is printed once; change it after signing in.\n`
			: `\nFirst admin "${username}" created with the password from ADMIN_PASSWORD.\n`
	);
}

function generatePassword(): string {
	const b = new Uint8Array(10);
	crypto.getRandomValues(b);
	return encodeBase32LowerCaseNoPadding(b);
}
