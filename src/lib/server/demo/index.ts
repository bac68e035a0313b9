// The demo city (docs/demo.md): fills an empty database with a Yong'an-like city — its
// departments and enterprises, three years (2002–2004) of records, the handbook of approval
// items, evaluation years 2002 and 2003 published and 2004 as a draft, and one account per role —
// from which the product's own statistics give the seed report's figures. Deterministic: every
// run writes the same records (but for the accounts' passwords and the audit times).
//   import * as demo from '$lib/server/demo'
import { and, eq, sql } from 'drizzle-orm';
import type { AccountRole } from '$lib/domain/roles';
import type { Actor } from '$lib/server/audit';
import { generatePassword } from '$lib/server/auth/password';
import { rows, type Database, type Executor } from '$lib/server/db';
import { department, enterprise, sampleUnit } from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import * as users from '$lib/server/users';
import * as cases from './cases';
import * as complaints from './complaints';
import type { DemoContext } from './context';
import { DEMO_YEARS } from './figures';
import * as findings from './findings';
import * as handbook from './handbook';
import { createRandom } from './prng';
import { createDepartments, createEnterprises } from './register';
import * as surveys from './surveys';
import * as years from './years';

export { COMPLAINTS, CASES, HANDBOOK, ENTERPRISES, DEMO_YEARS } from './figures';
export { DEPARTMENTS, MUNICIPAL, VERTICAL } from './catalogue';

/** The seed every run starts from: the same city each time. */
export const DEMO_SEED = 20_040_630;

/** Kinds of records whose presence means the database is in use (examples aside). */
export const RECORD_KINDS = [
	'departments',
	'enterprises',
	'complaints',
	'cases',
	'findings',
	'campaigns',
	'visits',
	'handbook',
	'years',
	'accounts'
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * What the database already holds, by kind: only the first start's examples (example
 * departments and complaints) and admin accounts do not count, since the demo replaces the
 * examples and keeps the admins.
 */
export async function existingRecords(db: Executor): Promise<Partial<Record<RecordKind, number>>> {
	const [r] = await rows<Record<RecordKind, number>>(
		db,
		sql`select
			(select count(*) from department where not example)::int as departments,
			(select count(*) from enterprise)::int as enterprises,
			(select count(*) from complaint where not example)::int as complaints,
			(select count(*) from service_case)::int as cases,
			(select count(*) from finding)::int as findings,
			(select count(*) from campaign)::int as campaigns,
			(select count(*) from visit)::int as visits,
			(select count(*) from handbook_edition)::int as handbook,
			(select count(*) from evaluation_year)::int as years,
			(select count(*) from "user" where role <> 'admin')::int as accounts`
	);
	return Object.fromEntries(Object.entries(r!).filter(([, n]) => Number(n) > 0));
}

/** The demo refuses a database that holds records of its own. */
export class DemoRefused extends Error {
	constructor(readonly records: Partial<Record<RecordKind, number>>) {
		super('the database already holds records');
		this.name = 'DemoRefused';
	}
}

export interface DemoAccount {
	username: string;
	role: AccountRole;
	password: string;
	/** The liaison's department, the enterprise account's enterprise: by name. */
	of: { zh: string; en: string } | null;
}

export interface DemoResult {
	departments: { municipal: number; vertical: number };
	enterprises: number;
	cases: number;
	complaints: number;
	findings: number;
	visits: number;
	problems: number;
	responses: number;
	handbookItems: { before: number; after: number };
	years: years.YearOutcome[];
	examplesRemoved: number;
	accounts: DemoAccount[];
	milliseconds: number;
}

async function account(
	db: Executor,
	actor: Actor,
	input: {
		username: string;
		displayName: string;
		role: AccountRole;
		departmentCode?: string;
		enterpriseUscc?: string;
	},
	of: DemoAccount['of']
): Promise<DemoAccount & { id: number }> {
	const password = generatePassword();
	const created = await users.create(db, { ...input, password }, actor);
	return { id: created.id, username: input.username, role: input.role, password, of };
}

/**
 * Loads the demo city as `actor` (audited: the creations through the modules' verbs, the bulk
 * records one entry per kind). Refused (`DemoRefused`) when the database already holds records;
 * the first start's example departments and complaints are removed first.
 */
