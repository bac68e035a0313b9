// The complaint statistics against the built app, with the example complaints of the first start:
// the page and `GET /api/v1/complaints/stats` for admin, supervisor and leader only (roles.md:
// statistics are the leader's, not a liaison's, whose own department's complaints are in the
// list); a liaison, an enterprise and the public get nothing, whatever the query asks. The page's
// figures are in the HTML (the table works without JavaScript).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as apiTokens from '$lib/server/auth/api-token';
import { exampleYears } from '$lib/server/complaints/examples';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';

const PASSWORD = 'correct horse battery';
type Who = 'admin' | 'supervisor' | 'leader' | 'liaison' | 'enterprise';
const WHO: Who[] = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'];
const ALLOWED: Record<Who, boolean> = {
	admin: true,
	supervisor: true,
	leader: true,
	liaison: false,
	enterprise: false
};

describe('complaint statistics by role', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;
	const tokens: Record<'leader' | 'liaison', string> = { leader: '', liaison: '' };
	// The test's first start and the app agree on the year unless run across a New Year's midnight.
	const { earlier, later } = exampleYears(new Date());
	const lastYear = `from=${later}-01-01&to=${later}-12-31`;

	beforeAll(async () => {
		app = await startApp({
			exampleComplaints: true,
			seed: async (db) => {
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-stats`,
						role,
						...(role === 'liaison' ? { departmentCode: 'gaj' } : {})
					});
				for (const role of ['leader', 'liaison'] as const) {
					const issued = await db.transaction((tx) =>
						apiTokens.create(
							tx,
							{
								name: `${role} stats`,
								role,
								...(role === 'liaison' ? { departmentCode: 'gaj' } : {})
							},
							testActor
						)
					);
					tokens[role] = issued.token;
				}
			}
		});
		for (const who of WHO) cookies[who] = (await app.signIn(`${who}-stats`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	it('sends an anonymous visitor to sign-in, and the API answers 401', async () => {
		expect(toSignIn(await app.fetch(`/complaints/statistics?${lastYear}`))).toBe(true);
		const r = await app.fetch(`/api/v1/complaints/stats?year=${later}`, { sameOrigin: false });
		expect(r.status).toBe(401);
	});

	it.each(WHO)('the page and its data for %s', async (who) => {
		for (const query of ['', `?${lastYear}`, `?${lastYear}&department=gaj`]) {
			const r = await app.fetch(`/complaints/statistics${query}`, { cookie: cookies[who] });
			expect(r.status, query).toBe(ALLOWED[who] ? 200 : 403);
			const html = await r.text();
			// Refused: not one figure of the examples (nor a department's name from the table).
			if (!ALLOWED[who]) expect(html).not.toContain('complaint-stats-total');
			const data = await app.fetch(`/complaints/statistics/__data.json${query}`, {
				cookie: cookies[who]
			});
			const body = await data.text();
			if (!ALLOWED[who]) {
				expect(body).not.toContain('departments');
				expect(body).toContain('"status":403');
			}
		}
	});

	it("shows the seed's figures in the HTML, without JavaScript", async () => {
		const r = await app.fetch(`/complaints/statistics?${lastYear}`, { cookie: cookies.leader });
		const html = await r.text();
		expect(html).toMatch(/data-testid="complaint-stats-total-current">147</);
		expect(html).toMatch(/data-testid="complaint-stats-total-previous">237</);
		expect(html).toMatch(/data-testid="complaint-stats-total-pct">-37.97%</);
		const half = await app.fetch(`/complaints/statistics?from=${later}-01-01&to=${later}-06-30`, {
			cookie: cookies.supervisor
		});
		const halfHtml = await half.text();
		expect(halfHtml).toMatch(/complaint-stats-total-current">63</);
		expect(halfHtml).toMatch(/complaint-stats-total-previous">75</);
		expect(halfHtml).toMatch(/complaint-stats-total-pct">-16%</);
		expect(earlier).toBe(later - 1);
	});

	it('links the list to the statistics for those who may read them only', async () => {
		for (const who of ['leader', 'liaison'] as const) {
			const html = await (await app.fetch('/complaints', { cookie: cookies[who] })).text();
			expect(html.includes('complaints-statistics-link'), who).toBe(ALLOWED[who]);
		}
	});

	it('answers the API for a leader token and refuses a liaison token', async () => {
		const call = (token: string) =>
			app.fetch(`/api/v1/complaints/stats?year=${later}`, {
				headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
				sameOrigin: false
			});
		const ok = await call(tokens.leader);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toEqual({
			year: later,
			through: '12-31',
			count: 147,
			previous_count: 237,
			change_pct: -37.97
		});
		const refused = await call(tokens.liaison);
		expect(refused.status).toBe(403);
		expect(await refused.text()).not.toContain('147');
	});
});
