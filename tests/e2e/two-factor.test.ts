// The second factor in a browser: a supervisor sets one up from the account page by reading the
// key off the page (as one types it into an app), keeps the recovery codes, signs out, signs in
// with the password and a code, then with a recovery code. Screenshots in both languages.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { stepAt, totpCode } from '$lib/server/auth/totp';
import { m } from '$lib/paraglide/messages';
import { makeUser } from '../factories';
import { hydrated, open, screenshot, useBrowserApp } from './fixtures';

const PASSWORD = 'correct horse battery';
const zh = { locale: 'zh-CN' } as const;
const en = { locale: 'en' } as const;

describe('the second factor', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			await makeUser(db, { username: 'sup-2fa', role: 'supervisor' });
			await makeUser(db, { username: 'sup-2fa-en', role: 'supervisor' });
		}
	});

	/** A code for a step after `last` (never reused) and not behind the clock. */
	const freshCode = (key: Uint8Array, last: number) =>
		totpCode(key, Math.max(last + 1, stepAt(new Date())));

	async function signInWithPassword(page: Page, username: string, locale: typeof zh | typeof en) {
		await open(page, '/sign-in');
		await page.getByLabel(m.auth_username({}, locale)).fill(username);
		await page.getByLabel(m.auth_password({}, locale)).fill(PASSWORD);
		await page.getByRole('button', { name: m.auth_sign_in({}, locale) }).click();
	}

	/** Sets a second factor up from the account page; returns its key and the recovery codes. */
	async function enrol(page: Page, locale: typeof zh | typeof en, name: string) {
		await open(page, '/account');
		await page.getByTestId('two-factor-set-up').click();
		await page.waitForURL((url) => url.pathname === '/two-factor/setup');
		await hydrated(page);
		const text = (await page.getByTestId('totp-key').textContent())!;
		const key = decodeBase32IgnorePadding(text.replace(/\s+/g, ''));
		expect(await page.locator('.qr svg').count()).toBe(1);
		await screenshot(page, `two-factor-setup-${name}`);
		const step = stepAt(new Date());
		await page.locator('input[name="code"]').fill(totpCode(key, step));
		await page.getByRole('button', { name: m.two_factor_setup_submit({}, locale) }).click();
		await expect.poll(() => page.getByTestId('recovery-code').count()).toBe(10);
		const codes = await page.getByTestId('recovery-code').allTextContents();
		for (const c of codes) expect(c).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
		await screenshot(page, `two-factor-recovery-codes-${name}`);
		await page.getByTestId('recovery-codes-continue').click();
		await page.waitForURL((url) => url.pathname === '/account');
		return { key, step, codes };
	}

	it('sets one up from the account page, then signs in with a code and with a recovery code', async () => {
		const { page, context } = await t.anonymous();
		await signInWithPassword(page, 'sup-2fa', zh);
		await page.waitForURL((url) => url.pathname === '/home');
		const { key, step, codes } = await enrol(page, zh, 'zh');
		await expect
			.poll(() => page.getByTestId('recovery-codes-left').textContent())
			.toBe(m.two_factor_codes_left({ count: 10 }, zh));

		// Signed out, the password alone is not enough any more.
		await page.getByTestId('sign-out').click();
		await page.waitForURL((url) => url.pathname === '/sign-in');
		await signInWithPassword(page, 'sup-2fa', zh);
		await page.waitForURL((url) => url.pathname === '/two-factor');
		await hydrated(page);
		// The code used to set it up is spent; the next step's is accepted.
		await page.locator('input[name="code"]').fill(totpCode(key, step));
		await page.getByRole('button', { name: m.two_factor_verify_submit({}, zh) }).click();
		await expect
			.poll(() => page.getByRole('alert').first().textContent())
			.toBe(m.two_factor_code_invalid({}, zh));
		await screenshot(page, 'two-factor-code-zh');
		await page.locator('input[name="code"]').fill(freshCode(key, step));
		await page.getByRole('button', { name: m.two_factor_verify_submit({}, zh) }).click();
		await page.waitForURL((url) => url.pathname === '/home');

		// Lost phone: a recovery code, once.
		await page.getByTestId('sign-out').click();
		await page.waitForURL((url) => url.pathname === '/sign-in');
		await signInWithPassword(page, 'sup-2fa', zh);
		await page.waitForURL((url) => url.pathname === '/two-factor');
		await hydrated(page);
		await page.locator('summary', { hasText: m.two_factor_recovery_title({}, zh) }).click();
		await page.getByLabel(m.two_factor_recovery_code({}, zh)).fill(codes[0]!.toLowerCase());
		await page.getByRole('button', { name: m.two_factor_recovery_submit({}, zh) }).click();
		await page.waitForURL((url) => url.pathname === '/account');
		await expect
			.poll(() => page.getByTestId('recovery-used').textContent())
			.toContain(m.two_factor_recovery_used({ count: 9 }, zh));
		await screenshot(page, 'two-factor-recovery-used-zh');
		expect((await context.cookies()).some((c) => c.name === 'session')).toBe(true);
	});

	it('reads the same in English', async () => {
		const { page, context } = await t.anonymous({ locale: 'en' });
		await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: t.app.baseUrl }]);
		await signInWithPassword(page, 'sup-2fa-en', en);
		await page.waitForURL((url) => url.pathname === '/home');
		const { key, step } = await enrol(page, en, 'en');
		await page.getByTestId('sign-out').click();
		await page.waitForURL((url) => url.pathname === '/sign-in');
		await signInWithPassword(page, 'sup-2fa-en', en);
		await page.waitForURL((url) => url.pathname === '/two-factor');
		await hydrated(page);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			m.two_factor_verify_title({}, en)
		);
		await screenshot(page, 'two-factor-code-en');
		await page.locator('input[name="code"]').fill(freshCode(key, step));
		await page.getByRole('button', { name: m.two_factor_verify_submit({}, en) }).click();
		await page.waitForURL((url) => url.pathname === '/home');
	});
});
