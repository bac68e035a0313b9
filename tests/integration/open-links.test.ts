// A campaign's open link on both databases: made (and replaced, only when confirmed) for an
// active campaign taking online responses, audited; through it two browsers give two responses
// flagged unverified, the same browser is refused a second answer about a department, the same
// response key again is the stored response; a draft or closed campaign's link, a replaced
// link and a made-up token are refused alike (under the invitations' throttle).
import { and, count, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { auditEntry, campaign, openLinkAnswer, surveyResponse } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, makeUser, testActor, unique } from '../factories';
import { makeCampaign, retireAllDepartments } from '../factories/records';
import { setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { useEnv } from '../helpers/env';
import { refusalCode } from '../helpers/refusal';

useEnv({ INVITATION_SECRET: 'test-invitation-secret-open-links-012345678' });

const QUESTIONS = ['transparency', 'service', 'integrity', 'attitude', 'quality', 'efficiency'];
const answers = (...codes: string[]) =>
	codes.flatMap((d) => QUESTIONS.map((q) => ({ department_code: d, question_code: q, answer: 4 })));
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describeEachDatabase('open links', (t) => {
	let code = '';
	let token = '';
	const at = { address: '10.2.0.1' };
	const browserA = surveys.newBrowserId();
	const browserB = surveys.newBrowserId();

	beforeAll(async () => {
		await retireAllDepartments(t.db);
		for (const d of ['OA', 'OB']) await makeDepartment(t.db, { code: d });
		const c = await makeCampaign(t.db, { year: new Date().getFullYear(), kind: 'online' });
		code = c.code;
		await setCampaignState(t.db, c.id, 'active');
		token = (await surveys.createOpenLink(t.db, code, { replace: false }, testActor)).token;
	});

	it('is made for an active online campaign, shown again to managers, and audited', async () => {
		const admin = await makeUser(t.db, { role: 'supervisor' });
		const view = await surveys.getOpenLink(t.db, admin, code, 'https://x.example');
		expect(view.link!.url).toBe(`https://x.example/o/${token}`);
		const leader = await surveys.getOpenLink(t.db, { role: 'leader' }, code, 'https://x.example');
		expect(leader.link!.url).toBeNull();
		expect(
			await refusalCode(surveys.getOpenLink(t.db, { role: 'liaison' }, code, 'https://x.example'))
		).toBe('campaign_not_found');
		const [n] = await t.db
			.select({ n: count() })
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'open_link.create'), eq(auditEntry.entityId, code)));
		expect(n!.n).toBe(1);
		// Its token is nowhere in the audit log.
		const entries = await t.db.select().from(auditEntry).where(eq(auditEntry.entityId, code));
		expect(JSON.stringify(entries)).not.toContain(token);
	});

	it('stores one unverified response per browser and department', async () => {
		const form = await surveys.openLinkForm(t.db, token, browserA, at);
		expect(form.respondent).toBeNull();
		expect(form.open.map((d) => d.code)).toEqual(['OA', 'OB']);
		const a = await surveys.answerOpenLink(
			t.db,
			token,
			browserA,
			{ response_key: 'open-a-1', answers: answers('OA') },
			at
		);
		const b = await surveys.answerOpenLink(
			t.db,
			token,
			browserB,
			{ response_key: 'open-b-1', answers: answers('OA', 'OB') },
			at
		);
		expect(a.created && b.created).toBe(true);
		const stored = await t.db
			.select({ unverified: surveyResponse.unverified, channel: surveyResponse.channel })
			.from(surveyResponse)
			.innerJoin(campaign, eq(campaign.id, surveyResponse.campaignId))
			.where(eq(campaign.code, code));
		expect(stored).toEqual([
			{ unverified: true, channel: 'online' },
			{ unverified: true, channel: 'online' }
		]);
		// The same browser: refused about OA, welcome about OB; its form offers OB only.
		expect(
			await refusalCode(
				surveys.answerOpenLink(
					t.db,
					token,
					browserA,
					{ response_key: 'open-a-2', answers: answers('OA') },
					at
				)
			)
		).toBe('invitation_answered');
		expect((await surveys.openLinkForm(t.db, token, browserA, at)).open.map((d) => d.code)).toEqual(
			['OB']
		);
		// Only a hash of the browser's identifier is stored.
		const rows = await t.db.select().from(openLinkAnswer);
		expect(JSON.stringify(rows)).not.toContain(browserA);
		expect(rows.some((r) => r.browserHash === surveys.hashBrowser(browserA))).toBe(true);
	});

	it('gives the stored response back for the same key', async () => {
		const again = await surveys.answerOpenLink(
			t.db,
			token,
			browserA,
			{ response_key: 'open-a-1', answers: answers('OA') },
			at
		);
		expect(again.created).toBe(false);
		const [n] = await t.db
			.select({ n: count() })
			.from(surveyResponse)
			.where(eq(surveyResponse.responseKey, 'open-a-1'));
		expect(n!.n).toBe(1);
	});

	it('stores one response when one browser sends two at once about the same department', async () => {
		const browser = surveys.newBrowserId();
		const results = await Promise.allSettled(
			['race-1', 'race-2'].map((key) =>
				surveys.answerOpenLink(
					t.db,
					token,
					browser,
					{ response_key: key, answers: answers('OB') },
					at
				)
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [n] = await t.db
			.select({ n: count() })
			.from(openLinkAnswer)
			.where(eq(openLinkAnswer.browserHash, surveys.hashBrowser(browser)));
		expect(n!.n).toBe(1);
	});

	it('replaces the link only when confirmed; the old token then answers like an unknown one', async () => {
		expect(
			await refusalCode(surveys.createOpenLink(t.db, code, { replace: false }, testActor))
		).toBe('confirm_required');
		const next = await surveys.createOpenLink(t.db, code, { replace: true }, testActor);
		expect(next.replaced).toBe(true);
		expect(next.token).not.toBe(token);
		expect(await refusalCode(surveys.openLinkForm(t.db, token, browserA, at))).toBe(
			'invitation_invalid'
		);
		expect((await surveys.openLinkForm(t.db, next.token, browserA, at)).campaign.code).toBe(code);
		const view = await surveys.getOpenLink(t.db, { role: 'admin' }, code, 'https://x.example');
		expect(tokenOf(view.link!.url!)).toBe(next.token);
	});

	it('refuses a closed or draft campaign’s link like a made-up token, and throttles guessing', async () => {
		const c = await makeCampaign(t.db, { year: new Date().getFullYear(), kind: 'online' });
		expect(
			await refusalCode(surveys.createOpenLink(t.db, c.code, { replace: false }, testActor))
		).toBe('open_link_unavailable');
		await setCampaignState(t.db, c.id, 'active');
		const made = await surveys.createOpenLink(t.db, c.code, { replace: false }, testActor);
		await setCampaignState(t.db, c.id, 'closed');
		const guess = { address: '10.2.9.9' };
		expect(await refusalCode(surveys.openLinkForm(t.db, made.token, browserA, guess))).toBe(
			'invitation_invalid'
		);
		expect(await refusalCode(surveys.openLinkForm(t.db, 'b'.repeat(32), browserA, guess))).toBe(
			'invitation_invalid'
		);
		// Wrong invitation tokens and wrong open links count together: soon both are throttled.
		let last = '';
		for (let i = 0; i < 6; i++)
			last = await refusalCode(surveys.respondentForm(t.db, unique('x').padEnd(32, 'a'), guess));
		expect(last).toBe('invitation_throttled');
		expect(await refusalCode(surveys.openLinkForm(t.db, made.token, browserA, guess))).toBe(
			'invitation_throttled'
		);
	});

	it('refuses a campaign that takes no online responses', async () => {
		const c = await makeCampaign(t.db, { year: new Date().getFullYear() });
		await t.db
			.update(campaign)
			.set({ channels: ['phone'], state: 'active' })
			.where(eq(campaign.id, c.id));
		expect(
			await refusalCode(surveys.createOpenLink(t.db, c.code, { replace: false }, testActor))
		).toBe('open_link_unavailable');
	});
});
