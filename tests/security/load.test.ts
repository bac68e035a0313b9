// The load suite (README "Deployment"): 1,000 invitations, each answered twice — the same form
// sent again, as a double click or a client's retry does, the two copies side by side in the
// queue so that many race each other — through `POST /api/v1/responses` with the
// `invitation_token`, by 50 clients at once, against the built app on PostgreSQL. Exactly 1,000
// responses are stored, one per invitation, each acknowledged once as created (201) and once as
// the stored one (200); the latencies (p50, p90, p99, max) and the throughput are printed. The
// time goal of submissions is `npm run bench -- --only submissions`'s; here only sane bounds.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import * as apiTokens from '$lib/server/auth/api-token';
import * as surveys from '$lib/server/surveys';
import { startApp, type RunningApp } from '../helpers/app';
import { useEnv } from '../helpers/env';
import { testActor } from '../factories';
import { makeCampaign, standardAnswers } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';

const PG = process.env.TEST_DATABASE_URL;
const INVITATIONS = 1_000;
const CONCURRENCY = 50;

/** The p-th percentile (0–100) of sorted values, nearest rank. */
const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

describe.skipIf(!PG)('1,000 invitations each submitted twice at concurrency 50 [postgres]', () => {
	let app: RunningApp;
	let sql: postgres.Sql;
	let campaignId = 0;
	let api = '';
	let tokens: string[] = [];

	useEnv({ INVITATION_SECRET: 'load-suite-secret-0123456789abcdef0123' });
	beforeAll(async () => {
		app = await startApp({
			postgres: true,
			seed: async (db) => {
				const c = await makeCampaign(db, { year: currentYear(), kind: 'enterprise_visit' });
				campaignId = c.id;
				await makeSample(db, c.id, { units: INVITATIONS, prefix: '负载企业' });
				await setCampaignState(db, c.id, 'active');
				tokens = (await surveys.createInvitations(db, c.code, testActor)).created.map(
					(i) => i.token
				);
				api = (
					await db.transaction((tx) =>
						apiTokens.create(tx, { name: 'load clients', role: 'supervisor' }, testActor)
					)
				).token;
			}
		});
		sql = postgres(app.databaseUrl!, { max: 1, onnotice: () => {} });
	}, 120_000);
	afterAll(async () => {
		await sql?.end();
		await app?.dispose();
	});

	it('stores exactly 1,000 responses, each created once and replayed once', async () => {
		expect(tokens).toHaveLength(INVITATIONS);
		// Both copies of each form next to each other: two clients take them at the same moment.
		const queue = tokens.flatMap((token, i) => {
			const body = JSON.stringify({
				invitation_token: token,
				response_key: `load-${i}`,
				answers: standardAnswers('fgj', 'czj')
			});
			return [
				{ i, body },
				{ i, body }
			];
		});
		const statuses: number[][] = tokens.map(() => []);
		const latencies: number[] = [];
		let next = 0;
		const started = performance.now();
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < queue.length) {
					const { i, body } = queue[next++]!;
					const t = performance.now();
					const r = await app.fetch('/api/v1/responses', {
						method: 'POST',
						headers: { authorization: `Bearer ${api}`, 'content-type': 'application/json' },
						body,
						sameOrigin: false
					});
					await r.arrayBuffer();
					latencies.push(performance.now() - t);
					statuses[i]!.push(r.status);
				}
			})
		);
		const seconds = (performance.now() - started) / 1000;
		const sorted = latencies.toSorted((x, y) => x - y);
		const ms = (p: number) => `${percentile(sorted, p).toFixed(1)} ms`;
		console.log(
			`[load] ${queue.length} submissions of ${INVITATIONS} invitations at concurrency ${CONCURRENCY}: ` +
				`${seconds.toFixed(1)} s, ${(queue.length / seconds).toFixed(0)} requests/s; ` +
				`p50 ${ms(50)}, p90 ${ms(90)}, p99 ${ms(99)}, max ${ms(100)}`
		);

		for (const [i, s] of statuses.entries())
			expect(s.toSorted(), `invitation ${i}`).toEqual([200, 201]);
		const [stored] = await sql<{ responses: number; claims: number; ratings: number }[]>`
			select (select count(*)::int from survey_response where campaign_id = ${campaignId}) as responses,
				(select count(*)::int from invitation_answer a join invitation i on i.id = a.invitation_id
					where i.campaign_id = ${campaignId}) as claims,
				(select count(*)::int from survey_rating where campaign_id = ${campaignId}) as ratings`;
		expect(stored).toEqual({
			responses: INVITATIONS,
			claims: 2 * INVITATIONS,
			ratings: 2 * INVITATIONS
		});
		// Sane bounds only (the goal is the benchmark's): no request waited anywhere near a timeout.
		expect(percentile(sorted, 100)).toBeLessThan(30_000);
	}, 180_000);
});
