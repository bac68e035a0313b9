// Browser-test fixtures: one built app and one Chromium per test file, a sign-in fixture that
// puts a real session cookie (signed in over HTTP) into a fresh browser context, and screenshots.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
	chromium,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions,
	type Page
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { ADMIN, startApp, type AppOptions, type RunningApp } from '../helpers/app';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';

const RESULTS = resolve(import.meta.dirname, '../../test-results');

export interface BrowserApp {
	readonly app: RunningApp;
	readonly browser: Browser;
	/** A new browser context signed in as the given user (the admin by default). */
	signedIn(
		username?: string,
		password?: string,
		options?: BrowserContextOptions
	): Promise<{ context: BrowserContext; page: Page }>;
	/** A new browser context nobody is signed in to (a phone's: `{ viewport, javaScriptEnabled }`). */
	anonymous(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
}

/** Starts the app and Chromium before the file's tests and stops both after. */
export function useBrowserApp(options: AppOptions = {}): BrowserApp {
	let app: RunningApp | undefined;
	let browser: Browser | undefined;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		const executablePath = findChromium();
		if (!executablePath)
			throw new Error('No Chromium found: install `chromium` or set CHROMIUM_PATH');
		[app, browser] = await Promise.all([
			startApp(options),
			chromium.launch({ executablePath, args: CHROMIUM_ARGS })
		]);
	});
	// A failed journey leaves a picture of every page it had open, to see what went wrong.
	afterEach(async (ctx) => {
		if (ctx.task.result?.state !== 'fail') return;
		const name = `failed-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
		const pages = contexts.flatMap((c) => c.pages());
		await Promise.all(pages.map((p, i) => screenshot(p, `${name}-${i}`).catch(() => undefined)));
	});
	afterAll(async () => {
		await Promise.all(contexts.map((c) => c.close().catch(() => {})));
		await browser?.close();
		await app?.dispose();
	});

	const newContext = async (options: BrowserContextOptions = {}) => {
		const context = await browser!.newContext({
			baseURL: app!.baseUrl,
			viewport: { width: 1280, height: 800 },
			locale: 'zh-CN',
			...options
		});
		// Generous: two cores run the app, Chromium and the tests at once.
		context.setDefaultTimeout(30_000);
		contexts.push(context);
		return context;
	};

	return {
		get app() {
			return app!;
		},
		get browser() {
			return browser!;
		},
		async anonymous(options) {
			const context = await newContext(options);
			return { context, page: await context.newPage() };
		},
		async signedIn(username = ADMIN.username, password = ADMIN.password, options = {}) {
			const { cookie } = await app!.signIn(username, password);
			expect(cookie, `sign-in fixture for ${username}`).toBeTruthy();
			const [name, value] = cookie!.split('=') as [string, string];
			const context = await newContext(options);
			await context.addCookies([
				{ name, value, url: app!.baseUrl, httpOnly: true, sameSite: 'Lax' }
			]);
			return { context, page: await context.newPage() };
		}
	};
}

/**
 * Waits until SvelteKit has hydrated the page. Typing before that is lost: hydration sets each
 * input back to its server-rendered value (and a `required` field left empty blocks the submit).
 * SvelteKit starts its router right after hydrating, and that sets `history.scrollRestoration`.
 */
export async function hydrated(page: Page): Promise<void> {
	await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/** `page.goto`, then waits for hydration; returns the document's response. */
export async function open(page: Page, path: string) {
	const response = await page.goto(path);
	await hydrated(page);
	return response;
}

/** One full-page screenshot per journey, in test-results/ (gitignored), to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(RESULTS, { recursive: true });
	const path = join(RESULTS, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}
