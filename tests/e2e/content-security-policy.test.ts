// The pages under their Content-Security-Policy (svelte.config.js, src/lib/server/security-headers.js)
// in Chromium, on the demo city: every role's main pages — each entry of its navigation followed as
// a client-side navigation, which also brings SvelteKit's route announcer — the pages with charts,
// the printable pages, a help document and the public site. Not one `securitypolicyviolation`
// event, no CSP or Permissions-Policy error in the console, no script error; and every chart is
// drawn: a canvas of the box's size with pixels on it, so a policy that blocked the boxes' heights
// or Chart.js's styles would fail here.
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { rows } from '$lib/server/db';
import * as demo from '$lib/server/demo';
import { testActor } from '../factories';
import { hydrated, useBrowserApp } from './fixtures';

const YEAR = 2003;

/** What went wrong on the pages a context opened. */
interface Problems {
	violations: string[];
	console: string[];
	errors: string[];
}

/** Collects CSP violations (from the first byte of every document), console errors and page errors. */
async function watch(context: BrowserContext): Promise<Problems> {
	const found: Problems = { violations: [], console: [], errors: [] };
	await context.exposeBinding('__cspViolation', ({ page }, v: string) =>
		found.violations.push(`${new URL(page.url()).pathname}: ${v}`)
	);
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			const report = (window as unknown as { __cspViolation(v: string): void }).__cspViolation;
			void report(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sample})`);
		});
	});
	const onPage = (page: Page) => {
		page.on('console', (msg) => {
			if (msg.type() === 'error' && /security policy|permissions-policy|refused/i.test(msg.text()))
				found.console.push(`${new URL(page.url()).pathname}: ${msg.text()}`);
		});
		page.on('pageerror', (e) => found.errors.push(`${new URL(page.url()).pathname}: ${e.message}`));
	};
	context.pages().forEach(onPage);
	context.on('page', onPage);
	return found;
}

/** Every chart on the page drawn: Chart.js done, a canvas as large as its box, not blank. */
async function chartsDrawn(page: Page): Promise<number> {
	const charts = await page.locator('[role="img"] canvas').count();
	await page.waitForFunction(
		(n) => document.querySelectorAll('[role="img"] canvas[data-drawn]').length === n,
		charts,
		{ timeout: 15_000 }
	);
	const drawn = await page.evaluate(() =>
		[...document.querySelectorAll<HTMLCanvasElement>('[role="img"] canvas')].map((canvas) => {
			const box = canvas.parentElement!.getBoundingClientRect();
			const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
			let inked = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
			return { box: box.height, canvas: canvas.getBoundingClientRect().height, inked };
		})
	);
	for (const d of drawn) {
		// The box's height is set in a style attribute: 0 if the policy dropped it.
		expect(d.box).toBeGreaterThan(50);
		expect(d.canvas).toBeGreaterThan(50);
		expect(d.inked).toBeGreaterThan(500);
	}
	return charts;
}

/** Opens a page by its address: it must answer 200. */
async function visit(page: Page, path: string) {
	const response = await page.goto(path);
	expect(response?.status(), path).toBe(200);
	await hydrated(page);
}

describe('the pages under their Content-Security-Policy', () => {
	const accounts = new Map<string, demo.DemoAccount>();
	let campaign = '';
	const t = useBrowserApp({
		seed: async (db) => {
			for (const a of (await demo.load(db, testActor)).accounts) accounts.set(a.role, a);
			const [c] = await rows<{ code: string }>(
				db,
				sql`select code from campaign where state = 'closed' order by id limit 1`
			);
			campaign = c!.code;
		}
	});

	/** Follows each entry of the navigation by a click (a client-side navigation), charts drawn. */
	async function walkNavigation(page: Page): Promise<string[]> {
		const nav = page.getByRole('navigation', { name: m.nav_main() });
		const links = await nav
			.locator('a[href]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		expect(links.length).toBeGreaterThan(2);
		for (const href of links) {
			await nav.locator(`a[href="${href}"]`).click();
			await page.waitForURL((url) => url.pathname.startsWith(href));
			await page.waitForLoadState('networkidle');
			await chartsDrawn(page);
		}
		return links;
	}

	const clean = (found: Problems) => {
		expect(found.violations).toEqual([]);
		expect(found.console).toEqual([]);
		expect(found.errors).toEqual([]);
	};

	it.each([
		// role, the pages (besides the navigation) to open, how many charts they have at least
		[
			'leader',
			['/dashboard', '/complaints/statistics', '/handbook/reform', `/rankings/${YEAR}`],
			5
		],
		['supervisor', ['/complaints/statistics', 'CAMPAIGN/summary', 'CAMPAIGN/sample'], 3],
		['liaison', ['/home', '/rankings', '/help/scoring'], 0],
		['enterprise', ['/home'], 0],
		['admin', ['/dashboard', `/handbook/${YEAR}/print`, 'CAMPAIGN/summary/print'], 1]
	] as const)("the %s's pages", async (role, paths, minCharts) => {
		const a = accounts.get(role);
		const { context, page } =
			role === 'admin' ? await t.signedIn() : await t.signedIn(a!.username, a!.password);
		const found = await watch(context);
		await visit(page, '/');
		await walkNavigation(page);
		let charts = 0;
		for (const p of paths) {
			await visit(page, p.replace('CAMPAIGN', `/campaigns/${campaign}`));
			charts += await chartsDrawn(page);
		}
		expect(charts).toBeGreaterThanOrEqual(minCharts);
		clean(found);
	});

	it('the public site: results with their charts, the announcement, the complaint form', async () => {
		const { context, page } = await t.anonymous();
		const found = await watch(context);
		await visit(page, '/sign-in');
		await page.getByTestId('link-results').click();
		await page.waitForURL((url) => url.pathname === '/results');
		await page.getByRole('link', { name: new RegExp(String(YEAR)) }).click();
		await page.waitForURL((url) => url.pathname === `/results/${YEAR}`);
		expect(await chartsDrawn(page)).toBeGreaterThan(0);
		for (const p of [`/results/${YEAR}/announcement`, '/complaint', '/complaint/track']) {
			await visit(page, p);
		}
		clean(found);
	});
});
