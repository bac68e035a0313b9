// Who may see which results, against the built app. A year is published (revision 1) and then
// recomputed after a new 50-point deduction for the Public Security Bureau (gaj), so that the
// draft differs from what was published: its total is 96.60 published and 81.60 in the draft.
// A liaison sees published results only and only its own department's "why this score"; the
// public sees published results and nothing else; computing and publishing obey roles.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import * as evaluation from '$lib/server/evaluation';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';
import { EXAMPLE_SETTINGS, seedExampleYear } from '../factories/evaluation-data';
import { makeFinding } from '../factories/records';

const PASSWORD = 'correct horse battery';
const YEAR = currentYear() - 1;
const PUBLISHED_TOTAL = '96.60';
const DRAFT_TOTAL = '81.60';
// The liaison's department (in rectification: rank 6 of 7) and another one.
const OWN = { code: 'fgj', nameZh: '市发展和改革局' };
const OTHER = { code: 'czj', nameZh: '市财政局' };

interface DataJson {
	type: 'data' | 'redirect' | 'error';
	location?: string;
	nodes?: ({ type: 'data' } | { type: 'skip' } | { type: 'error'; status?: number })[];
}

function pageStatus(body: DataJson): number | undefined {
	const last = body.nodes?.at(-1);
	return last?.type === 'error' ? last.status : last?.type === 'data' ? 200 : undefined;
}

const form = (fields: Record<string, string> = {}) => ({
	method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams(fields)
});

