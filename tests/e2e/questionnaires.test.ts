// Browser journey of the questionnaire builder (enhanced forms): create a questionnaire, add a
// single-choice question, fill its options, save, and see it in the preview.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { open, screenshot, useBrowserApp } from './fixtures';

const zh = { locale: 'zh-CN' } as const;

describe('questionnaires', () => {
	const t = useBrowserApp();

	it('builds a questionnaire and previews it', async () => {
		const { page } = await t.signedIn();
		await open(page, '/questionnaires/new');
		await page.locator('input[name="code"]').fill('business');
		await page.locator('input[name="titleZh"]').fill('营商环境问卷');
		await page.locator('input[name="titleEn"]').fill('Business climate');
		await page.getByTestId('questionnaire-create-submit').click();
		await page.waitForURL((url) => url.pathname === '/questionnaires/business/1');

		await page.getByTestId('questionnaire-add').click();
		await page.locator('input[name="q.0.code"]').waitFor();
		await page.locator('input[name="q.0.code"]').fill('via');
		await page.locator('select[name="q.0.kind"]').selectOption('single');
		await page.locator('input[name="q.0.textZh"]').fill('办理渠道');
		await page.locator('input[name="q.0.textEn"]').fill('Channel');
		await page.getByRole('button', { name: m.questionnaires_refresh({}, zh) }).click();
		await page.locator('input[name="q.0.o.1.code"]').waitFor();
		// What was typed survives the step.
		expect(await page.locator('input[name="q.0.code"]').inputValue()).toBe('via');
		for (const [j, code, zhText, en] of [
			[0, 'online', '网上', 'Online'],
			[1, 'window', '窗口', 'Counter']
		] as const) {
			await page.locator(`input[name="q.0.o.${j}.code"]`).fill(code);
			await page.locator(`input[name="q.0.o.${j}.textZh"]`).fill(zhText);
			await page.locator(`input[name="q.0.o.${j}.textEn"]`).fill(en);
		}
		await page.getByTestId('questionnaire-save').click();
		await page.waitForURL((url) => url.search === '?saved=here');
		await screenshot(page, 'questionnaire-builder');

		await page.getByTestId('questionnaire-preview-link').click();
		await page.waitForURL((url) => url.pathname.endsWith('/preview'));
		await page.getByRole('button', { name: m.questionnaires_preview_check({}, zh) }).click();
		await expect.poll(() => page.locator('.field-error').count()).toBe(2);
		await page.locator('input[name="c:sample-1:via"][value="window"]').check();
		await page.locator('input[name="c:sample-2:via"][value="online"]').check();
		await page.getByRole('button', { name: m.questionnaires_preview_check({}, zh) }).click();
		await expect
			.poll(() => page.getByRole('status').last().textContent())
			.toContain(m.questionnaires_preview_ok({}, zh));
		await screenshot(page, 'questionnaire-preview');
	});
});
