// Browser journey of the responses import page: with the page's script the upload goes to its
// progress endpoint; a refused file shows its rows without leaving the page, a good one ends on
// the summary, as the plain form would.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { makeCampaign } from '../factories/records';
import { open, screenshot, useBrowserApp } from './fixtures';

const zh = { locale: 'zh-CN' } as const;
const HEADER =
	'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer';
const row = (key: string, question: string, answer: string) =>
	`${key},web-2026,paper,2026-06-01 09:00,fgj,${question},${answer}`;

describe('responses import', () => {
	const t = useBrowserApp({
		env: { BODY_SIZE_LIMIT: 'Infinity' },
		seed: async (db) => {
			await makeCampaign(db, { code: 'web-2026', year: 2026 });
		}
	});

	it('shows a refused file’s rows in place, then imports a good one to its summary', async () => {
		const { page } = await t.signedIn();
		await open(page, '/campaigns');
		await page.getByTestId('responses-import-link').click();
		await page.waitForURL((url) => url.pathname === '/responses/import');

		const bad = [HEADER, row('W-1', 'service', '5'), row('W-1', 'quality', 'seven')].join('\n');
		await page.getByTestId('import-file').setInputFiles({
			name: 'bad.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(bad)
		});
		await page.getByTestId('import-submit').click();
		const rowError = page.getByTestId('import-error');
		// The import runs on the server first: wait for its answer.
		await expect.poll(() => rowError.count(), { timeout: 30_000 }).toBe(1);
		expect(await rowError.getAttribute('data-line')).toBe('3');
		expect(await rowError.getAttribute('data-column')).toBe('answer');
		expect(page.url()).toMatch(/\/responses\/import$/);
		await screenshot(page, 'responses-import-refused');

		const good = [HEADER, row('W-1', 'service', '5'), row('W-1', 'quality', '4')].join('\n');
		await page.getByTestId('import-file').setInputFiles({
			name: 'good.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(good)
		});
		await page.getByTestId('import-submit').click();
		await page.waitForURL((url) => url.searchParams.get('created') === '1');
		await expect
			.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 30_000 })
			.toBe(m.responses_import_summary({ rows: 2, responses: 1, created: 1, existing: 0 }, zh));
		expect(await page.getByTestId('import-error').count()).toBe(0);
		await screenshot(page, 'responses-import-done');
	});
});
