// `POST /api/v1/responses` and the campaign pages against the built app: only supervisors' and
// admins' clients record responses (401/403 as the error document otherwise), the same
// response_key is stored once (201, then 200 with the stored response, also when sent many
// times at once), invalid content is 422 with every problem; a liaison never sees a campaign.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import * as apiTokens from '$lib/server/auth/api-token';
import * as surveys from '$lib/server/surveys';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';

const PASSWORD = 'correct horse battery';
// Example departments every fresh database has (src/lib/server/departments/examples.ts).
const OWN = 'fgj';
const OTHER = 'czj';
const CAMPAIGN = 'visit-2026';

type ErrorDoc = { error: { code: string; message: string; details: Record<string, unknown>[] } };
type Stored = {
	id: number;
	response_key: string;
	campaign_code: string;
	channel: string;
	submitted_at: string;
	answers: { department_code: string; question_code: string; answer: number | string }[];
};

const response = (key: string, extra: Record<string, unknown> = {}) => ({
	response_key: key,
	campaign_code: CAMPAIGN,
	channel: 'phone',
	submitted_at: '2026-03-02 07:15',
	answers: [
		{ department_code: OWN, question_code: 'service', answer: 4 },
		{ department_code: OWN, question_code: 'efficiency', answer: 0 },
		{ department_code: OTHER, question_code: 'difficulty', answer: '窗口少' }
	],
	...extra
});

