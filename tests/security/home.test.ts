// The home page against the built app (roles.md): a supervisor, a liaison and an enterprise each
// reach /home, and land there from `/`; admin and leader are refused (their start page is
// elsewhere) and the public is sent to sign-in — as a page and as `__data.json`. A liaison's
// home carries nothing of another department, of a campaign still running, nor who complained.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintFormSchema } from '$lib/schemas/complaint-workflow';
import * as complaints from '$lib/server/complaints';
import { campaign } from '$lib/server/db/schema';
import { makeUser, principalOf, testActor } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { ADMIN, startApp, toSignIn, type RunningApp } from '../helpers/app';

const PASSWORD = 'correct horse battery';
// Example departments every fresh database has (src/lib/server/departments/examples.ts).
const OWN = 'fgj';
const OTHER = 'czj';
const COMPLAINANT = '欧阳明远';
const CAMPAIGN = '年度暗访测评秘密活动';

interface DataJson {
	type: 'data' | 'redirect' | 'error';
	location?: string;
	nodes?: ({ type: 'data' } | { type: 'skip' } | { type: 'error'; status?: number })[];
}

const pageStatus = (body: DataJson) => {
	const last = body.nodes?.at(-1);
	return last?.type === 'error' ? last.status : last?.type === 'data' ? 200 : undefined;
};

describe('the home page', () => {
	let app: RunningApp;
	const cookies: Record<string, string> = {};
	const complaintNos: Record<string, string> = {};
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				const sup = await makeUser(db, { username: 'home-supervisor', role: 'supervisor' });
				await makeUser(db, { username: 'home-liaison', role: 'liaison', departmentCode: OWN });
				await makeUser(db, { username: 'home-leader', role: 'leader' });
				await makeUser(db, { username: 'home-enterprise', role: 'enterprise' });
				for (const code of [OWN, OTHER]) {
					const p = principalOf(sup.id, 'supervisor');
					const { complaintNo } = await complaints.enterComplaint(
						db,
						p,
						{
							form: complaintFormSchema.parse({
								department_code: code,
								category: 'arbitrary_fees',
								summary: '窗口要求重复提交材料',
								name: COMPLAINANT,
								contact: '13912345678'
							}),
							channel: 'hotline',
							received_at: new Date()
						},
						testActor
					);
					for (const [action, input] of [
						['accept', {}],
						['assign', { assignee: sup.id }],
						['request_response', {}]
					] as const)
						await complaints.actOnComplaint(db, p, complaintNo, action, input as never, testActor);
					complaintNos[code] = complaintNo;
				}
				// A running campaign: a liaison must not learn of it.
				const c = await makeCampaign(db, { year: new Date().getFullYear() });
				await db.update(campaign).set({ nameZh: CAMPAIGN }).where(eq(campaign.id, c.id));
				await makeSample(db, c.id, { units: 1 });
				await setCampaignState(db, c.id, 'active');
			}
		});
		for (const who of ['home-supervisor', 'home-liaison', 'home-leader', 'home-enterprise'])
			cookies[who] = (await app.signIn(who, PASSWORD)).cookie!;
		cookies.admin = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	});
	afterAll(() => app?.dispose());

	it('sends the public to sign-in, as a page and as __data.json', async () => {
		expect(toSignIn(await app.fetch('/home'))).toBe(true);
		const body = (await (await app.fetch('/home/__data.json')).json()) as DataJson;
		expect(body.type).toBe('redirect');
		expect(body.location).toMatch(/^\/sign-in/);
	});

	it.each(['admin', 'home-leader'])('refuses %s with 403, also as __data.json', async (who) => {
		expect((await app.fetch('/home', { cookie: cookies[who] })).status).toBe(403);
		const data = await app.fetch('/home/__data.json', { cookie: cookies[who] });
		expect(pageStatus((await data.json()) as DataJson)).toBe(403);
	});

	it.each([
		['home-supervisor', 'supervisor'],
		['home-liaison', 'liaison'],
		['home-enterprise', 'enterprise']
	])('shows %s its home, and lands it there from /', async (who, role) => {
		const r = await app.fetch('/home', { cookie: cookies[who] });
		expect(r.status).toBe(200);
		expect(await r.text()).toContain(`data-role="${role}"`);
		const data = await app.fetch('/home/__data.json', { cookie: cookies[who] });
		expect(pageStatus((await data.json()) as DataJson)).toBe(200);
		const start = await app.fetch('/', { cookie: cookies[who] });
		expect(start.status).toBe(303);
		expect(start.headers.get('location')).toBe('/home');
	});

	it.each(['admin', 'home-leader'])('lands %s on the dashboard instead', async (who) => {
		const start = await app.fetch('/', { cookie: cookies[who] });
		expect(start.headers.get('location')).toBe('/dashboard');
	});

	it("gives a liaison its own department's complaint, nothing of another's, a running campaign or who complained", async () => {
		for (const path of ['/home', '/home/__data.json']) {
			const text = await (await app.fetch(path, { cookie: cookies['home-liaison'] })).text();
			expect(text).toContain(complaintNos[OWN]);
			for (const secret of [complaintNos[OTHER]!, COMPLAINANT, '13912345678', CAMPAIGN])
				expect(text).not.toContain(secret);
		}
	});

	it('gives a supervisor the complaints and the running campaign it works on', async () => {
		const text = await (await app.fetch('/home', { cookie: cookies['home-supervisor'] })).text();
		expect(text).toContain(complaintNos[OWN]);
		expect(text).toContain(complaintNos[OTHER]);
		expect(text).toContain(CAMPAIGN);
	});
});
