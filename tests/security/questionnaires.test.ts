// The questionnaire pages against the built app, without JavaScript (plain form posts): who may
// see and build questionnaires, the builder's steps giving the draft back unsaved, a save in
// place, and the preview rendering the respondent's answer fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';

const PASSWORD = 'correct horse battery';
type Who = 'admin' | 'supervisor' | 'leader' | 'liaison' | 'enterprise';
const WHO: Who[] = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'];

describe('questionnaire pages', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-qn`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
			}
		});
		for (const role of WHO) cookies[role] = (await app.signIn(`${role}-qn`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const post = (who: Who, path: string, body: Record<string, string>) =>
		app.fetch(path, { method: 'POST', cookie: cookies[who], body: new URLSearchParams(body) });

	it.each([
		['admin', 200, 200],
		['supervisor', 200, 200],
		['leader', 200, 403],
		['liaison', 403, 403],
		['enterprise', 403, 403]
	] as const)('%s: the list %s, the new questionnaire form %s', async (who, list, create) => {
		expect((await app.fetch('/questionnaires', { cookie: cookies[who] })).status).toBe(list);
		expect((await app.fetch('/questionnaires/new', { cookie: cookies[who] })).status).toBe(create);
	});

	it('builds a questionnaire with plain form posts', async () => {
		expect(
			(await post('leader', '/questionnaires/new', { code: 'q-sec', titleZh: '甲', titleEn: 'A' }))
				.status
		).toBe(403);
		const created = await post('supervisor', '/questionnaires/new', {
			code: 'q-sec',
			titleZh: '营商问卷',
			titleEn: 'Business'
		});
		expect(created.status).toBe(303);
		expect(created.headers.get('location')).toBe('/questionnaires/q-sec/1');

		// A step: a single-choice question added and shown with two blank option rows, unsaved.
		const base = { titleZh: '营商问卷', titleEn: 'Business' };
		const step = await post('supervisor', '/questionnaires/q-sec/1', {
			...base,
			'q.0.code': 'via',
			'q.0.kind': 'single',
			'q.0.textZh': '渠道',
			'q.0.textEn': 'Channel',
			'q.0.required': 'on',
			intent: 'add'
		});
		expect(step.status).toBe(200);
		const html = await step.text();
		expect(html).toContain('name="q.0.o.1.code"');
		expect(html).toContain('name="q.1.code"');
		const page = await (
			await app.fetch('/questionnaires/q-sec/1', { cookie: cookies.admin })
		).text();
		expect(page).toContain('data-testid="questionnaire-no-questions"');

		// Saving with blank options: refused beside the fields.
		const form = {
			...base,
			'q.0.code': 'via',
			'q.0.kind': 'single',
			'q.0.textZh': '渠道',
			'q.0.textEn': 'Channel',
			'q.0.required': 'on',
			'q.0.o.0.code': 'online',
			'q.0.o.0.textZh': '网上',
			'q.0.o.0.textEn': 'Online'
		};
		expect((await post('supervisor', '/questionnaires/q-sec/1', form)).status).toBe(400);
		const saved = await post('supervisor', '/questionnaires/q-sec/1', {
			...form,
			'q.0.o.1.code': 'window',
			'q.0.o.1.textZh': '窗口',
			'q.0.o.1.textEn': 'Counter'
		});
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe('/questionnaires/q-sec/1?saved=here');

		// A leader reads it but cannot save.
		expect((await post('leader', '/questionnaires/q-sec/1', form)).status).toBe(403);
		const preview = await app.fetch('/questionnaires/q-sec/1/preview', { cookie: cookies.leader });
		expect(preview.status).toBe(200);
		const shown = await preview.text();
		expect(shown).toContain('name="c:sample-1:via"');
		expect(shown).toContain('value="window"');
	});

	it('says the built-in questionnaire is frozen, and a version that does not exist is 404', async () => {
		const r = await app.fetch('/questionnaires/standard-appraisal/1', { cookie: cookies.admin });
		expect(r.status).toBe(200);
		expect(await r.text()).toContain('data-testid="questionnaire-frozen"');
		expect(
			(await app.fetch('/questionnaires/standard-appraisal/99', { cookie: cookies.admin })).status
		).toBe(404);
	});
});