describe('the responses API and the campaign pages', () => {
	let app: RunningApp;
	const tokens = { supervisor: '', admin: '', leader: '', liaison: '' };
	const cookies = { supervisor: '', leader: '', liaison: '' };

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				for (const role of ['supervisor', 'admin', 'leader'] as const) {
					const issued = await db.transaction((tx) =>
						apiTokens.create(tx, { name: `${role} system`, role }, testActor)
					);
					tokens[role] = issued.token;
				}
				tokens.liaison = (
					await db.transaction((tx) =>
						apiTokens.create(
							tx,
							{ name: 'fgj system', role: 'liaison', departmentCode: OWN },
							testActor
						)
					)
				).token;
				const input = createCampaignSchema.parse({
					code: CAMPAIGN,
					year: 2026,
					kind: 'enterprise_visit'
				});
				await db.transaction((tx) => surveys.createCampaign(tx, input, testActor));
				await makeUser(db, { username: 'supervisor', role: 'supervisor' });
				await makeUser(db, { username: 'leader', role: 'leader' });
				await makeUser(db, { username: 'liaison-fgj', role: 'liaison', departmentCode: OWN });
			}
		});
		cookies.supervisor = (await app.signIn('supervisor', PASSWORD)).cookie!;
		cookies.leader = (await app.signIn('leader', PASSWORD)).cookie!;
		cookies.liaison = (await app.signIn('liaison-fgj', PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const post = (token: string | null, body: unknown) => {
		const headers = new Headers({ accept: 'application/json' });
		if (token) headers.set('authorization', `Bearer ${token}`);
		headers.set('content-type', 'application/json');
		return app.fetch('/api/v1/responses', {
			method: 'POST',
			headers,
			body: typeof body === 'string' ? body : JSON.stringify(body),
			sameOrigin: false
		});
	};

	it('answers without a valid token 401 and for other roles 403, as JSON, writing nothing', async () => {
		for (const token of [null, 'nope']) {
			const r = await post(token, response('denied-1'));
			expect(r.status).toBe(401);
			expect(((await r.json()) as ErrorDoc).error.code).toBe('unauthenticated');
		}
		for (const token of [tokens.leader, tokens.liaison]) {
			const r = await post(token, response('denied-1'));
			expect(r.status).toBe(403);
			expect(((await r.json()) as ErrorDoc).error.code).toBe('forbidden');
		}
		// Nothing was stored: the supervisor's first submission of the key creates it.
		const first = await post(tokens.supervisor, response('denied-1'));
		expect(first.status).toBe(201);
	});

	it('stores a response once: 201, then 200 with the stored response', async () => {
		const created = await post(tokens.supervisor, response('http-1'));
		expect(created.status).toBe(201);
		const stored = (await created.json()) as Stored;
		expect(stored).toMatchObject({
			response_key: 'http-1',
			campaign_code: CAMPAIGN,
			channel: 'phone',
			submitted_at: '2026-03-02 07:15:00'
		});
		expect(stored.answers).toHaveLength(3);

		const again = await post(
			tokens.admin,
			response('http-1', { channel: 'paper', answers: [response('x').answers[0]] })
		);
		expect(again.status).toBe(200);
		expect(await again.json()).toEqual(stored);
	});

	it('stores exactly one response for 50 simultaneous posts of one key', async () => {
		const all = await Promise.all(
			Array.from({ length: 50 }, () => post(tokens.supervisor, response('http-race')))
		);
		const statuses = all.map((r) => r.status);
		expect(statuses.filter((s) => s === 201)).toHaveLength(1);
		expect(statuses.filter((s) => s === 200)).toHaveLength(49);
		const ids = new Set(await Promise.all(all.map(async (r) => ((await r.json()) as Stored).id)));
		expect(ids.size).toBe(1);
	});

	it('answers invalid content 422 with every problem, and bad JSON 400', async () => {
		const r = await post(
			tokens.supervisor,
			response('http-bad', {
				answers: [
					{ department_code: 'nobody', question_code: 'service', answer: 3 },
					{ department_code: OWN, question_code: 'service', answer: 9 }
				]
			})
		);
		expect(r.status).toBe(422);
		const doc = (await r.json()) as ErrorDoc;
		expect(doc.error.code).toBe('invalid_content');
		expect(doc.error.details.map((d) => d.path)).toEqual([
			'answers.0.department_code',
			'answers.1.answer'
		]);
		const shape = await post(tokens.supervisor, { response_key: 'x' });
		expect(shape.status).toBe(422);
		expect(((await shape.json()) as ErrorDoc).error.details.map((d) => d.path).sort()).toEqual(
			['answers', 'campaign_code', 'channel', 'submitted_at'].sort()
		);
		const json = await post(tokens.supervisor, '{not json');
		expect(json.status).toBe(400);
		expect(((await json.json()) as ErrorDoc).error.code).toBe('invalid_json');
		// Nothing of the refused response was stored.
		const later = await post(tokens.supervisor, response('http-bad'));
		expect(later.status).toBe(201);
	});

	it('never shows a liaison a campaign, as a page or as __data.json', async () => {
		for (const path of ['/campaigns', '/campaigns/new']) {
			const r = await app.fetch(path, { cookie: cookies.liaison });
			expect(r.status).toBe(403);
			expect(await r.text()).not.toContain(CAMPAIGN);
			const data = await app.fetch(`${path}/__data.json`, { cookie: cookies.liaison });
			expect(await data.text()).not.toContain(CAMPAIGN);
		}
		const anonymous = await app.fetch('/campaigns');
		expect(toSignIn(anonymous)).toBe(true);
	});

	it('lists campaigns for a leader, who may not create one', async () => {
		const r = await app.fetch('/campaigns?year=2026', { cookie: cookies.leader });
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toContain(CAMPAIGN);
		expect(html).not.toContain('data-testid="campaigns-new-link"');
		expect((await app.fetch('/campaigns/new', { cookie: cookies.leader })).status).toBe(403);
		const post = await app.fetch('/campaigns/new', {
			method: 'POST',
			cookie: cookies.leader,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ code: 'leader-made', year: '2026', kind: 'online', weight: '1' })
		});
		expect(post.status).toBe(403);
	});

	it('lets a supervisor create a campaign with the form, and shows refusals', async () => {
		const form = (fields: Record<string, string>) =>
			app.fetch('/campaigns/new', {
				method: 'POST',
				cookie: cookies.supervisor,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(fields)
			});
		const ok = await form({
			code: 'online-2026',
			year: '2026',
			kind: 'online',
			questionnaire: 'standard-appraisal',
			weight: '0.5'
		});
		expect(ok.status).toBe(303);
		expect(ok.headers.get('location')).toBe('/campaigns?created=online-2026');
		const list = await app.fetch('/campaigns?year=2026', { cookie: cookies.supervisor });
		const html = await list.text();
		expect(html).toContain('online-2026');
		expect(html).toContain('data-testid="campaigns-new-link"');

		// A taken code conflicts with the data (409); a bad value is invalid input (400).
		const taken = await form({ code: 'online-2026', year: '2026', kind: 'online', weight: '1' });
		expect(taken.status).toBe(409);
		const badWeight = await form({ code: 'w-2026', year: '2026', kind: 'online', weight: '0' });
		expect(badWeight.status).toBe(400);
	});
});
