// Browser journeys around signing in: the sign-in form, a wrong password, switching language on
// the same page, and signing out.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { ADMIN } from '../helpers/app';
import { hydrated, open, screenshot, useBrowserApp } from './fixtures';

const zh = { locale: 'zh-CN' } as const;
const en = { locale: 'en' } as const;

describe('signing in and out', () => {
	const t = useBrowserApp();

	it('signs in through the form and lands on the departments page', async () => {
		const { page } = await t.anonymous();
		await open(page, '/departments');
		expect(new URL(page.url()).pathname).toBe('/sign-in');
		await page.getByLabel(m.auth_username({}, zh)).fill(ADMIN.username);
		await page.getByLabel(m.auth_password({}, zh)).fill(ADMIN.password);
		await page.getByRole('button', { name: m.auth_sign_in({}, zh) }).click();
		// The admin has a second factor (tests/helpers/two-factor.ts): the code comes next.
		await page.waitForURL((url) => url.pathname === '/two-factor');
		await hydrated(page);
		await page.getByLabel(m.two_factor_code({}, zh)).fill(await t.app.totp.next(ADMIN.username));
		await page.getByRole('button', { name: m.two_factor_verify_submit({}, zh) }).click();
		await page.waitForURL((url) => url.pathname === '/departments');
		await expect
			.poll(() => page.getByTestId('signed-in-as').textContent())
			// The first admin is named in the language of the start-up (zh-CN here): 管理员.
			.toContain(m.bootstrap_admin_name({}, zh));
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			m.departments_title({}, zh)
		);
		await screenshot(page, 'sign-in');
	});

	it('shows the error for a wrong password and stays signed out', async () => {
		const { page, context } = await t.anonymous();
		await open(page, '/sign-in');
		await page.getByLabel(m.auth_username({}, zh)).fill(ADMIN.username);
		await page.getByLabel(m.auth_password({}, zh)).fill('not the password');
		await page.getByRole('button', { name: m.auth_sign_in({}, zh) }).click();
		const alert = page.getByRole('alert');
		await expect.poll(() => alert.textContent()).toBe(m.auth_invalid({}, zh));
		expect(new URL(page.url()).pathname).toBe('/sign-in');
		expect(await page.getByLabel(m.auth_username({}, zh)).inputValue()).toBe(ADMIN.username);
		expect((await context.cookies()).some((c) => c.name === 'session')).toBe(false);
		await screenshot(page, 'sign-in-wrong-password');
	});

	it('switches to English and back, staying on the same page', async () => {
		const { page } = await t.signedIn();
		await open(page, '/departments?q=%E5%B8%82');
		expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			m.departments_title({}, zh)
		);

		await page.getByRole('link', { name: m.lang_en({}, zh) }).click();
		// The URL matched before the click too: wait for the new document instead.
		await page.waitForFunction(() => document.documentElement.lang === 'en');
		await hydrated(page);
		expect(new URL(page.url()).searchParams.get('q')).toBe('市');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			m.departments_title({}, en)
		);
		expect(await page.getByRole('button', { name: m.auth_sign_out({}, en) }).count()).toBe(1);
		await screenshot(page, 'language-english');

		await page.getByRole('link', { name: m.lang_zh({}, en) }).click();
		await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
		await hydrated(page);
		expect(new URL(page.url()).pathname).toBe('/departments');
		expect(new URL(page.url()).searchParams.get('q')).toBe('市');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			m.departments_title({}, zh)
		);
	});

	it('signs out, after which the pages ask to sign in again', async () => {
		const { page, context } = await t.signedIn();
		await open(page, '/departments');
		await page.getByRole('button', { name: m.auth_sign_out({}, zh) }).click();
		await page.waitForURL((url) => url.pathname === '/sign-in');
		expect((await context.cookies()).some((c) => c.name === 'session')).toBe(false);
		await screenshot(page, 'signed-out');
		await open(page, '/departments');
		expect(new URL(page.url()).pathname).toBe('/sign-in');
		expect(await page.getByTestId('signed-in-as').count()).toBe(0);
	});
});