describe('evaluation access', () => {
	let app: RunningApp;
	const cookies: Record<string, string> = {};

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeUser(db, { username: 'liaison-own', role: 'liaison', departmentCode: OWN.code });
				await makeUser(db, { username: 'supervisor', role: 'supervisor' });
				await makeUser(db, { username: 'leader', role: 'leader' });
				await makeUser(db, { username: 'enterprise', role: 'enterprise' });
				await seedExampleYear(db, YEAR);
				await evaluation.createYear(db, { year: YEAR, settings: EXAMPLE_SETTINGS }, testActor);
				// Counts for nothing, but is a warning about another department in every snapshot.
				await makeFinding(db, {
					department: OTHER.code,
					date: `${YEAR}-05-01`,
					points: -9,
					status: 'disputed',
					description: 'DISPUTED-MARKER'
				});
				const draft = await evaluation.compute(db, YEAR, testActor);
				await evaluation.publish(db, YEAR, { draftId: draft.id }, testActor);
				await makeFinding(db, { department: 'gaj', date: `${YEAR}-07-01`, points: -50 });
				await evaluation.compute(db, YEAR, testActor);
			}
		});
		for (const who of ['liaison-own', 'supervisor', 'leader', 'enterprise']) {
			cookies[who] = (await app.signIn(who, PASSWORD)).cookie!;
			expect(cookies[who], who).toBeTruthy();
		}
	});
	afterAll(() => app?.dispose());

	it('shows the public the published results and nothing of the draft', async () => {
		const r = await app.fetch(`/results/${YEAR}`);
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toContain(PUBLISHED_TOTAL);
		expect(html).not.toContain(DRAFT_TOTAL);
		// A draft cannot be asked for on the public page: the parameter is not a view there.
		const draft = await (await app.fetch(`/results/${YEAR}?draft`)).text();
		expect(draft).not.toContain(DRAFT_TOTAL);
		expect((await app.fetch(`/results/${YEAR + 1}`)).status).toBe(404);
		// The list names the published year.
		expect(await (await app.fetch('/results')).text()).toContain(`/results/${YEAR}`);
		// Each category's table is headed in the plural.
		const english = await (
			await app.fetch(`/results/${YEAR}`, { cookie: 'PARAGLIDE_LOCALE=en' })
		).text();
		expect(english).toContain('<h2>Municipal departments</h2>');
		expect(english).toContain('<h2>Vertically-managed departments</h2>');
	});

	it.each([
		`/rankings/${YEAR}`,
		`/rankings/${YEAR}?draft`,
		`/rankings/${YEAR}/gaj`,
		'/years',
		`/years/${YEAR}`,
		`/years/${YEAR}/publish`,
		'/rectification'
	])('sends an anonymous visitor of %s to sign-in', async (path) => {
		const r = await app.fetch(path);
		expect(toSignIn(r)).toBe(true);
		const [pathname, search] = path.split('?');
		const data = await app.fetch(`${pathname}/__data.json${search ? `?${search}` : ''}`);
		const body = (await data.json()) as DataJson;
		expect(body.type).toBe('redirect');
	});

	it('shows a liaison the published rankings, never the draft', async () => {
		const c = cookies['liaison-own'];
		const r = await app.fetch(`/rankings/${YEAR}`, { cookie: c });
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toContain(PUBLISHED_TOTAL);
		expect(html).not.toContain(DRAFT_TOTAL);
		expect(html).not.toContain('data-testid="draft-link"');
		const draft = await app.fetch(`/rankings/${YEAR}?draft`, { cookie: c });
		expect(draft.status).toBe(403);
		expect(await draft.text()).not.toContain(DRAFT_TOTAL);
		const data = await app.fetch(`/rankings/${YEAR}/__data.json?draft`, { cookie: c });
		const text = await data.text();
		expect(pageStatus(JSON.parse(text) as DataJson)).toBe(403);
		expect(text).not.toContain('81.6');
	});

	it('lets a liaison download the published results, not the draft', async () => {
		const c = cookies['liaison-own'];
		const csv = await app.fetch(`/rankings/${YEAR}/download/csv`, { cookie: c });
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-disposition')).toContain(`results-${YEAR}-r1.csv`);
		const bytes = new Uint8Array(await csv.arrayBuffer());
		// UTF-8 with BOM, so that Excel opens it correctly.
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		// In the reader's language (zh-CN by default; the JSON keeps the exchange codes).
		expect(text.split('\r\n')[0]).toMatch(/^部门代码,部门,类别,工作落实,/);
		const english = await app.fetch(`/rankings/${YEAR}/download/csv`, {
			cookie: `${c}; PARAGLIDE_LOCALE=en`
		});
		expect((await english.text()).split('\r\n')[0]).toMatch(
			/^Department code,Department,Category,Work delivery,/
		);
		expect(text).toContain(PUBLISHED_TOTAL.replace(/0$/, ''));
		expect(text).not.toContain('81.6');
		const xlsx = await app.fetch(`/rankings/${YEAR}/download/xlsx`, { cookie: c });
		expect(xlsx.status).toBe(200);
		// An XLSX file is a ZIP archive.
		expect([...new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)]).toEqual([0x50, 0x4b]);
		expect((await app.fetch(`/rankings/${YEAR}/download/csv?draft`, { cookie: c })).status).toBe(
			403
		);
		expect((await app.fetch(`/rankings/${YEAR}/download/pdf`, { cookie: c })).status).toBe(404);
		const draft = await app.fetch(`/rankings/${YEAR}/download/json?draft`, {
			cookie: cookies.supervisor
		});
		expect(draft.status).toBe(200);
		const rows = (await draft.json()) as { code: string; category: string; total: number }[];
		expect(JSON.stringify(rows)).toContain('81.6');
		expect(rows[0]).toMatchObject({ category: 'municipal' });
		expect(toSignIn(await app.fetch(`/rankings/${YEAR}/download/csv`))).toBe(true);
	});

	it('sends the problem list only with a draft, to those who may see drafts', async () => {
		const published = [
			await app.fetch(`/results/${YEAR}/__data.json`),
			await app.fetch(`/rankings/${YEAR}/__data.json`, { cookie: cookies['liaison-own'] }),
			await app.fetch(`/rankings/${YEAR}/__data.json`, { cookie: cookies.enterprise }),
			await app.fetch(`/rankings/${YEAR}/__data.json`, { cookie: cookies.supervisor })
		];
		for (const r of published) {
			expect(r.status).toBe(200);
			expect(await r.text()).not.toContain('disputed_findings');
		}
		const draft = await app.fetch(`/rankings/${YEAR}/__data.json?draft`, {
			cookie: cookies.supervisor
		});
		expect(await draft.text()).toContain('disputed_findings');
	});

	it("shows a liaison its own department's explanation and no other's", async () => {
		const c = cookies['liaison-own'];
		const own = await app.fetch(`/rankings/${YEAR}/${OWN.code}`, { cookie: c });
		expect(own.status).toBe(200);
		expect(await own.text()).toContain(OWN.nameZh);
		expect((await app.fetch(`/rankings/${YEAR}/${OWN.code}?draft`, { cookie: c })).status).toBe(
			403
		);
		for (const code of [OTHER.code, 'gaj', 'no-such-code']) {
			const r = await app.fetch(`/rankings/${YEAR}/${code}`, { cookie: c });
			expect(r.status).toBe(403);
			const html = await r.text();
			expect(html).not.toContain(OTHER.nameZh);
			const data = await app.fetch(`/rankings/${YEAR}/${code}/__data.json`, { cookie: c });
			const text = await data.text();
			expect(pageStatus(JSON.parse(text) as DataJson)).toBe(403);
			expect(text).not.toContain(OTHER.nameZh);
			expect(text).not.toContain('findingNo');
		}
	});

	it('refuses a liaison the year pages and their actions', async () => {
		const c = cookies['liaison-own'];
		for (const path of ['/years', `/years/${YEAR}`, `/years/${YEAR}/publish`, '/years/new']) {
			expect((await app.fetch(path, { cookie: c })).status, path).toBe(403);
		}
		expect((await app.fetch(`/years/${YEAR}?/compute`, { cookie: c, ...form() })).status).toBe(403);
		const publish = await app.fetch(`/years/${YEAR}/publish`, {
			cookie: c,
			...form({ draftId: '1', confirm: 'yes', reason: 'liaison' })
		});
		expect(publish.status).toBe(403);
		// Still only revision 1 published.
		const html = await (await app.fetch(`/results/${YEAR}`)).text();
		expect(html).not.toContain(DRAFT_TOTAL);
	});

	it("shows a liaison its own rectification only, and lets it act on no other's", async () => {
		const c = cookies['liaison-own'];
		const list = await (await app.fetch('/rectification', { cookie: c })).text();
		const codes = [...list.matchAll(/data-code="([^"]+)"/g)].map((x) => x[1]);
		expect(codes).toEqual([OWN.code]);
		const all = await (await app.fetch('/rectification', { cookie: cookies.supervisor })).text();
		const others = [...all.matchAll(/data-id="(\d+)"\s+data-code="([^"]+)"/g)].filter(
			(x) => x[2] !== OWN.code
		);
		expect(others.length).toBeGreaterThan(0);
		const otherId = others[0]![1];
		expect((await app.fetch(`/rectification/${otherId}`, { cookie: c })).status).toBe(403);
		const plan = await app.fetch(`/rectification/${otherId}?/plan`, {
			cookie: c,
			...form({ plan: 'not ours' })
		});
		expect(plan.status).toBe(403);
		const after = await (
			await app.fetch(`/rectification/${otherId}`, { cookie: cookies.supervisor })
		).text();
		expect(after).not.toContain('not ours');
		// A liaison may not close its own rectification, nor assign the leader.
		const ownId = [...all.matchAll(/data-id="(\d+)"\s+data-code="([^"]+)"/g)].find(
			(x) => x[2] === OWN.code
		)![1];
		for (const action of ['close', 'assign']) {
			const r = await app.fetch(`/rectification/${ownId}?/${action}`, {
				cookie: c,
				...form({ note: 'done', confirm: 'yes', leaderId: '1' })
			});
			expect(r.status, action).toBe(403);
		}
	});

	it('lets staff see drafts; computing and publishing follow roles.md', async () => {
		const draft = await app.fetch(`/rankings/${YEAR}?draft`, { cookie: cookies.supervisor });
		expect(draft.status).toBe(200);
		expect(await draft.text()).toContain(DRAFT_TOTAL);
		// A supervisor computes but does not publish; a leader publishes but does not compute.
		const publish = await app.fetch(`/years/${YEAR}/publish`, { cookie: cookies.supervisor });
		expect(publish.status).toBe(403);
		const compute = await app.fetch(`/years/${YEAR}?/compute`, {
			cookie: cookies.leader,
			...form()
		});
		expect(compute.status).toBe(403);
		// Settings are the admin's: a leader sees them read-only, and cannot post them.
		const year = await (await app.fetch(`/years/${YEAR}`, { cookie: cookies.leader })).text();
		expect(year).not.toContain('data-testid="settings-form"');
		const settings = await app.fetch(`/years/${YEAR}?/settings`, {
			cookie: cookies.leader,
			...form({ 'weights.work': '100' })
		});
		expect(settings.status).toBe(403);
	});

	it('shows an enterprise account the published rankings but no explanation', async () => {
		const c = cookies.enterprise;
		const r = await app.fetch(`/rankings/${YEAR}`, { cookie: c });
		expect(r.status).toBe(200);
		expect(await r.text()).not.toContain(DRAFT_TOTAL);
		expect((await app.fetch(`/rankings/${YEAR}?draft`, { cookie: c })).status).toBe(403);
		expect((await app.fetch(`/rankings/${YEAR}/gaj`, { cookie: c })).status).toBe(403);
		expect((await app.fetch('/rectification', { cookie: c })).status).toBe(403);
	});
});
