// The respondent's page against the built app, as a browser without JavaScript uses it: a wrong
// token gets the same 404 as any other wrong token; the departments are picked with a GET form,
// answered with a plain POST; a missing answer is said beside its question and nothing is
// stored; the same form sent twice stores one response; another form about an answered
// department is refused with a friendly message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import * as apiTokens from '$lib/server/auth/api-token';
import * as surveys from '$lib/server/surveys';
import { startApp, withoutNonces, type RunningApp } from '../helpers/app';
import { useEnv } from '../helpers/env';
import { testActor } from '../factories';
import { makeCampaign, STANDARD_LEVELS as LEVELS } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';

describe('the respondent page without JavaScript', () => {
	let app: RunningApp;
	let token = '';
	let other = '';
	let api = '';

	useEnv({ INVITATION_SECRET: 'respondent-page-secret-0123456789abcdef' });
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				const c = await makeCampaign(db, { year: currentYear(), kind: 'enterprise_visit' });
				await makeSample(db, c.id, { units: 2, prefix: '星辰机械' });
				await setCampaignState(db, c.id, 'active');
				const issued = (await surveys.createInvitations(db, c.code, testActor)).created;
				token = issued[0]!.token;
				other = issued[1]!.token;
				api = (
					await db.transaction((tx) =>
						apiTokens.create(tx, { name: 'field tablets', role: 'supervisor' }, testActor)
					)
				).token;
			}
		});
	});
	afterAll(() => app?.dispose());

	const form = (d: string[], key: string, skip?: string) => {
		const body = new URLSearchParams({ response_key: key });
		for (const code of d) {
			body.append('d', code);
			for (const [q, level] of Object.entries(LEVELS))
				if (`${code}:${q}` !== skip) body.append(`r:${code}:${q}`, String(level));
		}
		return body;
	};
	const post = (body: URLSearchParams) => app.fetch(`/i/${token}?d=fgj`, { method: 'POST', body });

	it('answers every wrong token with the same 404', async () => {
		const a = await app.fetch(`/i/${'a'.repeat(32)}`);
		const b = await app.fetch('/i/not-a-token');
		expect(a.status).toBe(404);
		expect(b.status).toBe(404);
		expect(withoutNonces(await a.text()).replaceAll('a'.repeat(32), 'X')).toBe(
			withoutNonces(await b.text()).replaceAll('not-a-token', 'X')
		);
	});

	it('offers the departments to pick, then the questions about those picked', async () => {
		const pick = await app.fetch(`/i/${token}`);
		expect(pick.status).toBe(200);
		const html = await pick.text();
		expect(html).toContain('星辰机械');
		expect(html).toContain('name="d" value="fgj"');
		const rate = await (await app.fetch(`/i/${token}?d=fgj&d=czj`)).text();
		expect(rate).toContain('name="r:fgj:transparency"');
		expect(rate).toContain('name="r:czj:efficiency"');
		expect(rate).not.toContain('name="r:jyj:transparency"');
	});

	it('says which answer is missing and stores nothing', async () => {
		const r = await post(form(['fgj'], 'page-key-1', 'fgj:service'));
		expect(r.status).toBe(400);
		const html = await r.text();
		expect(html).toContain('请选择一项（或“不了解”）。');
		// What was answered is still chosen.
		expect(html).toMatch(/name="r:fgj:transparency" value="5" checked/);
		expect(await (await app.fetch(`/i/${token}`)).text()).not.toContain('已对');
	});

	it('stores the answers once, however often the same form is sent', async () => {
		for (let i = 0; i < 3; i++) {
			const r = await post(form(['fgj'], 'page-key-1'));
			expect(r.status).toBe(303);
			expect(r.headers.get('location')).toBe(`/i/${token}?done`);
		}
		const after = await (await app.fetch(`/i/${token}?done`)).text();
		expect(after).toContain('谢谢！您的答卷已收到。');
		expect(after).toContain('您已对 1 个部门作过评价');
		expect(after).not.toContain('name="d" value="fgj"');
	});

	it('refuses another response about the department already answered, kindly', async () => {
		const r = await post(form(['fgj'], 'page-key-2'));
		expect(r.status).toBe(409);
		expect(await r.text()).toContain('您已对 fgj 作过评价，谢谢！');
	});

	it('takes an invitation token on the API: 201, 200 again, 409 for a second response', async () => {
		const body = (key: string) => ({
			invitation_token: other,
			response_key: key,
			answers: Object.entries(LEVELS).map(([q, answer]) => ({
				department_code: 'czj',
				question_code: q,
				answer
			}))
		});
		const send = (b: unknown) =>
			app.fetch('/api/v1/responses', {
				method: 'POST',
				headers: { authorization: `Bearer ${api}`, 'content-type': 'application/json' },
				body: JSON.stringify(b),
				sameOrigin: false
			});
		expect((await send(body('api-key-1'))).status).toBe(201);
		expect((await send(body('api-key-1'))).status).toBe(200);
		const again = await send(body('api-key-2'));
		expect(again.status).toBe(409);
		expect(((await again.json()) as { error: { code: string } }).error.code).toBe(
			'invitation_answered'
		);
		const wrong = await send({ ...body('api-key-3'), invitation_token: 'b'.repeat(32) });
		expect(wrong.status).toBe(404);
		expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
			'invitation_invalid'
		);
	});
});
