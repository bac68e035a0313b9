// Answering from an invitation on both databases: the form shows the campaign's target
// departments not yet answered; an answer stores one response (with the respondent's
// enterprise) and marks its departments answered; the same response again (a retry, a double
// click, a refresh) is the stored one; another response about an answered department is
// refused; concurrent sends of one invitation store one response; wrong tokens are refused alike.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { isDomainError } from '$lib/errors';
import { rows } from '$lib/server/db';
import { department, surveyResponse } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor } from '../factories';
import {
	makeCampaign,
	retireAllDepartments,
	STANDARD_LEVELS as LEVELS,
	standardAnswers as answers
} from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { useEnv } from '../helpers/env';
import { refusalCode } from '../helpers/refusal';

const SECRET = 'test-invitation-secret-respond-0123456789';
useEnv({ INVITATION_SECRET: SECRET });

describeEachDatabase('answering from an invitation', (t) => {
	let tokens: string[];
	let campaignCode: string;
	const at = { address: '10.0.0.1' };

	beforeAll(async () => {
		await retireAllDepartments(t.db);
		for (const code of ['RA', 'RB', 'RC']) await makeDepartment(t.db, { code });
		const c = await makeCampaign(t.db, {
			year: new Date().getFullYear(),
			kind: 'enterprise_visit'
		});
		campaignCode = c.code;
		await makeSample(t.db, c.id, { units: 3 });
		await setCampaignState(t.db, c.id, 'active');
		tokens = (await surveys.createInvitations(t.db, c.code, testActor)).created.map((x) => x.token);
	});

	it('shows the target departments and the questions', async () => {
		const f = await surveys.respondentForm(t.db, tokens[0]!, at);
		expect(f.open.map((d) => d.code)).toEqual(['RA', 'RB', 'RC']);
		expect(f.answered).toEqual([]);
		expect(f.questions.filter((q) => q.kind === 'rating').map((q) => q.code)).toEqual(
			Object.keys(LEVELS)
		);
	});

	it('stores one response, with the enterprise, and marks its departments answered', async () => {
		const r = await surveys.answerInvitation(
			t.db,
			tokens[0]!,
			{ response_key: 'inv-0-a', answers: answers('RA', 'RC') },
			at
		);
		expect(r.created).toBe(true);
		expect(r.response).toMatchObject({ campaign_code: campaignCode, channel: 'online' });
		const [stored] = await t.db
			.select()
			.from(surveyResponse)
			.where(eq(surveyResponse.responseKey, 'inv-0-a'));
		expect(stored!.enterpriseId).not.toBeNull();
		const f = await surveys.respondentForm(t.db, tokens[0]!, at);
		expect(f.open.map((d) => d.code)).toEqual(['RB']);
		expect(f.answered.sort()).toEqual(['RA', 'RC']);
	});

	it('gives the stored response back for the same key, even later', async () => {
		const again = await surveys.answerInvitation(
			t.db,
			tokens[0]!,
			{ response_key: 'inv-0-a', answers: answers('RA', 'RC') },
			{ ...at, now: new Date(Date.now() + 60_000) }
		);
		expect(again.created).toBe(false);
		expect(again.response.response_key).toBe('inv-0-a');
	});

	it('refuses another invitation’s response key: never its answer, even with the same body', async () => {
		expect(
			await refusalCode(
				surveys.answerInvitation(
					t.db,
					tokens[1]!,
					{ response_key: 'inv-0-a', answers: answers('RA', 'RC') },
					at
				)
			)
		).toBe('response_key_conflict');
		expect((await surveys.respondentForm(t.db, tokens[1]!, at)).answered).toEqual([]);
	});

	it('refuses a second response about an answered department, takes one about another', async () => {
		expect(
			await refusalCode(
				surveys.answerInvitation(
					t.db,
					tokens[0]!,
					{ response_key: 'inv-0-b', answers: answers('RA') },
					at
				)
			)
		).toBe('invitation_answered');
		const other = await surveys.answerInvitation(
			t.db,
			tokens[0]!,
			{ response_key: 'inv-0-c', answers: answers('RB') },
			at
		);
		expect(other.created).toBe(true);
	});

	it('refuses a department outside the campaign’s targets and another campaign’s code', async () => {
		// A department that does not take part in the year is no target.
		await makeDepartment(t.db, { code: 'RX' });
		await t.db.update(department).set({ active: false }).where(eq(department.code, 'RX'));
		expect(
			await refusalCode(
				surveys.answerInvitation(
					t.db,
					tokens[1]!,
					{ response_key: 'inv-1-x', answers: answers('RX') },
					at
				)
			)
		).toBe('invitation_department');
		expect(
			await refusalCode(
				surveys.answerInvitation(
					t.db,
					tokens[1]!,
					{ response_key: 'inv-1-y', campaign_code: 'other', answers: answers('RA') },
					at
				)
			)
		).toBe('invitation_invalid');
	});

	it('stores one response when the same invitation answers from several tabs at once', async () => {
		const sends = Array.from({ length: 8 }, (_, i) =>
			surveys
				.answerInvitation(
					t.db,
					tokens[2]!,
					{ response_key: `inv-2-tab-${i % 2}`, answers: answers('RA') },
					at
				)
				.then(
					(r) => r.created,
					(e) => (isDomainError(e) ? e.code : Promise.reject(e))
				)
		);
		const outcomes = await Promise.all(sends);
		expect(outcomes.filter((o) => o === true)).toHaveLength(1);
		expect(outcomes.every((o) => o === true || o === false || o === 'invitation_answered')).toBe(
			true
		);
		const [n] = await rows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from invitation_answer a join invitation i on i.id = a.invitation_id
				join department d on d.id = a.department_id where d.code = 'RA'`
		);
		// The first invitation's and this one's: one each.
		expect(n!.n).toBe(2);
	});

	it('refuses a wrong token, and a closed campaign’s, alike', async () => {
		expect(
			await refusalCode(surveys.respondentForm(t.db, 'a'.repeat(32), { address: '10.0.0.2' }))
		).toBe('invitation_invalid');
		const c = await makeCampaign(t.db, { year: new Date().getFullYear() });
		await makeSample(t.db, c.id, { units: 1 });
		await setCampaignState(t.db, c.id, 'active');
		const [inv] = (await surveys.createInvitations(t.db, c.code, testActor)).created;
		await setCampaignState(t.db, c.id, 'closed');
		expect(
			await refusalCode(surveys.respondentForm(t.db, inv!.token, { address: '10.0.0.3' }))
		).toBe('invitation_invalid');
	});
});
