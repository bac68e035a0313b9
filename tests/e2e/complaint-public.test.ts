// A citizen's complaint journey at a small phone's size (360×740) with JavaScript off: from the
// sign-in page's link to the form, a missing name said beside its field and then given, the
// number and tracking code read from the result, then the complaint tracked with the code typed
// as people type it. With JavaScript on, "anonymous" hides the name, and the filing is shown in
// place.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeDepartment } from '../factories';
import { hydrated, screenshot, useBrowserApp } from './fixtures';

const PHONE = { width: 360, height: 740 };

describe('a citizen files and tracks a complaint', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			await makeDepartment(db, { code: 'ywj', nameZh: '营商服务局', nameEn: 'Business Service' });
		}
	});

	const phone = async (javaScriptEnabled: boolean): Promise<Page> =>
		(await t.anonymous({ viewport: PHONE, javaScriptEnabled })).page;

	const fitsTheScreen = async (page: Page) =>
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			PHONE.width
		);

	it('with JavaScript off: files, fixes the missing name, reads the code, tracks it', async () => {
		const page = await phone(false);
		await page.goto('/sign-in');
		await page.getByTestId('link-file-complaint').click();
		await page.waitForURL('**/complaint');
		await fitsTheScreen(page);

		await page.getByLabel('被投诉单位').selectOption({ label: '营商服务局' });
		await page.getByLabel('投诉类别').selectOption('enforcement');
		await page.getByLabel('投诉内容').fill('3月5日在执法大队窗口被罚款200元，没有开具任何票据。');
		await page.getByLabel('联系方式（选填）').fill('13700002222');
		await page.getByTestId('complaint-submit').click();
		await page.waitForLoadState();

		// The missing name, said beside its field; what was typed is kept.
		const name = page.locator('label', { has: page.locator('input[name="name"]') });
		await expect
			.poll(() => name.locator('.field-error').textContent())
			.toContain('实名投诉请填写姓名');
		expect(await page.getByLabel('投诉内容').inputValue()).toContain('没有开具任何票据');
		expect(await page.getByLabel('被投诉单位').inputValue()).toBe('ywj');
		await page.locator('input[name="name"]').fill('赵六');
		await page.getByTestId('complaint-submit').click();
		await page.waitForLoadState();

		const filed = page.getByTestId('complaint-filed');
		await filed.waitFor();
		const no = (await page.getByTestId('complaint-no').textContent())!.trim();
		const code = (await page.getByTestId('complaint-code').textContent())!.trim();
		expect(no).toMatch(/^TS\d{4}-\d{6}$/);
		expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
		expect(await filed.textContent()).toContain('查询码只显示这一次');
		// No print button that would do nothing without JavaScript.
		expect(await page.getByRole('button', { name: '打印' }).count()).toBe(0);
		expect(page.url()).not.toContain(code);
		await fitsTheScreen(page);
		await screenshot(page, 'complaint-filed-phone');

		await page.getByTestId('complaint-track-link').click();
		await page.waitForURL('**/complaint/track?no=*');
		expect(await page.getByLabel('投诉编号').inputValue()).toBe(no);
		await page.getByLabel('查询码').fill(code.toLowerCase().replaceAll('-', ' '));
		await page.getByTestId('track-submit').click();
		await page.waitForLoadState();
		const tracked = page.getByTestId('complaint-tracked');
		await tracked.waitFor();
		expect(await page.getByTestId('tracked-no').textContent()).toBe(no);
		expect(await page.getByTestId('tracked-stage').textContent()).toContain('已收到');
		expect(await tracked.textContent()).toContain('营商服务局');
		expect(await tracked.textContent()).not.toContain('赵六');
		expect(page.url()).not.toContain(code.replaceAll('-', '').toLowerCase());
		await fitsTheScreen(page);
		await screenshot(page, 'complaint-tracked-phone');
	});

	it('with JavaScript on: anonymous hides the name, and the result is shown in place', async () => {
		const page = await phone(true);
		await page.goto('/complaint');
		await hydrated(page);
		await page.getByLabel('被投诉单位').selectOption({ label: '营商服务局' });
		await page.getByLabel('投诉类别').selectOption('slow_service');
		await page.getByLabel('投诉内容').fill('营业执照变更超过承诺时限仍未办结。');
		await page.locator('input[name="name"]').fill('不留名');
		await page.getByLabel('匿名投诉（不留姓名）').check();
		expect(await page.locator('input[name="name"]').isVisible()).toBe(false);
		await page.getByTestId('complaint-submit').click();
		await page.getByTestId('complaint-filed').waitFor();
		expect(page.url()).toMatch(/\/complaint$/);
		expect(await page.getByRole('button', { name: '打印' }).count()).toBe(1);
	});
});
