// The fault suite (README "Deployment", docs/operations.md): a bounded stream of survey
// responses sent by clients that retry — each with its own `response_key`, sent again unchanged
// after a 503, a lost connection or no answer — to the built app on a throw-away PostgreSQL
// cluster of the test's own, behind a TCP proxy, while (a) the app is killed with SIGKILL and
// started again, (b) PostgreSQL is stopped with `-m immediate` (a crash: no checkpoint, recovered
// from the WAL at the next start) and started again, (c) the proxy drops every connection now
// and then and delays every byte. Every response acknowledged (201, or 200 for a retry of one
// stored before) is stored exactly once with all its answers, none is acknowledged as created
// twice, every request made while the database is down answers 503 within 2 s, and the app
// serves again within 5 s of the database's return.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as apiTokens from '$lib/server/auth/api-token';
import { startApp, type RunningApp } from '../helpers/app';
import { serverBinaries, startCluster, type PgCluster } from '../helpers/pg-cluster';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { testActor } from '../factories';
import { makeCampaign, standardAnswers } from '../factories/records';

const CAMPAIGN = 'fault-2026';
const DEPARTMENTS = ['fgj', 'czj'];
/** How long a client waits before sending again (it may, rather than the 5 s of Retry-After). */
const RETRY_MS = 100;
/** A client gives up on a request that has not answered after this long, and sends it again. */
const REQUEST_TIMEOUT_MS = 10_000;
/** A response not acknowledged after this long is a failure (said, rather than a hung test). */
const ACK_DEADLINE_MS = 30_000;

/** What the clients saw of one stream. */
interface Outcome {
	/** Per key: the statuses it was answered with, in order ('network' for no answer). */
	answers: Map<string, (number | 'network')[]>;
	/** Milliseconds each 503 took. */
	unavailableMs: number[];
	/** Milliseconds the slowest answer took. */
	slowestMs: number;
	/** Anything but 201, 200, 503 or a lost connection: `status body`. */
	unexpected: string[];
}

