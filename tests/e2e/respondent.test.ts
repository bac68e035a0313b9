// Browser journeys of the respondent's page at a phone's size (390×844): one enterprise answers
// with JavaScript off (plain forms); another with it on, reloads half-way (its answers are kept),
// loses the connection when sending (the page says it will retry) and still ends with exactly
// one response once the connection is back.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import * as surveys from '$lib/server/surveys';
import { testActor } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { useEnv } from '../helpers/env';
import { hydrated, open, screenshot, useBrowserApp } from './fixtures';

const PHONE = { width: 390, height: 844 };
const QUESTIONS = ['transparency', 'service', 'integrity', 'attitude', 'quality', 'efficiency'];
let campaignCode = '';
const tokens: string[] = [];
useEnv({ INVITATION_SECRET: 'respondent-browser-secret-0123456789abc' });

describe('the respondent page', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			const c = await makeCampaign(db, { year: currentYear(), kind: 'enterprise_visit' });
			campaignCode = c.code;
			await makeSample(db, c.id, { units: 2, prefix: '永安企业' });
			await setCampaignState(db, c.id, 'active');
			tokens.push(
				...(await surveys.createInvitations(db, c.code, testActor)).created.map((x) => x.token)
			);
		}
	});
	const phone = async (javaScriptEnabled: boolean): Promise<Page> =>
		(await t.anonymous({ viewport: PHONE, javaScriptEnabled })).page;

	/** Picks one level of each question about `code`, from the top of the scale down. */
	async function answer(page: Page, code: string, questions = QUESTIONS) {
		for (const [i, q] of questions.entries())
			await page.locator(`input[name="r:${code}:${q}"][value="${5 - (i % 3)}"]`).check();
	}

	async function responses(): Promise<string> {
		const { page } = await t.signedIn();
		await open(page, `/campaigns/${campaignCode}`);
		const total = (await page.getByTestId('campaign-responses-total').textContent()) ?? '';
		await page.context().close();
		return total.trim().split(/\s/)[0]!;
	}

	it('works with JavaScript off: pick, answer, a missing answer said, then thanks', async () => {
		const page = await phone(false);
		await page.goto(`/i/${tokens[0]}`);
		await page.locator('input[name="d"][value="fgj"]').check();
		await page.getByTestId('respondent-continue').click();
		await page.waitForURL((url) => url.searchParams.get('d') === 'fgj');
		await answer(page, 'fgj', QUESTIONS.slice(1));
		await page.getByTestId('respondent-submit').click();
		await page.waitForLoadState();
		expect(await page.locator('.field-error').first().textContent()).toContain('请选择一项');
		await answer(page, 'fgj');
		await page.getByTestId('respondent-submit').click();
		await page.waitForURL((url) => url.searchParams.has('done'));
		expect(await page.getByTestId('respondent-thanks').textContent()).toContain('谢谢');
		// Readable at a phone's width: nothing wider than the screen.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			PHONE.width
		);
		await screenshot(page, 'respondent-no-js-done');
		expect(await responses()).toBe('1');
	});

	it('keeps answers over a reload and sends them once after the connection comes back', async () => {
		const page = await phone(true);
		await open(page, `/i/${tokens[1]}?d=czj`);
		await answer(page, 'czj', QUESTIONS.slice(0, 3));
		await page.reload();
		await hydrated(page);
		// What was chosen before the reload is chosen again.
		expect(await page.locator('input[name="r:czj:transparency"][value="5"]').isChecked()).toBe(
			true
		);
		await answer(page, 'czj', QUESTIONS);
		await page.context().setOffline(true);
		await page.getByTestId('respondent-submit').click();
		await expect.poll(() => page.getByTestId('respondent-retrying').count()).toBe(1);
		await screenshot(page, 'respondent-offline');
		// A second press while offline changes nothing: the same response, under the same key.
		await page.getByTestId('respondent-submit').click();
		await page.context().setOffline(false);
		await page.waitForURL((url) => url.searchParams.has('done'), { timeout: 60_000 });
		expect(await page.getByTestId('respondent-thanks').count()).toBe(1);
		expect(await responses()).toBe('2');
	});
});
