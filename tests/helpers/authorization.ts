// What the authorization matrix and the fuzz suite share: the app on PostgreSQL when
// TEST_DATABASE_URL is set (else PGlite) with the records the rule table's addresses name, an
// account and an API token of every role, and a fingerprint of the database to tell that a
// refused request wrote nothing.
import { eq, sql } from 'drizzle-orm';
import { unflatten } from 'devalue';
import { ACCOUNT_ROLES, type AccountRole } from '$lib/domain/roles';
import * as apiTokens from '$lib/server/auth/api-token';
import { rows, type Database, type DatabaseHandle } from '$lib/server/db';
import { visit } from '$lib/server/db/schema';
import { makeFinding, makeUser, testActor } from '../factories';
import { makeCampaign, makeComplaint } from '../factories/records';
import { setCampaignState } from '../factories/samples';
import { makeEnterprise, makeVisit, raiseOn } from '../factories/visits';
import {
	departmentResult,
	makeRectification,
	makeSnapshot,
	snapshotContent
} from '../factories/snapshots';
import { SEED } from '../security/authorization-rules';
import { startApp, type AppOptions, type RunningApp } from './app';

export const PASSWORD = 'correct horse battery';
export const usernameOf = (role: AccountRole) => `${role}-matrix`;

export interface MatrixApp {
	app: RunningApp;
	/** A session cookie per role (`name=value`). */
	cookies: Record<AccountRole, string>;
	/** An API token per role (the liaison's bound to its department). */
	tokens: Record<AccountRole, string>;
	/** Another session of the role, for a request that ends the one it is made with. */
	freshCookie(role: AccountRole): Promise<string>;
	fingerprint(): Promise<string>;
	dispose(): Promise<void>;
}

/** The records the rule table's addresses name, every role's account and API token. */
async function seed(db: Database, tokens: Partial<Record<AccountRole, string>>) {
	// A published year with the liaison's department in it, and that department's rectification.
	const [dept] = await rows<{ id: number }>(
		db,
		sql`select id from department where code = ${SEED.department}`
	);
	const published = await makeSnapshot(
		db,
		snapshotContent(SEED.year, [departmentResult(SEED.department)]),
		{ revision: 1 }
	);
	const r = await makeRectification(db, {
		year: SEED.year,
		departmentId: dept!.id,
		snapshotId: published.id,
		deadline: `${SEED.year}-12-31`
	});
	if (r.id !== SEED.rectification)
		throw new Error(`the rectification is ${r.id}, not ${SEED.rectification}`);
	// A visit and a problem it raised about the liaison's department, under known numbers.
	const visited = await makeVisit(db, (await makeEnterprise(db)).id);
	await db.update(visit).set({ visitNo: SEED.visit }).where(eq(visit.id, visited.id));
	const [problemNo] = await raiseOn(db, visited, [dept!.id]);
	if (problemNo !== SEED.problem)
		throw new Error(`the problem is ${problemNo}, not ${SEED.problem}`);
	// A running campaign: the consoles that record responses open only for one.
	const running = await makeCampaign(db, { year: SEED.year, code: SEED.campaign });
	await setCampaignState(db, running.id, 'active');
	await makeComplaint(db, {
		department: SEED.department,
		received: '2026-03-02 10:00',
		complaintNo: SEED.complaint
	});
	await makeFinding(db, SEED.department, {
		findingNo: SEED.finding,
		date: '2026-03-02',
		description: 'matrix finding'
	});
	for (const role of ACCOUNT_ROLES) {
		const liaison = role === 'liaison';
		await makeUser(db, {
			username: usernameOf(role),
			role,
			...(liaison ? { departmentCode: SEED.department } : {})
		});
		const issued = await db.transaction((tx) =>
			apiTokens.issue(
				tx,
				{ name: `matrix ${role}`, role, departmentId: liaison ? dept!.id : null },
				testActor
			)
		);
		tokens[role] = issued.token;
	}
}

/**
 * Tables a request writes to before any check of its input, by design: sign-in attempts are
 * counted (throttling) and sessions made or ended; not data a refused form may not touch.
 */
const NOT_DATA = new Set(['sign_in_throttle', 'session']);

/** Row counts of every table and the audit trail's head, in one query (PostgreSQL). */
async function tableCounts(handle: DatabaseHandle): Promise<string> {
	const result = await rows<{ name: string; n: string }>(
		handle.db,
		sql`
		select table_name as name,
			(xpath('/row/c/text()', query_to_xml(
				format('select count(*) as c from %I.%I', table_schema, table_name), false, true, ''
			)))[1]::text as n
		from information_schema.tables
		where table_schema = 'public' and table_type = 'BASE TABLE'
		union all
		select 'audit_entry.max_seq', coalesce(max(seq), 0)::text from audit_entry
		order by 1`
	);
	return result
		.filter((r) => !NOT_DATA.has(r.name))
		.map((r) => `${r.name}=${r.n}`)
		.join(' ');
}

/** The audit trail's size and head as the admin's audit page shows them (PGlite: one process). */
async function auditHead(app: RunningApp, adminCookie: string): Promise<string> {
	const r = await app.fetch('/audit/__data.json', { cookie: adminCookie });
	const body = (await r.json()) as { nodes: ({ type: string; data?: unknown } | null)[] };
	const node = body.nodes.at(-1);
	if (node?.type !== 'data') throw new Error(`the audit page answered ${JSON.stringify(body)}`);
	const data = unflatten(node.data as never) as { total: number; entries: { seq: number }[] };
	return `audit_entry=${data.total} audit_entry.max_seq=${data.entries[0]?.seq ?? 0}`;
}

/** Starts the built app with the matrix's records and signs every role in. */
export async function startMatrixApp(options: AppOptions = {}): Promise<MatrixApp> {
	const tokens: Partial<Record<AccountRole, string>> = {};
	const app = await startApp({
		postgres: !!process.env.TEST_DATABASE_URL,
		...options,
		seed: async (db) => {
			await seed(db, tokens);
			await options.seed?.(db);
		}
	});
	const freshCookie = async (role: AccountRole) => {
		const { cookie } = await app.signIn(usernameOf(role), PASSWORD);
		if (!cookie) throw new Error(`${role} could not sign in`);
		return cookie;
	};
	const cookies = {} as Record<AccountRole, string>;
	try {
		for (const role of ACCOUNT_ROLES) cookies[role] = await freshCookie(role);
	} catch (e) {
		await app.dispose();
		throw e;
	}
	const handle = app.databaseUrl ? await app.openDatabase() : null;
	return {
		app,
		cookies,
		tokens: tokens as Record<AccountRole, string>,
		freshCookie,
		fingerprint: () => (handle ? tableCounts(handle) : auditHead(app, cookies.admin)),
		async dispose() {
			await handle?.close();
			await app.dispose();
		}
	};
}

/** Runs `work` over `items` with at most `limit` at a time; results in the order of `items`. */
export async function inParallel<T, R>(
	items: readonly T[],
	limit: number,
	work: (item: T) => Promise<R>
): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await work(items[i]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}
