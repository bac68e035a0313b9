// The announcement (通报) in a browser, as the public reaches it: from the published results
// page to the announcement, its text switched to English while the page stays in Chinese, and
// the print view, which shows the document alone — no navigation, on screen or on paper — and
// prints on A4 with the digest.
import { describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import * as evaluation from '$lib/server/evaluation';
import { testActor } from '../factories';
import { EXAMPLE_SETTINGS, seedExampleYear } from '../factories/evaluation-data';
import { open, screenshot, useBrowserApp } from './fixtures';

const YEAR = currentYear() - 1;
const zh = { locale: 'zh-CN' } as const;
const en = { locale: 'en' } as const;
let digest = '';

describe('the announcement', () => {
	const b = useBrowserApp({
		seed: async (db) => {
			await seedExampleYear(db, YEAR);
			await evaluation.createYear(db, { year: YEAR, settings: EXAMPLE_SETTINGS }, testActor);
			const draft = await evaluation.compute(db, YEAR, testActor);
			digest = (await evaluation.publish(db, YEAR, { draftId: draft.id }, testActor)).digest;
		}
	});

	it('is read from the results page, in either language, and printed without navigation', async () => {
		const { page } = await b.anonymous();
		await open(page, `/results/${YEAR}`);
		await page.getByTestId('announcement-link').click();
		await page.waitForURL((url) => url.pathname === `/results/${YEAR}/announcement`);
		const title = page.getByRole('heading', { level: 1 });
		await expect.poll(() => title.textContent()).toBe(m.announcement_title({ year: YEAR }, zh));
		await expect.poll(() => page.getByTestId('announcement-digest').textContent()).toBe(digest);
		await screenshot(page, 'announcement-zh');

		await page
			.getByRole('navigation', { name: m.announcement_language({}, zh) })
			.getByRole('link', { name: 'English' })
			.click();
		await expect.poll(() => title.textContent()).toBe(m.announcement_title({ year: YEAR }, en));
		// The page around the text keeps the interface language.
		expect(await page.getByTestId('announcement-print-link').textContent()).toBe(
			m.announcement_print({}, zh)
		);

		await page.getByTestId('announcement-print-link').click();
		await page.waitForURL((url) => url.pathname === `/results/${YEAR}/announcement/print`);
		await expect.poll(() => page.getByTestId('announcement-print').isVisible()).toBe(true);
		expect(await page.locator('header.top').isVisible()).toBe(false);
		expect(await page.getByTestId('announcement-print-button').isVisible()).toBe(true);
		await page.emulateMedia({ media: 'print' });
		expect(await page.getByTestId('announcement-print-button').isVisible()).toBe(false);
		expect(await page.locator('header.top').isVisible()).toBe(false);
		expect(await page.getByRole('link').count()).toBe(0);
		// Printed as the browser would: A4 (the page's @page rule), the text and digest on paper.
		const pdf = await page.pdf({ preferCSSPageSize: true });
		const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
		expect(Number(box?.[1])).toBeCloseTo(595.28, 0);
		expect(Number(box?.[2])).toBeCloseTo(841.89, 0);
		await screenshot(page, 'announcement-print');
	});
});
