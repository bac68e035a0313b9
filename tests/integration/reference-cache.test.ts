// The reference data a submission reads (campaigns, departments, API tokens) is kept in the
// process (surveys/reference-cache.ts), and every change made through the app's verbs is seen by
// the very next submission: a closing date moved, a department added, a token revoked. A change
// made behind the app's back (plain SQL) is not seen until an invalidation — which shows that
// the cache is in use at all.
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import * as apiTokens from '$lib/server/auth/api-token';
import * as surveys from '$lib/server/surveys';
import { invalidateCampaigns, INVALIDATION_WINDOW_MS } from '$lib/server/surveys/reference-cache';
import { makeDepartment, testActor, unique } from '../factories';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';

/** Lets an invalidation's window pass, so that the next read is cached again. */
const pastWindow = () => new Promise((ok) => setTimeout(ok, INVALIDATION_WINDOW_MS + 50));

describeEachDatabase('the reference cache', (t) => {
	let department: string;
	let campaign: string;

	beforeAll(async () => {
		department = (await makeDepartment(t.db)).code;
		const input = createCampaignSchema.parse({ code: unique('c'), year: 2025, kind: 'online' });
		campaign = (await t.db.transaction((tx) => surveys.createCampaign(tx, input, testActor))).code;
		await pastWindow();
	}, 20_000);
	afterEach(pastWindow, 20_000);

	const body = (over: Record<string, unknown> = {}) => ({
		response_key: unique('k'),
		campaign_code: campaign,
		channel: 'phone',
		submitted_at: '2025-05-06 09:30',
		answers: [{ department_code: department, question_code: 'service', answer: 4 }],
		...over
	});

	it('sees a closing date moved through the app at once', async () => {
		expect((await surveys.submitResponse(t.db, body())).created).toBe(true);
		await surveys.setClosingDate(t.db, campaign, '2025-05-01', testActor);
		expect(await refusalCode(surveys.submitResponse(t.db, body()))).toBe('response_invalid');
		await surveys.setClosingDate(t.db, campaign, null, testActor);
		expect((await surveys.submitResponse(t.db, body())).created).toBe(true);
	});

	it('knows a department added through the app at once', async () => {
		expect((await surveys.submitResponse(t.db, body())).created).toBe(true);
		const added = (await makeDepartment(t.db)).code;
		const r = await surveys.submitResponse(
			t.db,
			body({ answers: [{ department_code: added, question_code: 'service', answer: 3 }] })
		);
		expect(r.created).toBe(true);
	});

	it('keeps a campaign changed behind its back until invalidated (the cache is used)', async () => {
		expect((await surveys.submitResponse(t.db, body())).created).toBe(true);
		await t.db.execute(sql`update campaign set channels = '{field}' where code = ${campaign}`);
		expect((await surveys.submitResponse(t.db, body())).created).toBe(true);
		invalidateCampaigns();
		expect(await refusalCode(surveys.submitResponse(t.db, body()))).toBe('response_invalid');
		await t.db.execute(sql`update campaign set channels = '{phone}' where code = ${campaign}`);
		invalidateCampaigns();
	});

	it('refuses a revoked token at once', async () => {
		const { token, record } = await apiTokens.create(
			t.db,
			{ name: 'cache', role: 'supervisor' },
			testActor
		);
		await pastWindow();
		expect(await apiTokens.validate(t.db, token)).not.toBeNull();
		expect(await apiTokens.validate(t.db, token)).not.toBeNull();
		await apiTokens.revoke(t.db, record.id, testActor);
		expect(await apiTokens.validate(t.db, token)).toBeNull();
	}, 20_000);
});
