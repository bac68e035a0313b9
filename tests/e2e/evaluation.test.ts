// Browser journeys of the year-end evaluation over the example departments: an admin opens a
// year with its settings and computes a draft (marked DRAFT on the rankings), a city leader
// reviews the changes and publishes, the rankings then show the published revision, and the
// "why this score" page writes out the arithmetic that a liaison can check by hand.
import { describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { makeUser } from '../factories';
import { seedExampleYear } from '../factories/evaluation-data';
import { hydrated, open, screenshot, useBrowserApp } from './fixtures';

const zh = { locale: 'zh-CN' } as const;
const PASSWORD = 'correct horse battery';
// The year that has just ended: its records are all in the past whatever day the test runs.
const YEAR = currentYear() - 1;

describe('evaluation', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			await seedExampleYear(db, YEAR);
			await makeUser(db, { username: 'leader', role: 'leader' });
			await makeUser(db, { username: 'liaison-jyj', role: 'liaison', departmentCode: 'jyj' });
		}
	});

	it('admin opens the year and computes a draft; the leader publishes; the results explain themselves', async () => {
		// 1. The admin creates the year with quotas the 7 municipal and 5 vertical examples fill.
		const admin = (await t.signedIn()).page;
		await open(admin, '/years');
		await admin.getByTestId('years-new-link').click();
		await admin.waitForURL((url) => url.pathname === '/years/new');
		await admin.getByTestId('year-field').fill(String(YEAR));
		await admin.getByTestId('setting-commended.municipal').fill('2');
		await admin.getByTestId('setting-commended.vertical').fill('1');
		await admin.getByTestId('setting-rectificationBottom').fill('2');
		await admin.getByTestId('setting-minimumResponses').fill('3');
		// Weights that do not sum to 100 are refused on the page, with what was typed kept.
		await admin.getByTestId('setting-weights.work').fill('40');
		await admin.getByTestId('year-create-submit').click();
		await expect
			.poll(() => admin.getByTestId('weights-error').textContent())
			.toBe(m.evaluation_settings_weights_sum({ sum: '110' }, zh));
		expect(await admin.getByTestId('setting-commended.vertical').inputValue()).toBe('1');
		await admin.getByTestId('setting-weights.work').fill('30');
		await admin.getByTestId('year-create-submit').click();
		await admin.waitForURL((url) => url.pathname === `/years/${YEAR}`);
		await expect
			.poll(() => admin.getByTestId('year-saved').textContent())
			.toBe(m.evaluation_year_created({}, zh));

		// 2. Compute: a draft without errors, then its rankings under a DRAFT banner.
		await admin.getByTestId('compute-submit').click();
		await expect
			.poll(() => admin.getByTestId('year-saved').textContent())
			.toBe(m.evaluation_computed({}, zh));
		expect(await admin.getByTestId('no-problems').count()).toBe(1);
		await admin.getByTestId('view-draft-link').click();
		await admin.waitForURL(
			(url) => url.pathname === `/rankings/${YEAR}` && url.search === '?draft'
		);
		await expect.poll(() => admin.getByTestId('draft-banner').count()).toBe(1);
		expect(await admin.getByTestId('published-banner').count()).toBe(0);
		expect(await admin.getByTestId('ranking-row').count()).toBe(12);
		// The chart draws on its canvas once Chart.js has loaded; the table holds the same figures.
		await expect
			.poll(() =>
				admin
					.getByTestId('rankings-chart-municipal')
					.locator('canvas')
					.evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)
			)
			.toBe(true);
		await screenshot(admin, 'evaluation-draft-rankings');

		// 3. The leader sees what publication changes (everything, the first time) and publishes.
		const leader = (await t.signedIn('leader', PASSWORD)).page;
		await open(leader, `/years/${YEAR}/publish`);
		expect(await leader.getByTestId('publish-changes').getByTestId('change-row').count()).toBe(12);
		const gaj = leader.locator('[data-testid="change-row"][data-code="gaj"]');
		expect(await gaj.getAttribute('data-status')).toBe('added');
		await screenshot(leader, 'evaluation-publish-review');
		await leader.getByTestId('publish-confirm').check();
		await leader.getByTestId('publish-submit').click();
		// Publishing asks the leader to confirm it is them (sudo mode), then to publish again.
		await leader.waitForURL((url) => url.pathname === '/sudo');
		await hydrated(leader);
		const sudo = leader.getByTestId('sudo-password-form');
		await sudo.locator('input[name="password"]').fill(PASSWORD);
		await sudo.locator('button[type="submit"]').click();
		await leader.waitForURL((url) => url.pathname === `/years/${YEAR}/publish`);
		await hydrated(leader);
		await leader.getByTestId('publish-confirm').check();
		await leader.getByTestId('publish-submit').click();
		await leader.waitForURL((url) => url.pathname === `/years/${YEAR}`);
		await expect
			.poll(() => leader.getByTestId('year-saved').textContent())
			.toBe(m.evaluation_published({ revision: 1 }, zh));
		// Published: the settings are frozen, and say why.
		expect(await leader.getByTestId('settings-frozen').count()).toBe(1);

		// 4. The rankings now show revision 1, published, with its outcomes.
		await open(leader, `/rankings/${YEAR}`);
		await expect.poll(() => leader.getByTestId('published-banner').count()).toBe(1);
		expect(await leader.getByTestId('draft-banner').count()).toBe(0);
		const first = leader.getByTestId('rankings-table-municipal').getByTestId('ranking-row').first();
		expect(await first.getAttribute('data-code')).toBe('gaj');
		expect(await first.getAttribute('data-rank')).toBe('1');
		expect(await first.getByTestId('ranking-total').textContent()).toBe('96.60');
		expect(await first.getByTestId('outcome').getAttribute('data-outcome')).toBe('commended');
		await screenshot(leader, 'evaluation-published-rankings');

		// 5. "Why this score" for the Education Bureau (jyj): dissatisfied ratings (25 points), a
		// 2-point deduction, one case on time, speed of handling rated 4 (75 points).
		await leader.locator('[data-testid="ranking-row"][data-code="jyj"] a').click();
		await leader.waitForURL((url) => url.pathname === `/rankings/${YEAR}/jyj`);
		const formulas = await leader.getByTestId('formula').allTextContents();
		const text = formulas.map((f) => f.replace(/\s+/g, ' ')).join('\n');
		// Arithmetic a clerk knows, the bounds of a score in words (zh-CN, the default language).
		expect(text).toContain('(30 × 98 + 20 × 87.5 + 20 × 100 + 30 × 25) ÷ 100 = 74.4');
		expect(text).toContain('100 − 2 + 0 = 98，结果不低于 0、不高于 100，得 98');
		expect(text).toContain('100 × 1 ÷ (1 + 0) = 100');
		expect(text).toContain('0.5 × 100 + 0.5 × 75 = 87.5');
		expect(text).toContain(
			'100 − (5 × 0 + 2 × 0 + 0 × 0 + 1 × 0) = 100 − 0 = 100，结果不低于 0，得 100'
		);
		expect(text).not.toMatch(/clamp|min\(|max\(/);
		expect(await leader.getByTestId('why-total').textContent()).toBe('74.40');
		const finding = leader.locator(`[data-testid="finding-row"][data-no="jyj-${YEAR}-F1"]`);
		expect(await finding.getAttribute('data-counted')).toBe('true');
		expect(await leader.getByTestId('cases-on-time').textContent()).toBe('1');
		await screenshot(leader, 'evaluation-why-this-score');

		// 6. The department's liaison reads its own explanation, and no other department's.
		const liaison = (await t.signedIn('liaison-jyj', PASSWORD)).page;
		const own = await open(liaison, `/rankings/${YEAR}/jyj`);
		expect(own?.status()).toBe(200);
		expect(await liaison.getByTestId('why-total').textContent()).toBe('74.40');
		const other = await liaison.goto(`/rankings/${YEAR}/gaj`);
		expect(other?.status()).toBe(403);
	});
});
