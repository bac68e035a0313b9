// A liaison's home on a phone (390 × 844) and on a laptop (1366 wide): signed in, `/` lands on
// the home page, "Home" is the first navigation entry; the latest published result with its
// rank and the category medians, its department's finding to dispute, and the empty states said
// in words — and the page never scrolls sideways.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { makeFinding, makeUser } from '../factories';
import { departmentResult, makeSnapshot, snapshotContent } from '../factories/snapshots';
import { open, screenshot, useBrowserApp } from './fixtures';

const PASSWORD = 'correct horse battery';
const zh = { locale: 'zh-CN' } as const;

describe('a liaison’s home', () => {
	let findingNo = '';
	const t = useBrowserApp({
		seed: async (db) => {
			await makeUser(db, {
				role: 'liaison',
				username: 'home-fgj',
				password: PASSWORD,
				departmentCode: 'fgj'
			});
			await makeSnapshot(
				db,
				snapshotContent(2025, [
					departmentResult('czj', { rank: 1 }),
					departmentResult('fgj', { rank: 2, outcomes: [] }),
					departmentResult('jyj', { rank: 3, outcomes: ['rectification'] })
				]),
				{ revision: 1 }
			);
			findingNo = (await makeFinding(db, 'fgj', { description: '窗口人员离岗' })).findingNo;
		}
	});

	it('shows what is due at 390 px and at 1366 px without sideways scrolling', async () => {
		const { page } = await t.signedIn('home-fgj', PASSWORD);
		await page.setViewportSize({ width: 390, height: 844 });
		await open(page, '/');
		expect(new URL(page.url()).pathname).toBe('/home');
		const first = page.locator('nav a').first();
		expect((await first.textContent())?.trim()).toBe(m.nav_home({}, zh));

		const result = page.getByTestId('home-result');
		expect(await result.getByTestId('home-rank').getAttribute('data-rank')).toBe('2');
		expect(await result.getByTestId('home-score').count()).toBe(5);
		const finding = page.getByTestId('home-finding');
		expect(await finding.count()).toBe(1);
		expect(await finding.getAttribute('data-finding-no')).toBe(findingNo);
		// Nothing else is due: each empty block says so in words.
		for (const id of ['home-complaints', 'home-problems', 'home-cases'])
			expect(await page.getByTestId(id).getByTestId('home-empty').count()).toBe(1);
		expect(await page.getByTestId('home-cases').textContent()).toContain(m.home_cases_none({}, zh));

		const sideways = () =>
			page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
		expect(await sideways()).toBe(false);
		await screenshot(page, 'home-liaison-390');
		await page.setViewportSize({ width: 1366, height: 900 });
		expect(await sideways()).toBe(false);
		await screenshot(page, 'home-liaison-1366');
	});
});
