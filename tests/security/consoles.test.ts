// The field and paper consoles against the built app, without JavaScript: a supervisor names the
// visit, the enterprise and the departments, answers, and the response is stored once with its
// visit (a resend of the same form is the same response); a paper sheet keyed twice is one
// response. A leader and a liaison get 403 from both pages and their forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprise } from '$lib/server/db/schema';
import { startApp, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';
import { makeCampaign, STANDARD_LEVELS } from '../factories/records';
import { makeUscc, setCampaignState } from '../factories/samples';

const USCC = makeUscc();

const PASSWORD = 'correct horse battery';
const CODE = 'consoles-2026';
const VISIT = 'VISIT-7731';

describe('the field and paper consoles', () => {
	let app: RunningApp;
	const cookies: Record<string, string> = {};

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				const c = await makeCampaign(db, { year: 2026, code: CODE });
				await setCampaignState(db, c.id, 'active');
				await db.insert(enterprise).values({ uscc: USCC, name: '现场走访企业' });
				for (const role of ['supervisor', 'leader', 'liaison'] as const)
					await makeUser(db, {
						username: `${role}-consoles`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
			}
		});
		for (const who of ['supervisor', 'leader', 'liaison'])
			cookies[who] = (await app.signIn(`${who}-consoles`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const get = (who: string, path: string) => app.fetch(path, { cookie: cookies[who] });
	const post = (who: string, path: string, fields: [string, string][]) =>
		app.fetch(path, {
			method: 'POST',
			cookie: cookies[who],
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields)
		});
	const ratings = (department: string): [string, string][] =>
		Object.entries(STANDARD_LEVELS).map(([q, level]) => [`r:${department}:${q}`, String(level)]);
	// The responses list (supervisor): how many of its rows name this text.
	const listed = async (text: string) => {
		const html = await (await get('supervisor', `/campaigns/${CODE}/responses`)).text();
		const rows = html.match(/<tr data-testid="review-row"[\s\S]*?<\/tr>/g) ?? [];
		return rows.filter((row) => row.includes(text)).length;
	};

	it('takes an on-site appraisal with its visit, once however often it is sent', async () => {
		const page = await get(
			'supervisor',
			`/campaigns/${CODE}/field?visit=${VISIT}&enterprise=${USCC}&d=fgj`
		);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('data-testid="field-form"');
		const key = /name="response_key" value="([^"]+)"/.exec(html)![1]!;
		const form: [string, string][] = [
			['response_key', key],
			['uscc', USCC],
			['visitId', VISIT],
			['d', 'fgj'],
			...ratings('fgj')
		];
		// A missing rating is said, nothing stored.
		const missing = await post('supervisor', `/campaigns/${CODE}/field`, form.slice(0, -1));
		expect(missing.status).toBe(400);
		expect(await listed(VISIT)).toBe(0);
		for (let i = 0; i < 2; i++) {
			const sent = await post('supervisor', `/campaigns/${CODE}/field`, form);
			expect(sent.status).toBe(303);
			expect(sent.headers.get('location')).toBe(`/campaigns/${CODE}/field?saved`);
		}
		expect(await listed(VISIT)).toBe(1);
	});

	it('keys a paper sheet once: its number is the response', async () => {
		const sheet: [string, string][] = [['response_key', 'P-000123'], ...ratings('czj')];
		for (let i = 0; i < 2; i++) {
			const sent = await post('supervisor', `/campaigns/${CODE}/paper`, sheet);
			expect(sent.status).toBe(303);
		}
		expect(await listed('P-000123')).toBe(1);
		// The same number with other answers is another sheet's mistake: refused, nothing added.
		const other = await post('supervisor', `/campaigns/${CODE}/paper`, [
			['response_key', 'P-000123'],
			...ratings('czj').map(([k, v]): [string, string] => [k, v === '5' ? '1' : v])
		]);
		expect(other.status).toBe(409);
		expect(await listed('P-000123')).toBe(1);
	});

	it('refuses a leader and a liaison both consoles and their forms', async () => {
		for (const who of ['leader', 'liaison'])
			for (const path of [`/campaigns/${CODE}/field`, `/campaigns/${CODE}/paper`]) {
				expect((await get(who, path)).status, `${who} ${path}`).toBe(403);
				// A page's data answers 200 with the page's own node an error carrying the status.
				const data = await (await get(who, `${path}/__data.json`)).json();
				expect(
					(data as { nodes: { status?: number }[] }).nodes.at(-1)?.status,
					`${who} ${path}`
				).toBe(403);
				expect((await post(who, path, [['response_key', 'x']])).status, `${who} ${path}`).toBe(403);
			}
	});
});
