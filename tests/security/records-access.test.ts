// The page matrix of spec/roles.md for the records and evaluation pages, against the built app:
// for each page and each role, whether it opens (200), is refused (403, also as `__data.json`)
// or sends the visitor to sign-in. Written out by hand from roles.md, not derived from ROLES.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, toSignIn, withoutNonces, type RunningApp } from '../helpers/app';
import * as surveys from '$lib/server/surveys';
import { makeUser, testActor } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample } from '../factories/samples';

const PASSWORD = 'correct horse battery';
// A campaign with a sample and its invitations (seeded below), made with the app's secret.
const CAMPAIGN = 'inv-2026';
const SECRET = 'records-access-invitation-secret-0123';
type Who = 'admin' | 'supervisor' | 'leader' | 'liaison' | 'enterprise';
const WHO: Who[] = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'];

// 1 = opens, 0 = 403, 404 = not found; columns in the order of WHO.
type Row = [number, number, number, number, number];
const MATRIX: [string, Row][] = [
	// findings: admin manages, supervisor records, leader views, liaison its own
	['/findings', [1, 1, 1, 1, 0]],
	['/findings/new', [1, 1, 0, 0, 0]],
	['/findings/import', [1, 1, 0, 0, 0]],
	// enterprises and holidays: admin and supervisor manage, leader views
	['/enterprises', [1, 1, 1, 0, 0]],
	['/enterprises/import', [1, 1, 0, 0, 0]],
	['/calendar', [1, 1, 1, 1, 0]],
	['/calendar/import', [1, 1, 0, 0, 0]],
	// service cases: the service center's records, staff who manage records and leaders
	['/cases', [1, 1, 1, 0, 0]],
	['/cases/import', [1, 1, 0, 0, 0]],
	// complaints: a liaison sees its own department's
	['/complaints', [1, 1, 1, 1, 0]],
	['/complaints/import', [1, 1, 0, 0, 0]],
	// entering a complaint taken by another channel: those who handle them; the worklist: they
	// and a liaison (its department's, to answer)
	['/complaints/new', [1, 1, 0, 0, 0]],
	['/complaints/worklist', [1, 1, 0, 1, 0]],
	// campaigns: never a liaison (before a campaign closes; none is closed here)
	['/campaigns', [1, 1, 1, 0, 0]],
	['/campaigns/new', [1, 1, 0, 0, 0]],
	// a campaign's invitations: viewed with the campaign; the cards (they hold the tokens) printed
	// by those who manage it, in sudo mode (below)
	[`/campaigns/${CAMPAIGN}/invitations`, [1, 1, 1, 0, 0]],
	// its open link: viewed with the campaign (the address: those who manage it)
	[`/campaigns/${CAMPAIGN}/open-link`, [1, 1, 1, 0, 0]],
	// a campaign's sample: admin and supervisor manage, leader views; its call-list import
	[`/campaigns/${CAMPAIGN}/sample`, [1, 1, 1, 0, 0]],
	[`/campaigns/${CAMPAIGN}/sample/call-list`, [1, 1, 0, 0, 0]],
	// a campaign that does not exist: the same 403 for those who may not learn of campaigns
	['/campaigns/no-such-campaign/sample', [404, 404, 404, 0, 0]],
	// survey responses: supervisors record them, admins too (roles.md)
	['/responses/import', [1, 1, 0, 0, 0]],
	// users, API tokens, settings, years: admin manages, leader views; supervisors compute
	['/tokens', [1, 0, 0, 0, 0]],
	['/years', [1, 1, 1, 0, 0]],
	['/years/new', [1, 0, 0, 0, 0]],
	// rankings: published for everyone; rectification: its own for a liaison
	['/rankings', [1, 1, 1, 1, 1]],
	['/rectification', [1, 1, 1, 1, 0]],
	// the file formats and scoring rules: staff
	['/help/formats', [1, 1, 1, 1, 0]],
	['/help/scoring', [1, 1, 1, 1, 0]]
];

