// Test-data factories: build records through the same domain verbs the app uses.
import type { AccountRole } from '$lib/domain/roles';
import type { Actor } from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import * as users from '$lib/server/users';

export const testActor: Actor = { kind: 'cli', id: null, label: 'test', address: null };

let n = 0;
export const unique = (prefix: string) =>
	`${prefix}${Date.now().toString(36)}${(n++).toString(36)}`;

export async function makeUser(
	db: Database,
	overrides: Partial<{
		username: string;
		role: AccountRole;
		departmentCode: string;
		password: string;
	}> = {}
) {
	const password = overrides.password ?? 'correct horse battery';
	const created = await db.transaction((tx) =>
		users.create(
			tx,
			{
				username: overrides.username ?? unique('user'),
				displayName: 'Test User',
				role: overrides.role ?? 'admin',
				departmentCode: overrides.departmentCode,
				password
			},
			testActor
		)
	);
	return { ...created, password };
}