describe.skipIf(!serverBinaries())('submissions under faults [throw-away PostgreSQL]', () => {
	let cluster: PgCluster;
	let proxy: TcpProxy;
	let app: RunningApp;
	let sql: postgres.Sql;
	let token = '';
	const all = new Map<string, Outcome>();

	beforeAll(async () => {
		// fsync stays on: the immediate stop is a crash, recovered from what the WAL holds.
		cluster = await startCluster({ fsync: true });
		proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
		app = await startApp({
			postgres: true,
			server: cluster.url(),
			databaseUrl: (url) => proxy.via(url),
			seed: async (db) => {
				token = (
					await db.transaction((tx) =>
						apiTokens.create(tx, { name: 'tablets', role: 'supervisor' }, testActor)
					)
				).token;
				await makeCampaign(db, { code: CAMPAIGN, year: 2026, kind: 'enterprise_visit' });
			}
		});
		// The test reads the cluster directly, not through the proxy.
		sql = postgres(app.databaseUrl!, { max: 1, onnotice: () => {} });
	}, 120_000);

	afterAll(async () => {
		await sql?.end({ timeout: 1 });
		await app?.dispose();
		await proxy?.close();
		await cluster?.dispose();
	});

	const body = (key: string) =>
		JSON.stringify({
			response_key: key,
			campaign_code: CAMPAIGN,
			channel: 'phone',
			submitted_at: '2026-03-02 07:15',
			answers: standardAnswers(...DEPARTMENTS)
		});

	/** One request; its status (or 'network') and how long it took. */
	async function send(
		key: string
	): Promise<{ status: number | 'network'; ms: number; text: string }> {
		const started = performance.now();
		try {
			const r = await app.fetch('/api/v1/responses', {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: body(key),
				sameOrigin: false,
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
			});
			const text = await r.text();
			return { status: r.status, ms: performance.now() - started, text };
		} catch {
			return { status: 'network', ms: performance.now() - started, text: '' };
		}
	}

	/**
	 * Sends `count` responses (keys `<name>-<n>`) from `concurrency` clients, each sending one
	 * response until it is acknowledged; `fault` runs alongside, told how many are acknowledged.
	 */
	async function stream(
		name: string,
		count: number,
		concurrency: number,
		fault: (acked: () => number) => Promise<void>
	): Promise<Outcome> {
		const outcome: Outcome = {
			answers: new Map(),
			unavailableMs: [],
			unexpected: [],
			slowestMs: 0
		};
		let next = 0;
		let settled = 0;
		const client = async () => {
			while (next < count) {
				const key = `${name}-${next++}`;
				const seen: (number | 'network')[] = [];
				outcome.answers.set(key, seen);
				const deadline = performance.now() + ACK_DEADLINE_MS;
				for (;;) {
					const r = await send(key);
					seen.push(r.status);
					if (r.status !== 'network') outcome.slowestMs = Math.max(outcome.slowestMs, r.ms);
					if (r.status === 201 || r.status === 200) break;
					if (r.status === 503) outcome.unavailableMs.push(r.ms);
					else if (r.status !== 'network') outcome.unexpected.push(`${r.status} ${r.text}`);
					if (performance.now() > deadline) {
						outcome.unexpected.push(`${key}: not acknowledged in time (${seen.join(', ')})`);
						break;
					}
					await new Promise((ok) => setTimeout(ok, RETRY_MS));
				}
				settled++;
			}
		};
		await Promise.all([...Array.from({ length: concurrency }, client), fault(() => settled)]);
		all.set(name, outcome);
		const sent = [...outcome.answers.values()].flat();
		console.log(
			`[fault] ${name}: ${count} responses in ${sent.length} requests — ` +
				`${sent.filter((s) => s === 201).length} created, ${sent.filter((s) => s === 200).length} replayed, ` +
				`${outcome.unavailableMs.length} × 503 (slowest ${Math.round(Math.max(0, ...outcome.unavailableMs))} ms), ` +
				`${sent.filter((s) => s === 'network').length} without an answer, slowest answer ${Math.round(outcome.slowestMs)} ms`
		);
		return outcome;
	}

	/** Resolves once `n` responses are acknowledged (or given up on). */
	async function whenAcked(acked: () => number, n: number) {
		while (acked() < n) await new Promise((ok) => setTimeout(ok, 10));
	}

	/** Every key of the outcome stored exactly once, with all its answers; none created twice. */
	async function storedOnce(name: string, outcome: Outcome) {
		expect(outcome.unexpected, app.logs().slice(-4000)).toEqual([]);
		for (const [key, seen] of outcome.answers) {
			expect(seen.at(-1), key).toBeOneOf([200, 201]);
			expect(seen.filter((s) => s === 201).length, key).toBeLessThanOrEqual(1);
		}
		const rows = await sql<{ key: string; copies: number; ratings: number }[]>`
			select r.response_key as key, count(distinct r.id)::int as copies,
				count(g.response_id)::int as ratings
			from survey_response r left join survey_rating g on g.response_id = r.id
			where r.response_key like ${`${name}-%`}
			group by r.response_key`;
		expect(rows.length).toBe(outcome.answers.size);
		for (const r of rows) {
			expect(outcome.answers.has(r.key), r.key).toBe(true);
			expect(r.copies, r.key).toBe(1);
			expect(r.ratings, r.key).toBe(DEPARTMENTS.length);
		}
	}

	it('(a) stores every acknowledged response once while the app is killed and restarted', async () => {
		let restartedInMs = 0;
		const outcome = await stream('kill', 150, 8, async (acked) => {
			await whenAcked(acked, 50);
			await app.kill();
			await new Promise((ok) => setTimeout(ok, 300));
			const started = performance.now();
			await app.restart();
			restartedInMs = performance.now() - started;
		});
		await storedOnce('kill', outcome);
		// The clients met the dead app (lost connections) and went on once it was back.
		expect([...outcome.answers.values()].flat()).toContain('network');
		expect(restartedInMs).toBeLessThan(30_000);
	}, 90_000);

	it('(b) answers 503 within 2 s while PostgreSQL is down after an immediate stop, and recovers within 5 s', async () => {
		let recoveredInMs = Infinity;
		const probes: { status: number | 'network'; ms: number }[] = [];
		const outcome = await stream('crash', 150, 8, async (acked) => {
			await whenAcked(acked, 50);
			await cluster.stop('immediate');
			// Requests of their own while the server is down, besides the stream's.
			for (let i = 0; i < 8; i++) {
				probes.push(await send(`probe-down-${i}`));
				await new Promise((ok) => setTimeout(ok, 200));
			}
			await cluster.start();
			const back = performance.now();
			for (;;) {
				const r = await send('probe-back');
				if (r.status === 201 || r.status === 200) break;
				if (performance.now() - back > 10_000) break;
				await new Promise((ok) => setTimeout(ok, 50));
			}
			recoveredInMs = performance.now() - back;
		});
		await storedOnce('crash', outcome);
		for (const p of probes) {
			expect(p.status).toBe(503);
			expect(p.ms).toBeLessThan(2_000);
		}
		// The stream's requests met the down database too, and none waited longer.
		expect(outcome.unavailableMs.length).toBeGreaterThan(0);
		expect(Math.max(...outcome.unavailableMs)).toBeLessThan(2_000);
		expect(recoveredInMs).toBeLessThan(5_000);
		// No request was left waiting for a connection once the server was back.
		expect([...outcome.answers.values()].flat()).not.toContain('network');
		expect(outcome.slowestMs).toBeLessThan(5_000);
		const [probe] = await sql<{ n: number }[]>`
			select count(*)::int as n from survey_response where response_key like 'probe-%'`;
		// The probes made while down stored nothing; the one after the return is stored once.
		expect(probe?.n).toBe(1);
	}, 90_000);

	it('(c) stores every acknowledged response once while connections are dropped and delayed', async () => {
		const outcome = await stream('network', 150, 8, async (acked) => {
			await whenAcked(acked, 20);
			proxy.delay(40);
			for (let i = 0; i < 4; i++) {
				await whenAcked(acked, 40 + 20 * i);
				proxy.cut();
			}
			proxy.delay(0);
			await whenAcked(acked, 130);
			proxy.cut();
		});
		await storedOnce('network', outcome);
		// The app stayed up: every request was answered (a 503 at worst), none left hanging.
		expect([...outcome.answers.values()].flat()).not.toContain('network');
	}, 90_000);

	it('left nothing else in the database: one row per key of every stream', async () => {
		const keys = [...all.values()].reduce((n, o) => n + o.answers.size, 0);
		const [r] = await sql<{ n: number }[]>`
			select count(*)::int as n from survey_response where response_key not like 'probe-%'`;
		expect(keys).toBe(450);
		expect(r?.n).toBe(keys);
	});
});
