// Test-data factories: build records through the same domain verbs the app uses.
import type { AccountRole } from '$lib/domain/roles';
import type { Actor } from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import { createSession, markVerified } from '$lib/server/auth/session';
import type { Database } from '$lib/server/db';
import * as departments from '$lib/server/departments';
import * as findings from '$lib/server/findings';
import * as users from '$lib/server/users';

export const testActor: Actor = { kind: 'cli', id: null, label: 'test', address: null };

/** A reader who sees records whole (an admin), for modules that shape what they return by role. */
export const adminReader = { role: 'admin' } as const;

/** A signed-in user as the guard gives it to verbs (no department). */
export const principalOf = (id: number | null, role: AccountRole): Principal => ({
	kind: 'user',
	id,
	label: `u${id}`,
	role,
	departmentId: null,
	departmentCode: null
});

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

export async function makeDepartment(
	db: Database,
	overrides: Partial<departments.CreateDepartment> = {}
) {
	const code = overrides.code ?? unique('d');
	const category = overrides.category ?? 'municipal';
	return db.transaction((tx) =>
		departments.create(
			tx,
			{
				code,
				nameZh: `部门${code}`,
				nameEn: `Department ${code}`,
				fromYear: 2024,
				superiorAuthority: category === 'vertical' ? `上级${code}` : null,
				...overrides,
				category
			},
			testActor
		)
	);
}

/**
 * A signed-in session of a user, as sign-in would create it, its second step passed (as if the
 * code had been given then); returns the cookie's token.
 */
export async function makeSession(db: Database, userId: number, now = new Date()) {
	const made = await createSession(db, userId, now);
	await markVerified(db, made.session.id, now);
	return made;
}

/** A recorded finding against a department (by code), through the findings verb. */
export async function makeFinding(
	db: Database,
	departmentCode: string,
	overrides: Partial<findings.RecordFinding> = {}
) {
	return db.transaction((tx) =>
		findings.record(
			tx,
			{
				departmentCode,
				date: '2025-04-01',
				source: 'special_inspection',
				points: '-1.00',
				description: 'test finding',
				...overrides
			},
			testActor
		)
	);
}
