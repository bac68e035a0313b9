// Unannounced campaigns against the built app: before a campaign closes, a liaison or an
// enterprise learns nothing of it — its page and `__data.json` answer exactly as for a code
// that does not exist (403, same body) — while admins, supervisors and leaders see it; only
// admins and supervisors change it, and opening or closing asks for a confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as surveys from '$lib/server/surveys';
import { startApp, withoutNonces, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';

const PASSWORD = 'correct horse battery';
type Who = 'admin' | 'supervisor' | 'leader' | 'liaison' | 'enterprise';
const WHO: Who[] = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'];
const SECRET = 'spring-visits-2026';

describe('unannounced campaigns', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-camp`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
				await surveys.createCampaign(
					db,
					{
						code: SECRET,
						year: 2026,
						kind: 'enterprise_visit',
						questionnaire: 'standard-appraisal',
						weight: '1',
						nameZh: '春季暗访',
						nameEn: undefined
					},
					testActor
				);
			}
		});
		for (const role of WHO) cookies[role] = (await app.signIn(`${role}-camp`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	// The state as an admin reads it on the page (the embedded database is the app's alone).
	const LABELS: Record<string, string> = { 草稿: 'draft', 进行中: 'active', 已结束: 'closed' };
	const state = async () => {
		const html = await (await app.fetch(`/campaigns/${SECRET}`, { cookie: cookies.admin })).text();
		const label = /data-testid="campaign-state"[^>]*>([^<]+)</.exec(html)?.[1]?.trim() ?? '';
		return LABELS[label] ?? label;
	};

	it.each([
		['admin', 200],
		['supervisor', 200],
		['leader', 200],
		['liaison', 403],
		['enterprise', 403]
	] as const)('the campaign page for %s: %s', async (who, status) => {
		const r = await app.fetch(`/campaigns/${SECRET}`, { cookie: cookies[who] });
		expect(r.status).toBe(status);
		const text = await r.text();
		if (status === 200) expect(text).toContain('春季暗访');
		else expect(text).not.toContain('春季暗访');
	});

	it.each(['liaison', 'enterprise'] as const)(
		'a %s cannot tell an existing campaign from none, by page or __data.json',
		async (who) => {
			for (const suffix of ['', '/__data.json']) {
				const real = await app.fetch(`/campaigns/${SECRET}${suffix}`, { cookie: cookies[who] });
				const none = await app.fetch(`/campaigns/no-such-campaign${suffix}`, {
					cookie: cookies[who]
				});
				// The page answers 403; __data.json answers 200 with the 403 as its last node.
				expect(real.status).toBe(suffix ? 200 : 403);
				expect(none.status).toBe(real.status);
				const [a, b] = [withoutNonces(await real.text()), withoutNonces(await none.text())];
				expect(a.replaceAll(SECRET, 'X')).toBe(b.replaceAll('no-such-campaign', 'X'));
				expect(a).not.toContain('春季暗访');
				if (suffix)
					expect(JSON.parse(a).nodes.at(-1)).toMatchObject({ type: 'error', status: 403 });
			}
		}
	);

	it('tells those who may see campaigns that a code does not exist (404)', async () => {
		const r = await app.fetch('/campaigns/no-such-campaign', { cookie: cookies.supervisor });
		expect(r.status).toBe(404);
	});

	const post = (who: Who, body: Record<string, string>) =>
		app.fetch(`/campaigns/${SECRET}?/state`, {
			method: 'POST',
			cookie: cookies[who],
			body: new URLSearchParams(body)
		});

	it('refuses a leader, a liaison and an enterprise the change, leaving the draft as it is', async () => {
		for (const who of ['leader', 'liaison', 'enterprise'] as const) {
			const r = await post(who, { action: 'open', confirm: 'yes' });
			expect(r.status, who).toBe(403);
		}
		expect(await state()).toBe('draft');
	});

	const send = (who: Who, action: string, body: [string, string][]) =>
		app.fetch(`/campaigns/${SECRET}?/${action}`, {
			method: 'POST',
			cookie: cookies[who],
			body: new URLSearchParams(body)
		});
	const adminPage = async () =>
		(await app.fetch(`/campaigns/${SECRET}`, { cookie: cookies.admin })).text();
	const text = (html: string, testid: string) =>
		new RegExp(`data-testid="${testid}"[^>]*>([^<]*)<`)
			.exec(html)?.[1]
			?.replace(/\s+/g, ' ')
			.trim();

	it('plans the draft with its forms: dates, channels, picked targets, then quotas', async () => {
		const plan: [string, string][] = [
			['nameZh', '春季暗访'],
			['weight', '2'],
			['opensOn', '2026-03-01'],
			['closesOn', '2026-04-30'],
			['channels', 'phone'],
			['channels', 'field'],
			['targets', 'selected'],
			['departments', 'fgj'],
			['departments', 'czj']
		];
		// Dates the wrong way round: said beside the closing date, nothing saved.
		const wrong = await send('supervisor', 'plan', [
			...plan.filter(([k]) => k !== 'closesOn'),
			['closesOn', '2026-02-01']
		]);
		expect(wrong.status).toBe(400);
		expect(text(await adminPage(), 'campaign-dates')).not.toContain('2026-03-01');
		expect((await send('leader', 'plan', plan)).status).toBe(403);

		const saved = await send('supervisor', 'plan', plan);
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe(`/campaigns/${SECRET}?saved=plan`);
		let html = await adminPage();
		expect(text(html, 'campaign-dates')).toBe('2026-03-01 – 2026-04-30');
		expect(
			[...html.matchAll(/data-testid="campaign-progress-row" data-code="([^"]+)"/g)]
				.map((x) => x[1])
				.sort()
		).toEqual(['czj', 'fgj']);

		const badQuota = await send('supervisor', 'quotas', [['quota_fgj', '0']]);
		expect(badQuota.status).toBe(400);
		const quotas = await send('supervisor', 'quotas', [
			['quota_fgj', '30'],
			['quota_category_municipal', '10']
		]);
		expect(quotas.status).toBe(303);
		html = await adminPage();
		expect(html).toMatch(/name="quota_fgj"[^>]*value="30"/);
		expect((await send('liaison', 'quotas', [['quota_fgj', '1']])).status).toBe(403);
	});

	it('opens only with the confirmation ticked, then closes', async () => {
		const unconfirmed = await post('supervisor', { action: 'open' });
		expect(unconfirmed.status).toBe(400);
		expect(await state()).toBe('draft');
		const opened = await post('supervisor', { action: 'open', confirm: 'yes' });
		expect(opened.status).toBe(303);
		expect(opened.headers.get('location')).toBe(`/campaigns/${SECRET}?saved=open`);
		expect(await state()).toBe('active');
		// Opening twice is a conflict the form reports, not an error page.
		expect((await post('admin', { action: 'open', confirm: 'yes' })).status).toBe(409);
		// Still unannounced while it runs.
		expect((await app.fetch(`/campaigns/${SECRET}`, { cookie: cookies.liaison })).status).toBe(403);
		// While it runs only the closing date moves; the plan is no longer taken.
		expect(
			(
				await send('supervisor', 'plan', [
					['targets', 'all'],
					['channels', 'phone'],
					['weight', '1']
				])
			).status
		).toBe(409);
		const moved = await send('supervisor', 'closing', [['closesOn', '2026-05-31']]);
		expect(moved.status).toBe(303);
		expect(text(await adminPage(), 'campaign-dates')).toBe('2026-03-01 – 2026-05-31');
		const closed = await post('admin', { action: 'close', confirm: 'yes' });
		expect(closed.status).toBe(303);
		expect(await state()).toBe('closed');
	});
});
