// First start on an empty database: a first admin (password from ADMIN_PASSWORD, or generated
// and printed once) so that a new user can sign in without any other step, and a few example
// departments so that the pages have something to show before the real list is imported — or,
// with PINGYI_DEMO=1 (which `npm start` sets when asked to), the demo city instead (docs/demo.md).
import { sql } from 'drizzle-orm';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import type { Database, Tx } from '$lib/server/db';
import * as exampleComplaints from '$lib/server/complaints/examples';
import * as demo from '$lib/server/demo';
import { summaryLines } from '$lib/server/demo/summary';
import * as departments from '$lib/server/departments';
import { EXAMPLE_DEPARTMENTS } from '$lib/server/departments/examples';
import { pickLocale } from '$lib/server/console-locale';
import * as users from '$lib/server/users';
import { generatePassword } from '$lib/server/auth/password';

export const SYSTEM_ACTOR = { kind: 'system', id: null, label: 'system' } as const;

// Any constant unique to this lock.
const FIRST_START_LOCK_KEY = 7_410_0002;

/**
 * Several instances may start on one empty database at once: each first-start step looks and
 * writes under one lock, so one of them makes the records and the others find them made.
 */
const firstStartLock = (tx: Tx) =>
	tx.execute(sql`select pg_advisory_xact_lock(${FIRST_START_LOCK_KEY})`);

export async function bootstrap(
	db: Database,
	env: NodeJS.ProcessEnv = process.env,
	log: (line: string) => void = console.log,
	/** The first start's clock: the example departments' year and the example complaints' years. */
	now: Date = new Date()
): Promise<void> {
	await createFirstAdmin(db, env, log);
	if (env.PINGYI_DEMO === '1' && (await demo.mayLoad(db))) await loadDemo(db, env, log);
	else await createExamples(db, env, log, now);
}

/** The demo city instead of the examples, on a database without records of its own. */
async function loadDemo(db: Database, env: NodeJS.ProcessEnv, log: (line: string) => void) {
	const { locale } = pickLocale(undefined, env);
	const result = await demo.load(db, SYSTEM_ACTOR);
	log(summaryLines(result, locale).join('\n') + '\n');
}

/**
 * In the language of the terminal it prints to (PINGYI_LANG or LANG, as `npm start` and the CLI),
 * which is also the first user's: the admin's display name and the lines about it.
 */
async function createFirstAdmin(db: Database, env: NodeJS.ProcessEnv, log: (line: string) => void) {
	const { locale } = pickLocale(undefined, env);
	const username = env.ADMIN_USERNAME || 'admin';
	const generated = !env.ADMIN_PASSWORD;
	const password = env.ADMIN_PASSWORD || generatePassword();
	const displayName = m.bootstrap_admin_name({}, { locale });
	const created = await db.transaction(async (tx) => {
		await firstStartLock(tx);
		if ((await users.total(tx)) > 0) return false;
		await users.create(tx, { username, displayName, role: 'admin', password }, SYSTEM_ACTOR);
		return true;
	});
	if (!created) return;
	log(
		`\n${
			generated
				? m.bootstrap_admin_generated({ username, password }, { locale })
				: m.bootstrap_admin_from_env({ username }, { locale })
		}\n`
	);
}

/**
 * Only while there is no department at all: an installation's own list replaces nothing. Marked
 * as examples, with categories from this year, and example complaints against them over the last
 * two whole years (complaints/examples.ts): removing the examples removes both.
 */
async function createExamples(
	db: Database,
	env: NodeJS.ProcessEnv,
	log: (line: string) => void,
	now: Date
) {
	const { locale } = pickLocale(undefined, env);
	const fromYear = currentYear(now);
	const complaints = await db.transaction(async (tx) => {
		await firstStartLock(tx);
		if ((await departments.total(tx)) > 0) return null;
		for (const example of EXAMPLE_DEPARTMENTS) {
			await departments.create(tx, { ...example, fromYear, example: true }, SYSTEM_ACTOR);
		}
		return exampleComplaints.createExamples(tx, now, SYSTEM_ACTOR);
	});
	if (complaints === null) return;
	log(
		m.bootstrap_examples_created(
			{ count: EXAMPLE_DEPARTMENTS.length, year: fromYear },
			{ locale }
		) + '\n'
	);
	const { earlier, later } = exampleComplaints.exampleYears(now);
	log(
		m.bootstrap_example_complaints_created({ count: complaints, earlier, later }, { locale }) + '\n'
	);
}
