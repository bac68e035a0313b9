// The dashboard against the built app: admin, supervisor and leader only (liaison and enterprise
// 403 from the page and its __data.json, the public to sign-in), leader and admin land on it, the
// figures and the table views are in the HTML without JavaScript, a draft year shows its draft
// banner, and a year that is no year is 404. The public's pages link to the published results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../factories';
import { makeComplaint } from '../factories/records';
import { departmentResult, makeSnapshot, snapshotContent } from '../factories/snapshots';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';

const STATUS = { admin: 200, supervisor: 200, leader: 200, liaison: 403, enterprise: 403 } as const;
type Who = keyof typeof STATUS;
const WHO = Object.keys(STATUS) as Who[];

describe('dashboard by role', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeSnapshot(
					db,
					snapshotContent(2003, [
						departmentResult('gaj'),
						departmentResult('fgj', { rank: 2, outcomes: ['rectification', 'criticism'] }),
						departmentResult('sw', { category: 'vertical' })
					]),
					{ revision: 1 }
				);
				await makeSnapshot(db, snapshotContent(2004, [departmentResult('gaj')]));
				await makeComplaint(db, { department: 'gaj', received: '2003-05-01 09:00' });
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-dash`,
						role,
						...(role === 'liaison' ? { departmentCode: 'gaj' } : {})
					});
			}
		});
		for (const who of WHO)
			cookies[who] = (await app.signIn(`${who}-dash`, 'correct horse battery')).cookie!;
	});
	afterAll(() => app?.dispose());

	const get = (who: Who, path: string) => app.fetch(path, { cookie: cookies[who] });

	it('sends an anonymous visitor to sign-in', async () => {
		expect(toSignIn(await app.fetch('/dashboard'))).toBe(true);
	});

	it.each(WHO)('answers %s as roles.md says, the page and its data', async (who) => {
		const page = await get(who, '/dashboard');
		expect(page.status).toBe(STATUS[who]);
		const data = await get(who, '/dashboard/__data.json');
		const body = await data.text();
		const node = (JSON.parse(body) as { nodes: ({ status?: number } | null)[] }).nodes.at(-1);
		expect(node?.status ?? 200).toBe(STATUS[who]);
		if (STATUS[who] === 403) expect(body).not.toContain('rankFromBottom');
	});

	it('is where a leader and an admin land', async () => {
		for (const who of ['leader', 'admin'] as const) {
			const r = await get(who, '/');
			expect(r.status).toBe(303);
			expect(r.headers.get('location')).toBe('/dashboard');
		}
	});

	it('shows the newest published year with its figures and table views in the HTML', async () => {
		const html = await (await get('leader', '/dashboard')).text();
		expect(html).toContain('2003');
		for (const id of [
			'dashboard-ranking-municipal',
			'dashboard-ranking-vertical',
			'dashboard-contributions-municipal',
			'dashboard-ranking-municipal-table',
			'dashboard-complaints-change',
			'dashboard-awaiting',
			'outcome-legend'
		])
			expect(html, id).toContain(`data-testid="${id}"`);
		// Every chart has its alt text: the box is an image with a label.
		expect(html).toMatch(/role="img" aria-label="[^"]{20,}"/);
		expect(html).not.toContain('data-testid="draft-banner"');
	});

	it('shows a year with drafts only as its draft, and refuses a year that is no year', async () => {
		const draft = await (await get('supervisor', '/dashboard?year=2004')).text();
		expect(draft).toContain('data-testid="draft-banner"');
		for (const q of ['?year=abc', '?year=20031', '?year=1200'])
			expect((await get('admin', `/dashboard${q}`)).status, q).toBe(404);
	});

	it('links the public results from the sign-in page and the public pages', async () => {
		for (const path of ['/sign-in', '/complaint', '/complaint/track'])
			expect(await (await app.fetch(path)).text(), path).toContain('data-testid="link-results"');
		const results = await (await app.fetch('/results/2003')).text();
		expect(results).toContain('data-testid="outcome-legend"');
		expect(results).toContain('data-testid="results-snapshot-download"');
	});
});