// The import templates (an endpoint each): those who may import the file.
const TEMPLATES: [string, [number, number, number, number, number]][] = [
	['departments', [1, 1, 0, 0, 0]],
	['enterprises', [1, 1, 0, 0, 0]],
	['holidays', [1, 1, 0, 0, 0]],
	['findings', [1, 1, 0, 0, 0]],
	['cases', [1, 1, 0, 0, 0]],
	['complaints', [1, 1, 0, 0, 0]],
	['responses', [1, 1, 0, 0, 0]],
	['call-list', [1, 1, 0, 0, 0]]
];

interface DataJson {
	type: 'data' | 'redirect' | 'error';
	nodes?: ({ type: 'data' } | { type: 'skip' } | { type: 'error'; status?: number })[];
}

describe('records and evaluation pages by role', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;
	let tokens: string[] = [];

	beforeAll(async () => {
		// The seed runs in this process: it derives the tokens from the same secret as the app.
		process.env.INVITATION_SECRET = SECRET;
		app = await startApp({
			seed: async (db) => {
				const c = await makeCampaign(db, { year: 2026, code: CAMPAIGN });
				await makeSample(db, c.id, { units: 2 });
				const made = await surveys.createInvitations(db, CAMPAIGN, testActor);
				tokens = made.created.map((x) => x.token);
				for (const role of WHO) {
					await makeUser(db, {
						username: `${role}-matrix`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
				}
			},
			env: { INVITATION_SECRET: SECRET }
		});
		for (const role of WHO) {
			cookies[role] = (await app.signIn(`${role}-matrix`, PASSWORD)).cookie!;
			expect(cookies[role], role).toBeTruthy();
		}
	});
	afterAll(() => {
		delete process.env.INVITATION_SECRET;
		return app?.dispose();
	});

	it.each(MATRIX.map(([path]) => path))(
		'sends an anonymous visitor of %s to sign-in',
		async (path) => {
			expect(toSignIn(await app.fetch(path))).toBe(true);
		}
	);

	it.each(MATRIX.flatMap(([path, row]) => WHO.map((who, i) => [path, who, row[i]!] as const)))(
		'%s for %s: opens = %s',
		async (path, who, opens) => {
			const status = opens === 404 ? 404 : opens ? 200 : 403;
			const r = await app.fetch(path, { cookie: cookies[who] });
			expect(r.status).toBe(status);
			const data = await app.fetch(`${path}/__data.json`, { cookie: cookies[who] });
			const body = (await data.json()) as DataJson;
			const last = body.nodes?.at(-1);
			expect(last?.type === 'error' ? last.status : last?.type).toBe(
				status === 200 ? 'data' : status
			);
		}
	);

	it.each(TEMPLATES.flatMap(([kind, row]) => WHO.map((who, i) => [kind, who, row[i]!] as const)))(
		'the %s template for %s: opens = %s',
		async (kind, who, opens) => {
			const r = await app.fetch(`/import-templates/${kind}`, { cookie: cookies[who] });
			expect(r.status).toBe(opens ? 200 : 403);
		}
	);

	it.each(WHO.map((who, i) => [who, [1, 1, 0, 0, 0][i]!] as const))(
		"the sample page's draw and assign actions for %s: allowed = %s",
		async (who, allowed) => {
			for (const [action, fields] of [
				['draw', { size: '0', seed: '1', stratify: 'none' }],
				['assign', { count: '0', supervisor: '1' }]
			] as const) {
				const r = await app.fetch(`/campaigns/${CAMPAIGN}/sample?/${action}`, {
					method: 'POST',
					cookie: cookies[who],
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams(fields)
				});
				// Allowed: refused as invalid (size 0), so nothing is written either way.
				expect(r.status, action).toBe(allowed ? 400 : 403);
			}
		}
	);

	it('sends an anonymous visitor of a template to sign-in', async () => {
		expect(toSignIn(await app.fetch('/import-templates/cases'))).toBe(true);
	});

	it.each(WHO.map((who, i) => [who, [1, 1, 0, 0, 0][i]!] as const))(
		'the responses upload with progress for %s: allowed = %s',
		async (who, allowed) => {
			const r = await app.fetch('/responses/import/upload', {
				method: 'POST',
				cookie: cookies[who],
				headers: { accept: 'application/x-ndjson' },
				body: new FormData()
			});
			// Allowed: the stream answers that no file was sent.
			expect(r.status).toBe(allowed ? 200 : 403);
			if (allowed) expect(await r.text()).toContain('"type":"refused"');
		}
	);

	it.each(WHO.map((who, i) => [who, [1, 1, 0, 0, 0][i]!] as const))(
		"a campaign's contact cards for %s: allowed = %s, after confirming who it is",
		async (who, allowed) => {
			const path = `/campaigns/${CAMPAIGN}/invitations/cards`;
			const before = await app.fetch(path, { cookie: cookies[who] });
			if (!allowed) {
				expect(before.status).toBe(403);
				return;
			}
			// The cards hold every enterprise's address to answer as it: sudo mode first.
			expect(before.status).toBe(303);
			expect(before.headers.get('location')).toBe(`/sudo?next=${encodeURIComponent(path)}`);
			await app.sudo(cookies[who]!, PASSWORD);
			const after = await app.fetch(path, { cookie: cookies[who] });
			expect(after.status).toBe(200);
			expect(await after.text()).toContain('data-testid="contact-card"');
		}
	);

	it.each(WHO.map((who, i) => [who, [1, 1, 0, 0, 0][i]!] as const))(
		"a campaign's invitations CSV for %s: allowed = %s",
		async (who, allowed) => {
			// Those who may download it confirm it is them first (sudo mode, tests/security/two-factor).
			if (allowed) await app.sudo(cookies[who]!, PASSWORD);
			const r = await app.fetch(`/campaigns/${CAMPAIGN}/invitations/csv`, { cookie: cookies[who] });
			expect(r.status).toBe(allowed ? 200 : 403);
			const bytes = Buffer.from(await r.arrayBuffer());
			const text = bytes.toString('utf8');
			// With the BOM, which Response.text() would drop.
			if (allowed) {
				expect(text).toMatch(/^\uFEFFuscc,enterprise_name,card_no,url\r\n/);
				// The addresses hold the tokens made at creation: nothing was reissued.
				for (const token of tokens) expect(text).toContain(`${app.origin}/i/${token}\r\n`);
				expect(tokens).toHaveLength(2);
			} else expect(text).not.toContain('/i/');
		}
	);

	it("tells a liaison no more about a campaign's invitations than about one that does not exist", async () => {
		for (const path of ['invitations', 'invitations/cards', 'invitations/csv', 'open-link']) {
			const known = await app.fetch(`/campaigns/${CAMPAIGN}/${path}`, { cookie: cookies.liaison });
			const unknown = await app.fetch(`/campaigns/no-such-campaign/${path}`, {
				cookie: cookies.liaison
			});
			expect(known.status).toBe(403);
			expect(unknown.status).toBe(403);
			// The same page but for the address itself (SvelteKit's error page may name it).
			const body = async (res: Response, code: string) =>
				withoutNonces(await res.text()).replaceAll(code, 'CODE');
			expect(await body(known, CAMPAIGN)).toBe(await body(unknown, 'no-such-campaign'));
		}
		// A leader sees the list but may not create invitations.
		const post = await app.fetch(`/campaigns/${CAMPAIGN}/invitations?/create`, {
			method: 'POST',
			cookie: cookies.leader,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ confirm: 'yes' })
		});
		expect(post.status).toBe(403);
	});

	it('prints the contact cards: 4 to a sheet, QR codes, hotline and card number', async () => {
		const r = await app.fetch(`/campaigns/${CAMPAIGN}/invitations/cards`, {
			cookie: cookies.supervisor
		});
		const html = await r.text();
		expect(html.match(/data-testid="contact-card"/g)).toHaveLength(2);
		expect(html.match(/data-testid="card-sheet"/g)).toHaveLength(1);
		expect(html).toContain('投诉联系卡');
		expect(html).toContain('PY-2026-000001');
		expect(html).toContain(`${app.origin}/complaint`);
		expect(html).toContain('12345');
		// Two invitation QR codes and the complaint form's on each card.
		expect(html.match(/<svg/g)!.length).toBe(4);
	});
});
