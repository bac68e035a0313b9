// First start on an empty database: a first admin (password from ADMIN_PASSWORD, or generated
// and printed once) so that a new user can sign in without any other step, and a few example
// departments so that the pages have something to show before the real list is imported.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { currentYear } from '$lib/domain/years';
import type { Database } from '$lib/server/db';
import * as departments from '$lib/server/departments';
import { EXAMPLE_DEPARTMENTS } from '$lib/server/departments/examples';
import * as users from '$lib/server/users';

export const SYSTEM_ACTOR = { kind: 'system', id: null, label: 'system' } as const;

export async function bootstrap(
	db: Database,
	env: NodeJS.ProcessEnv = process.env,
	log: (line: string) => void = console.log
): Promise<void> {
	await createFirstAdmin(db, env, log);
	await createExampleDepartments(db, log);
}

async function createFirstAdmin(db: Database, env: NodeJS.ProcessEnv, log: (line: string) => void) {
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

/**
 * Only while there is no department at all: an installation's own list replaces nothing. Marked
 * as examples, with categories from this year: the first real import removes those unused.
 */
async function createExampleDepartments(db: Database, log: (line: string) => void) {
	if ((await departments.total(db)) > 0) return;
	const fromYear = currentYear();
	await db.transaction(async (tx) => {
		for (const example of EXAMPLE_DEPARTMENTS) {
			await departments.create(tx, { ...example, fromYear, example: true }, SYSTEM_ACTOR);
		}
	});
	log(
		`Created ${EXAMPLE_DEPARTMENTS.length} example departments (categories from ${fromYear}); import the real list with "npm run cli -- import departments FILE --year Y".\n`
	);
}

function generatePassword(): string {
	const b = new Uint8Array(10);
	crypto.getRandomValues(b);
	return encodeBase32LowerCaseNoPadding(b);
}
