// The pages people open first, at a 1366×768 laptop and a 390×844 phone (issue 10 §6): the
// dashboard and the public results. Each is screenshotted (test-results/screen-*.png), never
// scrolls sideways, shows a skeleton or a drawn chart from the first paint and a drawn chart
// within seconds, and the public rankings stay readable on a phone (no squeezed columns).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeUser } from '../factories';
import { makeComplaint } from '../factories/records';
import { departmentResult, makeSnapshot, snapshotContent } from '../factories/snapshots';
import { hydrated, screenshot, useBrowserApp } from './fixtures';

const VIEWPORTS = {
	laptop: { width: 1366, height: 768 },
	phone: { width: 390, height: 844 }
} as const;
type Screen = keyof typeof VIEWPORTS;
const SCREENS = Object.keys(VIEWPORTS) as Screen[];

const NAMES: [string, string, string][] = [
	['fgw', '市发展和改革委员会', 'Development and Reform Commission'],
	['czj', '市财政局', 'Finance Bureau'],
	['jyj', '市教育局', 'Education Bureau'],
	['gaj', '市公安局', 'Public Security Bureau'],
	['jtj', '市交通局', 'Transport Bureau'],
	['jsj', '市建设局', 'Construction Bureau'],
	['ldj', '市劳动和社会保障局', 'Labour and Social Security Bureau'],
	['wsj', '市卫生局', 'Health Bureau'],
	['hbj', '市环境保护局', 'Environmental Protection Bureau'],
	['wjj', '市文化体育局', 'Culture and Sports Bureau'],
	['gtj', '市国土资源局', 'Land Resources Bureau'],
	['sfj', '市司法局', 'Justice Bureau']
];
const VERTICAL: [string, string, string][] = [
	['gsj', '市工商行政管理局', 'Administration for Industry and Commerce'],
	['gsw', '市国家税务局', 'State Taxation Bureau'],
	['dsj', '市地方税务局', 'Local Taxation Bureau'],
	['zjj', '市质量技术监督局', 'Quality and Technical Supervision Bureau'],
	['yjj', '市药品监督管理局', 'Drug Administration']
];

/** A year's results: totals spread between 78 and 95, outcomes as the ranks give them. */
function yearResults(year: number) {
	const lines = (list: [string, string, string][], category: 'municipal' | 'vertical') =>
		list.map(([code, nameZh, nameEn], i) => {
			const n = list.length;
			const rank = ((i + year) % n) + 1;
			const fromBottom = n - rank + 1;
			const total = 95 - (rank - 1) * (17 / (n - 1));
			const commended = category === 'municipal' ? 6 : 4;
			const outcomes: ('commended' | 'rectification' | 'criticism')[] =
				rank <= commended
					? ['commended']
					: fromBottom === 1
						? ['rectification', 'criticism']
						: fromBottom <= 3
							? ['rectification']
							: [];
			return departmentResult(code, {
				nameZh,
				nameEn,
				category,
				rank,
				rankFromBottom: fromBottom,
				outcomes,
				satisfactionRate: 70 + ((rank * 7) % 29),
				scores: {
					work: total + 3,
					convenience: total - 4,
					complaints: total + 1,
					appraisal: total - 1,
					total
				}
			});
		});
	return snapshotContent(year, [...lines(NAMES, 'municipal'), ...lines(VERTICAL, 'vertical')]);
}

describe('first pages at a laptop and a phone', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			await makeSnapshot(db, yearResults(2002), { revision: 1 });
			await makeSnapshot(db, yearResults(2003), { revision: 1 });
			await makeSnapshot(db, yearResults(2004));
			// Complaints against the example departments: 8 in 2002, 5 in 2003.
			for (let i = 0; i < 13; i++)
				await makeComplaint(db, {
					department: i % 2 ? 'gaj' : 'jtj',
					received: `${i < 8 ? 2002 : 2003}-0${(i % 6) + 1}-1${i % 9} 09:00`
				});
			await makeUser(db, { username: 'leader-screens', role: 'leader' });
		}
	});

	/** Nothing wider than the window: no sideways scrolling. */
	const noSidewaysScroll = async (page: Page) =>
		expect(
			await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
		).toBeLessThanOrEqual(0);

	/** From the first paint each chart box shows its skeleton or its chart; then every chart draws. */
	const chartsDraw = async (page: Page) => {
		const boxes = await page.locator('[role="img"] canvas').count();
		expect(boxes).toBeGreaterThan(0);
		const blank = await page.evaluate(
			() =>
				[...document.querySelectorAll('[role="img"]')].filter((box) => {
					const drawn = box.querySelector('canvas[data-drawn]');
					const skeleton = box.querySelector('.skeleton');
					return !drawn && !(skeleton && getComputedStyle(skeleton).display !== 'none');
				}).length
		);
		expect(blank).toBe(0);
		await page.waitForFunction(
			(n) => document.querySelectorAll('[role="img"] canvas[data-drawn]').length === n,
			boxes,
			{ timeout: 10_000 }
		);
	};

	it.each(SCREENS)('the dashboard on a %s', async (screen) => {
		const { page } = await t.signedIn('leader-screens', 'correct horse battery', {
			viewport: VIEWPORTS[screen]
		});
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto('/', { waitUntil: 'commit' });
		await page.waitForURL((url) => url.pathname === '/dashboard');
		await page.waitForLoadState('domcontentloaded');
		await chartsDraw(page);
		await hydrated(page);
		await noSidewaysScroll(page);
		// The trend follows the department chosen, without a reload.
		await page.getByTestId('trend-pick').selectOption('gsw');
		await expect
			.poll(() => page.getByTestId('dashboard-trend').textContent())
			.toContain('市国家税务局');
		// A table view opens under a chart.
		await page.getByTestId('dashboard-ranking-municipal-table').locator('summary').click();
		expect(
			await page.getByTestId('dashboard-ranking-municipal-table').locator('tbody tr').count()
		).toBe(NAMES.length);
		await noSidewaysScroll(page);
		await screenshot(page, `screen-dashboard-${screen}`);
		expect(errors).toEqual([]);
	});

	it.each(SCREENS)('the public results on a %s', async (screen) => {
		const { page } = await t.anonymous({ viewport: VIEWPORTS[screen] });
		await page.goto('/sign-in');
		await page.getByTestId('link-results').click();
		await page.waitForURL((url) => url.pathname === '/results');
		await page.getByRole('link', { name: /2003/ }).click();
		await page.waitForURL((url) => url.pathname === '/results/2003');
		await chartsDraw(page);
		await noSidewaysScroll(page);
		// Every figure of the rankings is at least a few characters wide.
		const narrowest = await page.evaluate(() =>
			Math.min(
				...[...document.querySelectorAll('[data-testid^="rankings-table-"] td')].map(
					(td) => td.getBoundingClientRect().width
				)
			)
		);
		expect(narrowest).toBeGreaterThan(40);
		expect(await page.getByTestId('results-snapshot-download').count()).toBe(1);
		await screenshot(page, `screen-public-results-${screen}`);
	});
});
