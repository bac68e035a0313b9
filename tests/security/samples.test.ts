// A campaign's sample page against the built app: a supervisor draws and assigns with the forms;
// phone numbers reach the page (and its `__data.json`) in full only for an admin and the
// supervisor a unit is assigned to; a leader sees the sample masked; a liaison gets 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprise } from '$lib/server/db/schema';
import { startApp, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';
import { makeCampaign } from '../factories/records';

const PASSWORD = 'correct horse battery';
const PAGE = '/campaigns/sample-2026/sample';
const DIGITS = /1390000\d{4}/;

describe('the sample page', () => {
	let app: RunningApp;
	const cookies: Record<string, string> = {};
	let supervisorId = 0;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeCampaign(db, { year: 2026, code: 'sample-2026' });
				await db.insert(enterprise).values(
					Array.from({ length: 12 }, (_, i) => ({
						uscc: `S${String(i).padStart(17, '0')}`,
						name: `样本企业${i}`,
						township: i < 8 ? '燕西街道' : '贡川镇',
						contactPhone: `1390000${String(i).padStart(4, '0')}`
					}))
				);
				for (const who of ['admin', 'supervisor', 'other', 'leader', 'liaison'] as const) {
					const role = who === 'other' ? 'supervisor' : who;
					const u = await makeUser(db, {
						username: `${who}-sample`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
					if (who === 'supervisor') supervisorId = u.id;
				}
			}
		});
		for (const who of ['admin', 'supervisor', 'other', 'leader', 'liaison'])
			cookies[who] = (await app.signIn(`${who}-sample`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const post = (who: string, action: string, fields: Record<string, string>) =>
		app.fetch(`${PAGE}?/${action}`, {
			method: 'POST',
			cookie: cookies[who],
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields)
		});

	it('draws with the form, asks before replacing, and assigns', async () => {
		const drawn = await post('supervisor', 'draw', { size: '6', seed: '99', stratify: 'township' });
		expect(drawn.status).toBe(303);
		expect(drawn.headers.get('location')).toBe(`${PAGE}?done=drawn`);
		const again = await post('supervisor', 'draw', { size: '6', seed: '98', stratify: 'none' });
		expect(again.status).toBe(400);
		const page = await (await app.fetch(PAGE, { cookie: cookies.supervisor })).text();
		expect(page).toMatch(/data-testid="sample-seed"[^>]*>99</);
		const assigned = await post('supervisor', 'assign', {
			count: '3',
			supervisor: String(supervisorId)
		});
		expect(assigned.status).toBe(303);
	});

	it('gives ticked units to a supervisor and takes them back with the list form', async () => {
		const page = await (await app.fetch(PAGE, { cookie: cookies.supervisor })).text();
		const ids = [...page.matchAll(/name="unit" value="(\d+)"/g)].map((x) => x[1]!);
		expect(ids.length).toBeGreaterThanOrEqual(2);
		const form = (extra: [string, string][]) =>
			new URLSearchParams([
				...ids.slice(0, 2).map((id): [string, string] => ['unit', id]),
				...extra
			]);
		const send = (action: string, body: URLSearchParams, who = 'supervisor') =>
			app.fetch(`${PAGE}?/${action}`, {
				method: 'POST',
				cookie: cookies[who],
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body
			});
		const none = await send('pick', new URLSearchParams([['supervisor', String(supervisorId)]]));
		expect(none.status).toBe(400);
		expect(await none.text()).toContain('至少勾选一个单位');
		const picked = await send('pick', form([['supervisor', String(supervisorId)]]));
		expect(picked.status).toBe(303);
		expect(picked.headers.get('location')).toBe(`${PAGE}?done=assigned`);
		const back = await send('unpick', form([]));
		expect(back.status).toBe(303);
		expect(back.headers.get('location')).toBe(`${PAGE}?done=unassigned`);
		expect((await send('unpick', form([]), 'leader')).status).toBe(403);
		expect((await send('unpick', form([]), 'liaison')).status).toBe(403);
		// As the next test expects: the first three units the supervisor's again.
		expect((await send('pick', form([['supervisor', String(supervisorId)]]))).status).toBe(303);
	});

	it('shows full numbers to an admin and to the assigned supervisor only, when asked in sudo mode', async () => {
		// Masked for everyone until asked for (`phones=1`), which needs sudo mode.
		for (const who of ['admin', 'supervisor', 'other']) {
			expect(await (await app.fetch(PAGE, { cookie: cookies[who] })).text()).not.toMatch(DIGITS);
			const asked = await app.fetch(`${PAGE}?phones=1`, { cookie: cookies[who] });
			expect(asked.headers.get('location'), who).toMatch(/^\/sudo\?next=/);
			await app.sudo(cookies[who]!, PASSWORD);
		}
		// The numbers in the page's data (`__data.json`, and the same in the page for hydration).
		const digitsSeen = async (who: string) => {
			const html = await (await app.fetch(`${PAGE}?phones=1`, { cookie: cookies[who] })).text();
			const data = await (
				await app.fetch(`${PAGE}/__data.json?phones=1`, { cookie: cookies[who] })
			).text();
			const found = new Set(data.match(new RegExp(DIGITS, 'g')) ?? []);
			expect(DIGITS.test(html)).toBe(found.size > 0);
			return found.size;
		};
		expect(await digitsSeen('admin')).toBe(6);
		expect(await digitsSeen('supervisor')).toBe(3);
		expect(await digitsSeen('other')).toBe(0);
		const leader = await (await app.fetch(PAGE, { cookie: cookies.leader })).text();
		expect(leader).toContain('data-testid="sample-units-table"');
		expect(leader).not.toMatch(DIGITS);
		expect(leader).not.toContain('样本企业');
		expect(leader).not.toContain('data-testid="sample-draw-form"');
		expect((await post('leader', 'draw', { size: '1', seed: '1' })).status).toBe(403);
	});

	it('refuses a liaison the page, its data and its forms, as for no campaign at all', async () => {
		for (const path of [PAGE, '/campaigns/none-such/sample']) {
			expect((await app.fetch(path, { cookie: cookies.liaison })).status).toBe(403);
			const data = await app.fetch(`${path}/__data.json`, { cookie: cookies.liaison });
			const body = (await data.json()) as { nodes?: { type: string; status?: number }[] };
			expect(body.nodes?.at(-1)).toMatchObject({ type: 'error', status: 403 });
			expect(JSON.stringify(body)).not.toContain('sample-2026');
		}
		expect((await post('liaison', 'draw', { size: '1', seed: '1' })).status).toBe(403);
	});
});
