// The leak crawl (roles.md: campaigns are unannounced, complainants and respondents are never a
// liaison's or the public's to know). While a campaign runs — hand-picked targets including the
// liaison's department, quotas, a sample, invitations, responses through them — and complaints are
// open against the liaison's department and another one, a liaison signed in to Chromium walks
// every same-origin link it can reach from its home page (breadth first, at most 300 pages),
// fetches each page's `__data.json` and every download it links to, and calls the API with its
// department's token: no body holds the campaign's code, its names, the sampled enterprises'
// names, a comment given in it, an invitation token, a complainant's name, a phone or ID number
// typed into a complaint (masked, it may show), or the other department's complaint. The public,
// signed out, walks what it can reach the same way, and finds no complaint text at all. The
// campaign's own addresses answer exactly as for a code that names none. Once the campaign is
// closed, the liaison's "surveys about my department" page has it, with its own department's
// results only.
import { describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { complaintFormSchema } from '$lib/schemas/complaint-workflow';
import * as apiTokens from '$lib/server/auth/api-token';
import * as complaints from '$lib/server/complaints';
import * as surveys from '$lib/server/surveys';
import { makeUser, testActor } from '../factories';
import { makeSample, setCampaignState } from '../factories/samples';
import { withoutNonces } from '../helpers/app';
import { useEnv } from '../helpers/env';
import type { BrowserContext, Page } from 'playwright-core';
import { open, screenshot, useBrowserApp } from './fixtures';

const CODE = 'qx-hidden-7qk3';
const NAME_ZH = '秋季暗访九号行动';
const NAME_EN = 'Autumn Covert Visits Nine';
const ENTERPRISE = '隐秘测评企业';
const COMMENT = '窗口排队九十分钟';
const NONE = 'qx-nonexistent-0000';
const PASSWORD = 'correct horse battery';
const MAX_PAGES = 300;
// The open complaints: against the liaison's department (named, a phone and an ID number typed
// into its summary) and against another department.
const COMPLAINANT = '隐名投诉人甲乙';
const COMPLAINANT_PHONE = '13955550001';
const TYPED_PHONE = '13766660002';
const TYPED_ID = '350102198505051234';
const OWN_SUMMARY = '窗口收取材料费九十元';
const OTHER_SUMMARY = '财政局专属投诉摘要';
const LEVELS = {
	transparency: 5,
	service: 4,
	integrity: 4,
	attitude: 3,
	quality: 5,
	efficiency: 4
};
const tokens: string[] = [];
let apiToken = '';
useEnv({ INVITATION_SECRET: 'liaison-crawl-secret-0123456789abcdef' });

describe('the liaison crawl', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			await makeUser(db, { username: 'liaison-crawl', role: 'liaison', departmentCode: 'fgj' });
			apiToken = (
				await apiTokens.create(
					db,
					{ name: 'fgj-crawl', role: 'liaison', departmentCode: 'fgj' },
					testActor
				)
			).token;
			const c = await surveys.createCampaign(
				db,
				{
					code: CODE,
					year: currentYear(),
					kind: 'enterprise_visit',
					questionnaire: 'standard-appraisal',
					weight: '1',
					nameZh: NAME_ZH,
					nameEn: NAME_EN,
					targets: { targets: 'selected', departments: ['fgj', 'czj'] }
				},
				testActor
			);
			await surveys.setQuotas(
				db,
				CODE,
				{ departments: { fgj: 37, czj: 41 }, categories: {} },
				testActor
			);
			await makeSample(db, c.id, { units: 7, prefix: ENTERPRISE });
			await setCampaignState(db, c.id, 'active');
			await complaints.fileComplaint(
				db,
				complaintFormSchema.parse({
					department_code: 'fgj',
					category: 'arbitrary_fees',
					summary: `${OWN_SUMMARY}，请回电 ${TYPED_PHONE}，身份证 ${TYPED_ID}`,
					name: COMPLAINANT,
					contact: COMPLAINANT_PHONE
				}),
				{ address: '10.9.0.2' }
			);
			await complaints.fileComplaint(
				db,
				complaintFormSchema.parse({
					department_code: 'czj',
					category: 'arbitrary_fees',
					summary: OTHER_SUMMARY,
					name: COMPLAINANT,
					contact: COMPLAINANT_PHONE
				}),
				{ address: '10.9.0.3' }
			);
			tokens.push(
				...(await surveys.createInvitations(db, CODE, testActor)).created.map((x) => x.token)
			);
			// Six enterprises answer about the liaison's department, with a comment each.
			for (const [i, token] of tokens.slice(0, 6).entries())
				await surveys.answerInvitation(
					db,
					token,
					{
						response_key: `crawl-${i}`,
						answers: [
							...Object.entries(LEVELS).map(([q, answer]) => ({
								department_code: 'fgj',
								question_code: q,
								answer
							})),
							{ department_code: 'fgj', question_code: 'difficulty', answer: `${COMMENT} ${i}` }
						]
					},
					{ address: '10.9.0.1' }
				);
		}
	});

	/** Every trace of the campaign and of who complained a liaison's body must not hold. */
	const traces = () => [
		CODE,
		NAME_ZH,
		NAME_EN,
		ENTERPRISE,
		COMMENT,
		...tokens.map((x) => x.slice(0, 16)),
		COMPLAINANT,
		COMPLAINANT_PHONE,
		TYPED_PHONE,
		TYPED_ID,
		'19850505',
		OTHER_SUMMARY
	];
	const cleanOf = (forbidden: () => string[]) => (where: string, body: string) => {
		for (const trace of forbidden())
			expect(body.includes(trace), `${trace} in ${where}`).toBe(false);
	};
	const clean = cleanOf(traces);

	/**
	 * Walks every same-origin page a browser context can reach from `starts` (breadth first, at
	 * most MAX_PAGES): each answer as the server gives it (downloads included), each page's
	 * `__data.json`, and each page as Chromium renders it, all through `check`.
	 */
	async function crawl(
		context: BrowserContext,
		page: Page,
		starts: string[],
		check: (where: string, body: string) => void
	) {
		const origin = new URL(t.app.baseUrl).origin;
		const seen = new Set<string>(starts);
		const queue = [...starts];
		let visited = 0;
		while (queue.length > 0 && visited < MAX_PAGES) {
			const path = queue.shift()!;
			visited++;
			// The server's answer first (a download is not a page to open).
			const r = await context.request.get(path, { maxRedirects: 0 });
			check(path, await r.text());
			const type = r.headers()['content-type'] ?? '';
			if (r.status() >= 300 && r.status() < 400) {
				const to = new URL(r.headers()['location'] ?? '/', t.app.baseUrl);
				const next = to.pathname + to.search;
				if (to.origin === origin && !seen.has(next)) {
					seen.add(next);
					queue.push(next);
				}
				continue;
			}
			if (!type.includes('text/html')) continue;
			// Its data, as a client-side navigation would load it.
			const url = new URL(path, t.app.baseUrl);
			const data = `${url.pathname.replace(/\/$/, '')}/__data.json${url.search}`;
			check(data, await (await context.request.get(data)).text());
			// The page as Chromium shows it, scripts run, and its links.
			await open(page, path);
			check(`${path} (rendered)`, await page.content());
			const links = await page.$$eval('a[href]', (as) =>
				as.map((a) => (a as HTMLAnchorElement).href)
			);
			for (const href of links) {
				const to = new URL(href);
				const next = to.pathname + to.search;
				// Signing out would end the crawl; the language switch is a form, not a page.
				if (to.origin !== origin || next.startsWith('/sign-out') || seen.has(next)) continue;
				seen.add(next);
				queue.push(next);
			}
		}
		return { seen, visited };
	}

	it('finds no trace of a running campaign or of who complained anywhere a liaison can go', async () => {
		const { context, page } = await t.signedIn('liaison-crawl', PASSWORD);
		const { seen, visited } = await crawl(context, page, ['/'], clean);
		// Its own department's complaint is there, its typed numbers masked.
		const list = await (await context.request.get('/complaints')).text();
		expect(list).toContain(OWN_SUMMARY);
		expect(list).toContain('137****0002');
		// The liaison's part of the app: its navigation, its department, the results page.
		expect(visited).toBeGreaterThan(8);
		for (const path of ['/departments/fgj', '/findings', '/complaints', '/rankings', '/surveys'])
			expect(seen.has(path), path).toBe(true);

		// The campaign's own addresses answer as those of a code that names none.
		for (const suffix of ['', '/sample', '/invitations', '/__data.json', '/sample/__data.json']) {
			const known = await context.request.get(`/campaigns/${CODE}${suffix}`, { maxRedirects: 0 });
			const none = await context.request.get(`/campaigns/${NONE}${suffix}`, { maxRedirects: 0 });
			expect(known.status(), suffix).toBe(none.status());
			expect(withoutNonces(await known.text()).replaceAll(CODE, 'X'), suffix).toBe(
				withoutNonces(await none.text()).replaceAll(NONE, 'X')
			);
		}
		for (const suffix of ['', '/__data.json']) {
			const known = await context.request.get(`/surveys/${CODE}${suffix}`);
			const none = await context.request.get(`/surveys/${NONE}${suffix}`);
			expect(known.status()).toBe(none.status());
			expect(withoutNonces(await known.text()).replaceAll(CODE, 'X')).toBe(
				withoutNonces(await none.text()).replaceAll(NONE, 'X')
			);
		}

		// The API with the department's token: what it may read, and a response for the campaign.
		const api = { Authorization: `Bearer ${apiToken}` };
		const year = currentYear();
		for (const path of [
			'/api/v1/openapi.json',
			`/api/v1/results/${year}`,
			'/api/v1/complaints/stats',
			`/api/v1/campaigns/${CODE}`
		])
			clean(path, await (await context.request.get(path, { headers: api })).text());
		const post = (code: string) =>
			context.request.post('/api/v1/responses', {
				headers: api,
				data: {
					response_key: `crawl-api-${code}`,
					campaign_code: code,
					channel: 'online',
					submitted_at: `${year}-01-02 10:00`,
					answers: []
				}
			});
		const [known, none] = [await post(CODE), await post(NONE)];
		expect(known.status()).toBe(none.status());
		expect((await known.text()).replaceAll(CODE, 'X')).toBe(
			(await none.text()).replaceAll(NONE, 'X')
		);
		await context.close();
	});

	it('finds no complaint, campaign or respondent anywhere the public can go', async () => {
		const { context, page } = await t.anonymous();
		const { seen } = await crawl(
			context,
			page,
			['/', '/results', '/complaint', '/sign-in'],
			cleanOf(() => [...traces(), OWN_SUMMARY])
		);
		expect(seen.has('/results'), 'the public results').toBe(true);
		await context.close();
	});

	it('shows the liaison its department’s results once the campaign is closed', async () => {
		// Closed by an admin on the campaign's page, as the app does it.
		const { context: admin, page: adminPage } = await t.signedIn();
		await open(adminPage, `/campaigns/${CODE}`);
		const closed = await admin.request.post(`/campaigns/${CODE}?/state`, {
			form: { action: 'close', confirm: 'yes' },
			headers: {
				Origin: t.app.origin,
				'Sec-Fetch-Site': 'same-origin',
				Accept: 'text/html'
			},
			maxRedirects: 0
		});
		expect(closed.status()).toBe(303);
		await admin.close();

		const { page } = await t.signedIn('liaison-crawl', PASSWORD);
		await open(page, '/');
		await page.getByRole('link', { name: m.nav_surveys({}, { locale: 'zh-CN' }) }).click();
		await page.waitForURL((url) => url.pathname === '/surveys');
		const row = page.getByTestId('survey-row');
		expect(await row.count()).toBe(1);
		expect(await row.textContent()).toContain(NAME_ZH);
		await row.getByTestId('survey-link').click();
		await page.waitForURL((url) => url.pathname === `/surveys/${CODE}`);
		const section = page.getByTestId('department-aggregates');
		expect(await section.count()).toBe(1);
		expect(await section.getAttribute('data-code')).toBe('fgj');
		expect((await page.getByTestId('aggregates-responses').textContent())?.trim()).toBe('6');
		// 6 comments: under 10, so not shown; the rating groups of 6 are.
		expect(await page.getByTestId('comments-too-few').count()).toBe(1);
		expect(await page.content()).not.toContain(COMMENT);
		expect(await page.getByTestId('aggregates-chart').count()).toBe(6);
		expect(await page.content()).not.toContain(ENTERPRISE);
		await screenshot(page, 'liaison-survey-results');
		// All 6 came online: filtered to the phone, the group is too small to show.
		await page.getByTestId('surveys-channel').selectOption('phone');
		await page.waitForURL((url) => url.searchParams.get('channel') === 'phone');
		await expect
			.poll(() => page.getByTestId('aggregates-responses').textContent())
			.toContain(m.surveys_too_few({}, { locale: 'zh-CN' }));
		expect(await page.getByTestId('aggregates-chart').count()).toBe(0);
	});
});
