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
import { makeSnapshot, snapshotContent } from '../factories/snapshots';

const PASSWORD = 'correct horse battery';
// Example departments every fresh database has (src/lib/server/departments/examples.ts).
const OWN = 'fgj';
const OTHER = 'czj';
const CAMPAIGN = 'visit-2026';
/** A campaign of 2019, a year whose results are published. */
const PUBLISHED = 'visit-2019';

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
				await surveys.createCampaign(
					db,
					createCampaignSchema.parse({ code: PUBLISHED, year: 2019, kind: 'online' }),
					testActor
				);
				await makeSnapshot(db, snapshotContent(2019, []), { revision: 1 });
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

	it('stores a response once: 201, then 200 with the stored response for the same body, 409 for another', async () => {
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

		// The same body (answers in another order, the time with an offset): the stored response.
		const again = await post(
			tokens.admin,
			response('http-1', {
				submitted_at: '2026-03-01T23:15:00Z',
				answers: [...response('x').answers].reverse()
			})
		);
		expect(again.status).toBe(200);
		expect(await again.json()).toEqual(stored);

		// Another body under the key is refused, and the stored response stays as it was.
		const other = await post(
			tokens.admin,
			response('http-1', { channel: 'paper', answers: [response('x').answers[0]] })
		);
		expect(other.status).toBe(409);
		expect(((await other.json()) as ErrorDoc).error).toMatchObject({
			code: 'response_key_conflict',
			details: [{ path: 'response_key', code: 'response_key_conflict' }]
		});
		expect(await (await post(tokens.admin, response('http-1'))).json()).toEqual(stored);
	});

	it('refuses keys with control characters or lone surrogates (422), and keeps U+FFFD apart', async () => {
		// As raw JSON text: a lone surrogate escape is valid JSON, and must not become U+FFFD.
		const raw = (key: string) =>
			JSON.stringify(response('placeholder')).replace('"placeholder"', `"${key}"`);
		for (const key of ['\\ud800x', '\\udc00x', 'x\\u0007', 'x\\u0085y']) {
			const r = await post(tokens.supervisor, raw(key));
			expect(r.status, key).toBe(422);
			expect(((await r.json()) as ErrorDoc).error.details).toEqual([
				{
					path: 'response_key',
					code: 'response_key_characters',
					message: 'response_key 不能含有控制字符或不成对的代理字符。'
				}
			]);
		}
		const replacement = await post(tokens.supervisor, raw('\\ufffdx'));
		expect(replacement.status).toBe(201);
		expect(((await replacement.json()) as Stored).response_key).toBe('\ufffdx');
	});

	it('answers a NUL anywhere in the body 422, never 500', async () => {
		const bodies = [
			response('nul\u0000key'),
			response('nul-1', { campaign_code: 'visit\u00002026' }),
			response('nul-2', {
				answers: [{ department_code: OWN, question_code: 'difficulty', answer: '慢\u0000' }]
			}),
			response('nul-3', {
				answers: [{ department_code: 'f\u0000gj', question_code: 'service', answer: 4 }]
			}),
			response('nul-4', {
				answers: [{ department_code: OWN, question_code: 'service', answer: '4\u0000' }]
			}),
			{ ...response('nul-5'), 'x\u0000y': 1 }
		];
		for (const body of bodies) {
			const r = await post(tokens.supervisor, body);
			expect(r.status, JSON.stringify(body)).toBe(422);
			const doc = (await r.json()) as ErrorDoc;
			expect(doc.error.code).toBe('response_invalid');
			expect(doc.error.details.length).toBeGreaterThan(0);
		}
	});

	it('refuses a time outside the campaign (422) and a year already published (409)', async () => {
		const outside = await post(
			tokens.supervisor,
			response('http-outside', { submitted_at: '2025-12-31 23:59' })
		);
		expect(outside.status).toBe(422);
		expect(((await outside.json()) as ErrorDoc).error.details).toMatchObject([
			{ path: 'submitted_at', code: 'response_outside_year' }
		]);
		const published = await post(
			tokens.supervisor,
			response('http-published', { campaign_code: PUBLISHED, submitted_at: '2019-05-06 09:30' })
		);
		expect(published.status).toBe(409);
		expect(((await published.json()) as ErrorDoc).error).toMatchObject({
			code: 'response_year_published',
			details: [{ path: 'campaign_code', code: 'response_year_published' }]
		});
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
		expect(doc.error.code).toBe('response_invalid');
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
