// The phone console at a tablet's size (1024×768), by keyboard: a supervisor signs in, books a
// call-back for the first unit of their list, the call-back comes due (the app's clock moves on
// two hours), the unit is back at the top of the list, and the supervisor completes the
// interview with the keyboard alone. Exactly one response is stored, with its completed call.
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '$lib/domain/time';
import { currentYear } from '$lib/domain/years';
import * as surveys from '$lib/server/surveys';
import { makeUser, testActor } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { hydrated, open, useBrowserApp } from './fixtures';

const TABLET = { width: 1024, height: 768 };
const SUPERVISOR = { username: 'caller1', password: 'correct horse battery' };
const HOUR = 3_600_000;
let code = '';
let firstUnit = 0;

describe('the phone console', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			const c = await makeCampaign(db, { year: currentYear(), kind: 'enterprise_visit' });
			code = c.code;
			const units = await makeSample(db, c.id, { units: 3, prefix: '电话企业' });
			firstUnit = units[0]!.id;
			await setCampaignState(db, c.id, 'active');
			const s = await makeUser(db, { role: 'supervisor', ...SUPERVISOR });
			await surveys.assignUnits(db, c.code, { count: 3 }, s.id, testActor);
		}
	});

	async function signedInPage() {
		const { context, page } = await t.signedIn(SUPERVISOR.username, SUPERVISOR.password);
		await page.setViewportSize(TABLET);
		return { context, page };
	}

	it('a supervisor completes a phone interview after a callback', async () => {
		let { context, page } = await signedInPage();
		await open(page, `/campaigns/${code}/phone`);
		const current = page.getByTestId('phone-unit-name');
		expect(await current.getAttribute('data-unit')).toBe(String(firstUnit));
		expect(await page.getByTestId('phone-masked').textContent()).toBe('138****5678');

		// Reveal to dial (audited), then the respondent asks to be called back in an hour.
		await page.keyboard.press('Alt+R');
		await expect.poll(() => page.getByTestId('phone-number').textContent()).toBe('13812345678');
		const callback = formatDateTime(new Date(Date.now() + HOUR))
			.slice(0, 16)
			.replace(' ', 'T');
		await page.getByTestId('phone-callback-at').fill(callback);
		await page.keyboard.press('Alt+C');
		await page.waitForURL((url) => url.searchParams.get('done') === 'attempt');
		await hydrated(page);
		// Booked for later: the list goes on with the next unit.
		expect(await current.getAttribute('data-unit')).not.toBe(String(firstUnit));
		expect(
			await page
				.locator(`[data-testid="phone-queue-row"][data-unit="${firstUnit}"]`)
				.getAttribute('data-state')
		).toBe('later');
		await context.close();

		// Two hours on, the call-back is due and first again (a new session: the old one idled out).
		t.app.advanceClock(2 * HOUR);
		({ context, page } = await signedInPage());
		await open(page, `/campaigns/${code}/phone`);
		expect(await page.getByTestId('phone-due').textContent()).toContain('1');
		expect(await page.getByTestId('phone-unit-name').getAttribute('data-unit')).toBe(
			String(firstUnit)
		);
		expect(await page.getByTestId('phone-last-outcome').textContent()).toContain('预约回拨');

		// The interview, by keyboard: pick the first department, start, answer, save.
		await page.locator('[data-testid="phone-pick"] input[name="d"]').first().focus();
		await page.keyboard.press('Space');
		await page.keyboard.press('Alt+I');
		await page.waitForURL((url) => url.searchParams.has('d'));
		await hydrated(page);
		const groups = page.locator('[data-testid="phone-form"] fieldset');
		const n = await groups.count();
		expect(n).toBeGreaterThan(0);
		for (let i = 0; i < n; i++) {
			// The first level of each group (5, very satisfied), focused and chosen by keyboard.
			await groups.nth(i).locator('input[type="radio"]').first().focus();
			await page.keyboard.press('Space');
		}
		await page.keyboard.press('Alt+S');
		await page.waitForURL((url) => url.searchParams.get('done') === 'interview');
		await hydrated(page);
		expect(await page.getByTestId('phone-completed').isVisible()).toBe(true);
		expect(
			await page.locator(`[data-testid="phone-queue-row"][data-unit="${firstUnit}"]`).count()
		).toBe(0);
		await context.close();

		// Exactly one response, taken by phone.
		const { page: admin } = await t.signedIn();
		await open(admin, `/campaigns/${code}`);
		const total = (await admin.getByTestId('campaign-responses-total').textContent()) ?? '';
		expect(total.trim().split(/\s/)[0]).toBe('1');
		expect(await admin.getByTestId('campaign-rr1').textContent()).toBe('33.3%');
	});
});