export async function load(db: Database, actor: Actor): Promise<DemoResult> {
	const started = performance.now();
	const random = createRandom(DEMO_SEED);
	const first = await db.transaction(async (tx) => {
		// Serialise with another loader: the second one finds the records and is refused.
		await tx.execute(sql`select pg_advisory_xact_lock(7410630)`);
		const found = await existingRecords(tx);
		if (Object.keys(found).length > 0) throw new DemoRefused(found);
		const removed = await departments.removeUnusedExamples(tx, actor);
		const rows = await createDepartments(tx, actor, random.fork('departments'));
		const ctx: DemoContext = {
			tx,
			actor,
			random: random.fork('records'),
			departments: rows,
			byCode: new Map(rows.map((d) => [d.code, d])),
			enterprises: await createEnterprises(tx, actor, random.fork('enterprises')),
			supervisorId: 0,
			leaderId: 0
		};
		const supervisor = await account(
			tx,
			actor,
			{ username: 'demo-supervisor', displayName: '效能监察大队 陈志明', role: 'supervisor' },
			null
		);
		const leader = await account(
			tx,
			actor,
			{ username: 'demo-leader', displayName: '市领导 林建华', role: 'leader' },
			null
		);
		ctx.supervisorId = supervisor.id;
		ctx.leaderId = leader.id;
		const planned = handbook.plan(random.fork('handbook'));
		await handbook.write(tx, actor, planned, new Map(rows.map((d) => [d.code, d.id])));
		const caseCount = await cases.write(tx, actor, random.fork('cases'), rows, planned);
		const complaintCount = await complaints.write(tx, actor, random.fork('complaints'), rows);
		const findingCount = await findings.write(tx, actor, random.fork('findings'), rows);
		const survey = await surveys.write({ ...ctx, random: random.fork('surveys') });
		return {
			removed: removed.length,
			leaderId: leader.id,
			accounts: [leader, supervisor],
			counts: {
				departments: {
					municipal: rows.filter((d) => d.category === 'municipal').length,
					vertical: rows.filter((d) => d.category === 'vertical').length
				},
				enterprises: ctx.enterprises.length,
				cases: caseCount,
				complaints: complaintCount,
				findings: findingCount,
				visits: survey.visits,
				problems: survey.problems,
				responses: survey.responses,
				handbookItems: { before: planned.before.length, after: planned.after.length }
			}
		};
	});

	const outcomes = await years.run(db, actor, first.leaderId);

	// A liaison of a department in rectification in the latest published year, and an
	// enterprise visited in the last year with an account of its own.
	const published = outcomes.filter((o) => o.published).at(-1)!;
	const [liaisonOf] = await db
		.select({ code: department.code, nameZh: department.nameZh, nameEn: department.nameEn })
		.from(department)
		.where(eq(department.code, published.rectification.at(-1)!));
	const [visited] = await db
		.select({ uscc: enterprise.uscc, name: enterprise.name })
		.from(sampleUnit)
		.innerJoin(enterprise, eq(enterprise.id, sampleUnit.enterpriseId))
		.where(
			and(
				eq(sampleUnit.position, 1),
				eq(
					sampleUnit.campaignId,
					sql`(select id from campaign where code = ${`zf-${DEMO_YEARS.at(-1)}`})`
				)
			)
		);
	const liaison = await account(
		db,
		actor,
		{
			username: 'demo-liaison',
			displayName: `${liaisonOf!.nameZh} 联络员`,
			role: 'liaison',
			departmentCode: liaisonOf!.code
		},
		{ zh: liaisonOf!.nameZh, en: liaisonOf!.nameEn }
	);
	const enterpriseAccount = await account(
		db,
		actor,
		{
			username: 'demo-enterprise',
			displayName: visited!.name,
			role: 'enterprise',
			enterpriseUscc: visited!.uscc
		},
		{ zh: visited!.name, en: visited!.name }
	);
	return {
		...first.counts,
		years: outcomes,
		examplesRemoved: first.removed,
		accounts: [...first.accounts, liaison, enterpriseAccount].map(({ id: _, ...a }) => a),
		milliseconds: Math.round(performance.now() - started)
	};
}

/** Whether there is nothing but the first start's examples and admins (the demo may load). */
export async function mayLoad(db: Executor): Promise<boolean> {
	return Object.keys(await existingRecords(db)).length === 0;
}
