// The reference data a submission reads (campaigns, departments, API tokens) is kept in the
// process (surveys/reference-cache.ts), and every change made through the app's verbs is seen by
// the very next submission: a closing date moved, a department added, a token revoked. A change
// made behind the app's back (plain SQL) is not seen until an invalidation — which shows that
// the cache is in use at all. A respondent's target departments follow the departments' changes
// (an exemption) at once too.
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import * as apiTokens from '$lib/server/auth/api-token';
import * as surveys from '$lib/server/surveys';
import * as departments from '$lib/server/departments';
import {
	invalidateCampaigns,
	invalidateDepartments,
	INVALIDATION_WINDOW_MS
} from '$lib/server/surveys/reference-cache';
import { makeDepartment, testActor, unique } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { useEnv } from '../helpers/env';
import { refusalCode } from '../helpers/refusal';

/** Lets an invalidation's window pass, so that the next read is cached again. */
const pastWindow = () => new Promise((ok) => setTimeout(ok, INVALIDATION_WINDOW_MS + 50));

useEnv({ INVITATION_SECRET: 'test-invitation-secret-cache-0123456789' });

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
		await invalidateCampaigns(t.db);
		expect(await refusalCode(surveys.submitResponse(t.db, body()))).toBe('response_invalid');
		await t.db.execute(sql`update campaign set channels = '{phone}' where code = ${campaign}`);
		await invalidateCampaigns(t.db);
	});

	it('sees a department exempted through the app at once in a respondent’s targets', async () => {
		const year = new Date().getFullYear();
		const d = (await makeDepartment(t.db)).code;
		const c = await makeCampaign(t.db, { year, kind: 'online' });
		await makeSample(t.db, c.id, { units: 1 });
		await setCampaignState(t.db, c.id, 'active');
		const [inv] = (await surveys.createInvitations(t.db, c.code, testActor)).created;
		const address = { address: '10.9.0.1' };
		const open = async () =>
			(await surveys.respondentForm(t.db, inv!.token, address)).open.map((x) => x.code);
		await pastWindow();
		expect(await open()).toContain(d);
		// Behind the app's back: the cached targets stand until an invalidation (the cache is used).
		await t.db.execute(sql`update department set active = false where code = ${d}`);
		expect(await open()).toContain(d);
		await t.db.execute(sql`update department set active = true where code = ${d}`);
		await invalidateDepartments(t.db);
		await pastWindow();
		expect(await open()).toContain(d);
		await departments.addExemption(t.db, d, { year, reason: 'cache test' }, testActor);
		expect(await open()).not.toContain(d);
		const answer = surveys.answerInvitation(
			t.db,
			inv!.token,
			{
				response_key: unique('k'),
				answers: [{ department_code: d, question_code: 'service', answer: 4 }]
			},
			address
		);
		expect(await refusalCode(answer)).toBe('invitation_department');
	}, 30_000);

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
