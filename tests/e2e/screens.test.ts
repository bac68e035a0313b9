// The pages people open first, at a 1366×768 laptop and a 390×844 phone (issue 10 §6), on the
// demo city: the dashboard, each role's home, the public results and the announcement. Each is
// screenshotted (test-results/screen-*.png) and never scrolls sideways; the charts show a
// skeleton or a drawn chart from the first paint and are drawn within seconds; the public
// rankings stay readable on a phone (no squeezed columns).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as demo from '$lib/server/demo';
import { testActor } from '../factories';
import { hydrated, screenshot, useBrowserApp } from './fixtures';

const VIEWPORTS = {
	laptop: { width: 1366, height: 768 },
	phone: { width: 390, height: 844 },
	/** The narrowest phone the public site is read on. */
	'small phone': { width: 360, height: 740 }
} as const;
type Screen = keyof typeof VIEWPORTS;
const SCREENS: Screen[] = ['laptop', 'phone'];

describe('first pages at a laptop and a phone', () => {
	const accounts = new Map<string, demo.DemoAccount>();
	const t = useBrowserApp({
		seed: async (db) => {
			for (const a of (await demo.load(db, testActor)).accounts) accounts.set(a.role, a);
		}
	});
	const signedInAs = (role: 'leader' | 'supervisor' | 'liaison' | 'enterprise', screen: Screen) => {
		const a = accounts.get(role)!;
		return t.signedIn(a.username, a.password, { viewport: VIEWPORTS[screen] });
	};

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
		const { page } = await signedInAs('leader', screen);
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto('/', { waitUntil: 'commit' });
		await page.waitForURL((url) => url.pathname === '/dashboard');
		await page.waitForLoadState('domcontentloaded');
		await chartsDraw(page);
		await hydrated(page);
		await noSidewaysScroll(page);
		// The trend follows the department chosen, without a reload.
		const pick = page.getByTestId('trend-pick');
		const last = pick.locator('option').last();
		await pick.selectOption((await last.getAttribute('value'))!);
		const name = (await last.textContent())!.split(' · ')[1]!;
		await expect.poll(() => page.getByTestId('dashboard-trend').textContent()).toContain(name);
		// A table view opens under a chart.
		await page.getByTestId('dashboard-ranking-municipal-table').locator('summary').click();
		expect(
			await page.getByTestId('dashboard-ranking-municipal-table').locator('tbody tr').count()
		).toBe(40);
		await noSidewaysScroll(page);
		await screenshot(page, `screen-dashboard-${screen}`);
		expect(errors).toEqual([]);
	});

	it.each([...SCREENS, 'small phone'] as const)('the public results on a %s', async (screen) => {
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
		await screenshot(page, `screen-public-results-${screen.replace(' ', '-')}`);
		await page.goto('/results/2003/announcement');
		await noSidewaysScroll(page);
		await screenshot(page, `screen-announcement-${screen.replace(' ', '-')}`);
	});

	it.each(
		(['supervisor', 'liaison', 'enterprise'] as const).flatMap((role) =>
			SCREENS.map((screen) => [role, screen] as const)
		)
	)("the %s's home on a %s", async (role, screen) => {
		const { page } = await signedInAs(role, screen);
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto('/');
		await page.waitForURL((url) => url.pathname === '/home');
		await hydrated(page);
		expect(await page.locator(`[data-role="${role}"]`).count()).toBe(1);
		await noSidewaysScroll(page);
		await screenshot(page, `screen-home-${role}-${screen}`);
		expect(errors).toEqual([]);
	});
});
