// The visit campaign summary in a browser: the charts draw beside their tables, the print view
// prints without the app's navigation, and the page links to both.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { makeDepartment } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample } from '../factories/samples';
import { insertProblem, insertVisit } from '../factories/visit-summary';
import { open, screenshot, useBrowserApp } from './fixtures';

const zh = { locale: 'zh-CN' } as const;

describe('visit campaign summary', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			const c = await makeCampaign(db, { year: 2026, kind: 'enterprise_visit', code: 'zf-2026' });
			const a = await makeDepartment(db, { code: 'zfa', nameZh: '市场监管局' });
			const b = await makeDepartment(db, { code: 'zfb', nameZh: '住建局' });
			const units = await makeSample(db, c.id, { units: 5, prefix: '走访企业' });
			for (const [i, u] of units.slice(0, 3).entries()) {
				const v = await insertVisit(db, {
					campaignId: c.id,
					enterpriseId: u.enterpriseId!,
					visitedOn: `2026-03-0${i + 1}`,
					contactCardNo: `C${i}`,
					gaveInstructions: true,
					gaveHandbook: i > 0,
					investorCard: i !== 1,
					breaches: i === 0 ? [a.id, b.id] : []
				});
				await insertProblem(db, {
					visitId: v.id,
					category: i === 2 ? 'fees' : 'approval',
					scope: 'single',
					state: i === 0 ? 'closed' : 'brigade',
					dueOn: '2026-01-10',
					involved: [i === 1 ? b.id : a.id],
					returns: i === 0 ? [true] : []
				});
			}
		}
	});

	it('draws a chart beside each table, and prints without navigation', async () => {
		const { page } = await t.signedIn();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await open(page, '/campaigns/zf-2026');
		await page.getByTestId('campaign-summary-link').click();
		await page.waitForURL((url) => url.pathname === '/campaigns/zf-2026/summary');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			m.summary_heading({ name: 'zf-2026' }, zh)
		);
		// Progress, materials, breaches, four problem dimensions, satisfaction: a canvas each,
		// drawn (Chart.js sizes it) once the chart module has loaded.
		await expect.poll(() => page.locator('canvas').count()).toBe(8);
		await expect
			.poll(() =>
				page
					.locator('canvas')
					.evaluateAll((cs) => cs.every((c) => (c as HTMLCanvasElement).width > 0))
			)
			.toBe(true);
		await screenshot(page, 'visit-summary');

		await page.getByTestId('summary-print-link').click();
		await page.waitForURL((url) => url.pathname === '/campaigns/zf-2026/summary/print');
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('header.top').isVisible()).toBe(false);
		expect(await page.getByRole('button', { name: m.summary_print({}, zh) }).isVisible()).toBe(
			false
		);
		expect(await page.getByTestId('summary-table-problem-states').isVisible()).toBe(true);
		await screenshot(page, 'visit-summary-print');
		expect(errors).toEqual([]);
	});
});
