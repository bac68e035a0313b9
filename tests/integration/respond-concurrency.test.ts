// Invitations under load, on both databases: every invitation of a campaign sent twice at
// concurrency 50 — half of them the same response again (a retry whose answer was lost), half a
// second response under another key (a second tab) — stores exactly one response per
// invitation: the retry gets the stored response back, the second tab `invitation_answered`.
// PGlite runs one statement at a time and is slower: it takes fewer invitations.
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { isDomainError } from '$lib/errors';
import { rows } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor } from '../factories';
import { makeCampaign, retireAllDepartments } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { useEnv } from '../helpers/env';

useEnv({ INVITATION_SECRET: 'test-invitation-secret-concurrency-0123456789' });

const CONCURRENCY = 50;

/** Runs `work` for every item, `limit` at a time; the outcomes in item order. */
async function pool<T, R>(items: T[], limit: number, work: (x: T) => Promise<R>) {
	const out: PromiseSettledResult<R>[] = [];
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			try {
				out[i] = { status: 'fulfilled', value: await work(items[i]!) };
			} catch (reason) {
				out[i] = { status: 'rejected', reason };
			}
		}
	};
	await Promise.all(Array.from({ length: limit }, worker));
	return out;
}

describeEachDatabase('invitations each sent twice at concurrency 50', (t) => {
	let tokens: string[];
	let campaignId: number;
	const count = () => (t.driver === 'postgres' ? 1000 : 150);

	beforeAll(async () => {
		await retireAllDepartments(t.db);
		await makeDepartment(t.db, { code: 'CA' });
		const c = await makeCampaign(t.db, {
			year: new Date().getFullYear(),
			kind: 'enterprise_visit'
		});
		campaignId = c.id;
		await makeSample(t.db, c.id, { units: count() });
		await setCampaignState(t.db, c.id, 'active');
		tokens = (await surveys.createInvitations(t.db, c.code, testActor)).created.map((x) => x.token);
	}, 120_000);

	it('stores one response per invitation', { timeout: 120_000 }, async () => {
		expect(tokens).toHaveLength(count());
		// Each invitation twice, the two sends of one invitation far apart in the queue's order.
		const sends = [...tokens.keys(), ...tokens.keys()].map((i, n) => ({
			i,
			second: n >= tokens.length
		}));
		const outcomes = await pool(sends, CONCURRENCY, ({ i, second }) =>
			surveys.answerInvitation(
				t.db,
				tokens[i]!,
				{
					// Odd invitations: the second send is another response (a second tab).
					response_key: second && i % 2 === 1 ? `inv-${i}-other` : `inv-${i}`,
					answers: [{ department_code: 'CA', question_code: 'service', answer: (i % 5) + 1 }]
				},
				{ address: `10.1.${i % 250}.1` }
			)
		);
		const refused = outcomes.flatMap((o) =>
			o.status === 'rejected' ? [isDomainError(o.reason) ? o.reason.code : String(o.reason)] : []
		);
		const created = outcomes.filter((o) => o.status === 'fulfilled' && o.value.created).length;
		const replayed = outcomes.filter((o) => o.status === 'fulfilled' && !o.value.created).length;
		expect(created).toBe(count());
		// The retries of even invitations get the stored response; the odd ones' other key is refused.
		expect(replayed).toBe(Math.ceil(count() / 2));
		expect(refused).toEqual(Array(Math.floor(count() / 2)).fill('invitation_answered'));
		const [stored] = await rows<{ responses: number; answers: number; invitations: number }>(
			t.db,
			sql`select count(*)::int as responses,
				(select count(*) from invitation_answer a join invitation i on i.id = a.invitation_id
					where i.campaign_id = ${campaignId})::int as answers,
				count(distinct enterprise_id)::int as invitations
			from survey_response where campaign_id = ${campaignId}`
		);
		expect(stored).toEqual({ responses: count(), answers: count(), invitations: count() });
	});
});
