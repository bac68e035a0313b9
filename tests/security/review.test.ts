// A campaign's responses against the built app: the list, one response, the void form and the
// download are for admins and supervisors; a leader and a liaison get 403 from every one of them
// (page, its __data.json, the form action, the download). Who answered reaches an admin only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprise } from '$lib/server/db/schema';
import { startApp, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';
import { makeCampaign, makeResponse } from '../factories/records';

const PASSWORD = 'correct horse battery';
const LIST = '/campaigns/review-2026/responses';
const USCC = '91350400MA0REV0001';

describe('reviewing responses', () => {
	let app: RunningApp;
	const cookies: Record<string, string> = {};
	let key = '';

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				const c = await makeCampaign(db, { year: 2026, code: 'review-2026' });
				await db.insert(enterprise).values({ uscc: USCC, name: '评议受访企业' });
				const r = await makeResponse(db, {
					campaignId: c.id,
					answers: { fgj: [5, 4, 3, 2, 1, 0] }
				});
				key = r.responseKey;
				for (const role of ['admin', 'supervisor', 'leader', 'liaison'] as const)
					await makeUser(db, {
						username: `${role}-review`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
			}
		});
		for (const who of ['admin', 'supervisor', 'leader', 'liaison'])
			cookies[who] = (await app.signIn(`${who}-review`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const get = (who: string, path: string) => app.fetch(path, { cookie: cookies[who] });
	const voidIt = (who: string, fields: Record<string, string>) =>
		app.fetch(`${LIST}/${key}?/void`, {
			method: 'POST',
			cookie: cookies[who],
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields)
		});

	it('refuses a leader and a liaison everything: list, data, response, download, voiding', async () => {
		for (const who of ['leader', 'liaison']) {
			for (const path of [
				LIST,
				`${LIST}/__data.json`,
				`${LIST}/${key}`,
				`${LIST}/${key}/__data.json`,
				`${LIST}/download/csv`,
				`${LIST}/download/xlsx`
			]) {
				const res = await get(who, path);
				const body = await res.text();
				// A page's data answers 200 with the page's own node an error carrying the status.
				const status = path.endsWith('__data.json')
					? (JSON.parse(body) as { nodes: { status?: number }[] }).nodes.at(-1)?.status
					: res.status;
				expect([status, path, who]).toEqual([403, path, who]);
				// (The key itself is in the refused address, which the error page links back to.)
				expect(body).not.toMatch(/review-row|review-answers|response_key|submittedAt/);
			}
			expect((await voidIt(who, { reason: 'x', confirm: 'yes' })).status).toBe(403);
		}
	});

	it('lists and downloads for a supervisor, without who answered', async () => {
		const page = await get('supervisor', LIST);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(key);
		const csv = await get('supervisor', `${LIST}/download/csv`);
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toContain('text/csv');
		const text = await csv.text();
		expect(text).toContain(`${key},paper,`);
		expect(text).not.toContain('uscc');
		expect((await get('supervisor', `${LIST}/download/csv?identity=1`)).status).toBe(403);
		const xlsx = await get('supervisor', `${LIST}/download/xlsx`);
		expect(xlsx.status).toBe(200);
		expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(
			new Uint8Array([0x50, 0x4b])
		);
	});

	it('gives who answered to an admin on request, in sudo mode', async () => {
		const asked = await get('admin', `${LIST}/download/csv?identity=1`);
		expect(asked.status).toBe(303);
		expect(asked.headers.get('location')).toMatch(/^\/sudo\?next=/);
		await app.sudo(cookies.admin!, PASSWORD);
		const csv = await (await get('admin', `${LIST}/download/csv?identity=1`)).text();
		expect(csv.split('\r\n')[0]).toContain(',uscc,enterprise_name,interviewer');
	});

	it('voids with a reason and a confirmation, once', async () => {
		expect((await voidIt('supervisor', { reason: '', confirm: 'yes' })).status).toBe(400);
		expect((await voidIt('supervisor', { reason: 'made up' })).status).toBe(400);
		const done = await voidIt('supervisor', { reason: 'made up', confirm: 'yes' });
		expect(done.status).toBe(303);
		expect((await voidIt('admin', { reason: 'again', confirm: 'yes' })).status).toBe(409);
		expect(await (await get('supervisor', `${LIST}/${key}`)).text()).toContain('made up');
	});
});
