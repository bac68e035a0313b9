// Stateless app instances (README "Deployment"): two built apps on one PostgreSQL database, as
// behind a load balancer, share everything that decides what a request gets — a session made on
// one works on the other and ends on both; failed sign-ins on one throttle the other; a year's
// computation held on one (or anywhere) is refused on the other, and two started at the same
// moment leave one draft; an API token revoked on one is refused by the other at once, not when
// its reference cache expires.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { messageOf } from '$lib/errors';
import * as apiTokens from '$lib/server/auth/api-token';
import { FREE_FAILURES } from '$lib/server/auth/rate-limit';
import * as evaluation from '$lib/server/evaluation';
import { COMPUTE_LOCK_CLASS } from '$lib/server/evaluation/lock';
import { TTL_MS } from '$lib/server/surveys/reference-cache';
import { ADMIN, startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';
import { EXAMPLE_SETTINGS, seedExampleYear } from '../factories/evaluation-data';

const PG = process.env.TEST_DATABASE_URL;
const PASSWORD = 'correct horse battery';
const YEAR = currentYear() - 1;

describe.skipIf(!PG)('two app instances on one PostgreSQL database', () => {
	let a: RunningApp;
	let b: RunningApp;
	let sql: postgres.Sql;
	let token = { id: '', token: '' };

	beforeAll(async () => {
		a = await startApp({
			postgres: true,
			seed: async (db) => {
				await makeUser(db, { username: 'victim', role: 'supervisor' });
				await seedExampleYear(db, YEAR);
				await evaluation.createYear(db, { year: YEAR, settings: EXAMPLE_SETTINGS }, testActor);
				const issued = await db.transaction((tx) =>
					apiTokens.create(tx, { name: 'statistics', role: 'leader' }, testActor)
				);
				token = { id: issued.record.id, token: issued.token };
			}
		});
		b = await startApp({ sameDatabaseAs: a });
		sql = postgres(a.databaseUrl!, { max: 2, onnotice: () => {} });
	});
	afterAll(async () => {
		await sql?.end();
		await b?.dispose();
		await a?.dispose();
	});

	const form = (fields: Record<string, string> = {}) => new URLSearchParams(fields);

	// One admin session for the tests after the first: a sign-in takes a TOTP code, and an
	// account has only a few acceptable codes a minute (tests/helpers/two-factor.ts). Made on b,
	// it works on a as well (the first test shows it).
	let adminCookie: Promise<string> | undefined;
	const admin = () =>
		(adminCookie ??= b.signIn(ADMIN.username, ADMIN.password).then(({ cookie }) => {
			if (!cookie) throw new Error('the admin could not sign in');
			return cookie;
		}));

	it('takes a session made on one instance on the other, and ends it on both', async () => {
		const { cookie } = await a.signIn(ADMIN.username, ADMIN.password);
		expect(cookie).not.toBeNull();
		const onB = await b.fetch('/departments', { cookie });
		expect(onB.status).toBe(200);
		expect(await onB.text()).toContain('/sign-out');

		const out = await b.fetch('/sign-out', { method: 'POST', cookie, body: form() });
		expect(toSignIn(out)).toBe(true);
		expect(toSignIn(await a.fetch('/departments', { cookie }))).toBe(true);
	});

	it('throttles a username on one instance after failures on the other', async () => {
		// Each failure from another address, so that only the username's count adds up.
		for (let i = 0; i < FREE_FAILURES; i++) {
			const failed = await a.signIn('victim', 'wrong password', { from: `127.0.0.${20 + i}` });
			expect(failed.response.status).toBe(400);
		}
		const blocked = await b.signIn('victim', PASSWORD, { from: '127.0.0.40' });
		expect(blocked.response.status).toBe(429);
		expect(blocked.cookie).toBeNull();
		const [row] = await sql<{ failures: number }[]>`
			select failures from sign_in_throttle where key = 'u:victim'`;
		expect(row?.failures).toBe(FREE_FAILURES);
	});

	const drafts = async () =>
		Number(
			(
				await sql<{ n: string }[]>`
					select count(*) as n from evaluation_snapshot where year = ${YEAR} and kind = 'draft'`
			)[0]!.n
		);

	it('refuses a computation on one instance while the year is being computed elsewhere', async () => {
		const cookie = await admin();
		const running = messageOf('computation_running', { year: YEAR }, 'zh-CN');
		// The lock a computation takes, held by another connection (another instance, the CLI).
		const held = await sql.reserve();
		try {
			await held`begin`;
			await held`select pg_advisory_xact_lock(${COMPUTE_LOCK_CLASS}::int, ${YEAR}::int)`;
			const refused = await b.fetch(`/years/${YEAR}?/compute`, {
				method: 'POST',
				cookie,
				body: form()
			});
			expect(refused.status).toBe(409);
			expect(await refused.text()).toContain(running);
			expect(await drafts()).toBe(0);
		} finally {
			await held`rollback`;
			held.release();
		}
	});

	it('leaves one draft when both instances compute the year at the same moment', async () => {
		const cookie = await admin();
		const running = messageOf('computation_running', { year: YEAR }, 'zh-CN');
		for (let round = 0; round < 3; round++) {
			const answers = await Promise.all(
				[a, b].map((app) =>
					app.fetch(`/years/${YEAR}?/compute`, {
						method: 'POST',
						cookie,
						body: form()
					})
				)
			);
			// Each computed, one after the other (each replacing the drafts before it), or one was
			// refused because the other held the year; never a failure of another kind.
			for (const r of answers) {
				if (r.status === 303)
					expect(r.headers.get('location')).toBe(`/years/${YEAR}?saved=computed`);
				else {
					expect(r.status).toBe(409);
					expect(await r.text()).toContain(running);
				}
			}
			expect(answers.some((r) => r.status === 303)).toBe(true);
			expect(await drafts()).toBe(1);
		}
	});

	it('refuses a token revoked on one instance on the other at once', async () => {
		const stats = () =>
			b.fetch(`/api/v1/complaints/stats?year=${YEAR}`, {
				cookie: null,
				headers: { authorization: `Bearer ${token.token}` }
			});
		// The other instance has just checked the token: its reference cache holds it.
		expect((await stats()).status).toBe(200);
		const cookie = await admin();
		const revoked = await a.fetch('/tokens?/revoke', {
			method: 'POST',
			cookie,
			body: form({ id: token.id, confirm: 'yes' })
		});
		expect(revoked.status).toBe(303);
		const since = performance.now();
		await expect
			.poll(async () => (await stats()).status, { interval: 20, timeout: 1_000 })
			.toBe(401);
		// Told by PostgreSQL at the commit, not by the entry's expiry.
		expect(performance.now() - since).toBeLessThan(TTL_MS / 5);
	});
});
