// The open link and the enterprise account against the built app: a made-up open-link token and
// a closed campaign's link get the very same 404; the open link's browser cookie is httpOnly and
// SameSite=Lax; two browsers answer, the same browser twice is kindly refused; a supervisor
// makes the link on its page, a liaison cannot see it; an enterprise account's page lists its
// own invitation's address and nothing of another enterprise's.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { enterprise, sampleUnit } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import * as users from '$lib/server/users';
import { startApp, withoutNonces, type RunningApp } from '../helpers/app';
import { useEnv } from '../helpers/env';
import { testActor } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';

const QUESTIONS = ['transparency', 'service', 'integrity', 'attitude', 'quality', 'efficiency'];
const PASSWORD = 'correct horse battery';

describe('the open link and the enterprise home page', () => {
	let app: RunningApp;
	let open = '';
	let closedOpen = '';
	let campaignCode = '';
	let tokenA = '';
	let tokenB = '';

	useEnv({ INVITATION_SECRET: 'open-link-page-secret-0123456789abcdef' });
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				const year = currentYear();
				const c = await makeCampaign(db, { year, kind: 'enterprise_visit' });
				campaignCode = c.code;
				const units = await makeSample(db, c.id, { units: 2, prefix: '远山纺织' });
				await setCampaignState(db, c.id, 'active');
				const issued = (await surveys.createInvitations(db, c.code, testActor)).created;
				tokenA = issued[0]!.token;
				tokenB = issued[1]!.token;
				open = (await surveys.createOpenLink(db, c.code, { replace: false }, testActor)).token;
				const other = await makeCampaign(db, { year, kind: 'online' });
				await setCampaignState(db, other.id, 'active');
				closedOpen = (await surveys.createOpenLink(db, other.code, { replace: false }, testActor))
					.token;
				await setCampaignState(db, other.id, 'closed');
				const [e] = await db
					.select({ uscc: enterprise.uscc })
					.from(sampleUnit)
					.innerJoin(enterprise, eq(enterprise.id, sampleUnit.enterpriseId))
					.where(eq(sampleUnit.id, units[0]!.id));
				await db.transaction(async (tx) => {
					await users.create(
						tx,
						{
							username: 'ent-a',
							displayName: 'A',
							role: 'enterprise',
							enterpriseUscc: e!.uscc,
							password: PASSWORD
						},
						testActor
					);
					await users.create(
						tx,
						{ username: 'sup', displayName: 'S', role: 'supervisor', password: PASSWORD },
						testActor
					);
				});
				await db.transaction((tx) =>
					users.create(
						tx,
						{
							username: 'liaison',
							displayName: 'L',
							role: 'liaison',
							departmentCode: 'fgj',
							password: PASSWORD
						},
						testActor
					)
				);
			}
		});
	});
	afterAll(() => app?.dispose());

	const form = (key: string) => {
		const body = new URLSearchParams({ response_key: key });
		body.append('d', 'fgj');
		for (const q of QUESTIONS) body.append(`r:fgj:${q}`, '4');
		return body;
	};
	const cookieOf = (r: Response) => {
		const line = r.headers.getSetCookie().find((c) => c.startsWith('pingyi_browser='));
		return { line: line ?? '', cookie: line?.split(';')[0] ?? '' };
	};

	it('answers a made-up open link and a closed campaign’s alike', async () => {
		const made = 'c'.repeat(32);
		const a = await app.fetch(`/o/${made}`, { from: '127.0.0.21' });
		const b = await app.fetch(`/o/${closedOpen}`, { from: '127.0.0.21' });
		expect(a.status).toBe(404);
		expect(b.status).toBe(404);
		expect(withoutNonces(await a.text()).replaceAll(made, 'X')).toBe(
			withoutNonces(await b.text()).replaceAll(closedOpen, 'X')
		);
	});

	it('keeps one answer per browser and department, in an httpOnly SameSite=Lax cookie', async () => {
		const first = await app.fetch(`/o/${open}`);
		expect(first.status).toBe(200);
		const html = await first.text();
		expect(html).toContain('name="d" value="fgj"');
		expect(html).not.toContain('远山纺织');
		const one = cookieOf(first);
		expect(one.line).toMatch(/HttpOnly/i);
		expect(one.line).toMatch(/SameSite=Lax/i);
		const post = (cookie: string, key: string) =>
			app.fetch(`/o/${open}?d=fgj`, { method: 'POST', body: form(key), cookie });
		expect((await post(one.cookie, 'open-page-1')).status).toBe(303);
		// The same form again: the stored response; another one: refused, kindly.
		expect((await post(one.cookie, 'open-page-1')).status).toBe(303);
		const again = await post(one.cookie, 'open-page-2');
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('您已对 fgj 作过评价，谢谢！');
		// Another browser is another respondent.
		const two = cookieOf(await app.fetch(`/o/${open}`));
		expect(two.cookie).not.toBe(one.cookie);
		expect((await post(two.cookie, 'open-page-3')).status).toBe(303);
	});

	it('lets a supervisor make the link on its page; a liaison gets 403', async () => {
		const sup = (await app.signIn('sup', PASSWORD)).cookie!;
		const page = await app.fetch(`/campaigns/${campaignCode}/open-link`, { cookie: sup });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(`/o/${open}`);
		const replace = await app.fetch(`/campaigns/${campaignCode}/open-link`, {
			method: 'POST',
			body: new URLSearchParams({ confirm: 'yes' }),
			cookie: sup
		});
		expect(replace.status).toBe(303);
		expect((await app.fetch(`/o/${open}`)).status).toBe(404);
		const liaison = (await app.signIn('liaison', PASSWORD)).cookie!;
		expect(
			(await app.fetch(`/campaigns/${campaignCode}/open-link`, { cookie: liaison })).status
		).toBe(403);
	});

	it('shows an enterprise account its own invitation, nothing of another’s', async () => {
		const ent = (await app.signIn('ent-a', PASSWORD)).cookie!;
		const r = await app.fetch('/home', { cookie: ent });
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toContain(`/i/${tokenA}`);
		expect(html).not.toContain(tokenB);
		expect(html).not.toContain('远山纺织 2');
		// Its invitation's page works for it like the card's address.
		expect((await app.fetch(`/i/${tokenA}`, { cookie: ent })).status).toBe(200);
	});
});
