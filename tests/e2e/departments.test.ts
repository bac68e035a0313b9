// Browser journeys of the departments module: create a department, and import a CSV file with a
// bad row, which shows the row's line, column and reason and imports nothing.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { DEPARTMENT_CATEGORY } from '$lib/schemas/departments';
import { open, screenshot, useBrowserApp } from './fixtures';

const zh = { locale: 'zh-CN' } as const;
const BAD_ROW_CSV = resolve(import.meta.dirname, '../fixtures/departments-bad-row.csv');

describe('departments', () => {
	const t = useBrowserApp();

	it('creates a department and shows its page', async () => {
		const { page } = await t.signedIn();
		await open(page, '/departments');
		await page.getByRole('link', { name: m.departments_new({}, zh) }).click();
		await page.waitForURL((url) => url.pathname === '/departments/new');
		await page.getByLabel(m.departments_code({}, zh)).fill('hbj');
		await page.getByLabel(m.departments_name_zh({}, zh)).fill('市环保局');
		await page.getByLabel(m.departments_name_en({}, zh)).fill('Environmental Protection Bureau');
		// By name: the label of a <select> wrapping it includes its options' text.
		await page.locator('select[name="category"]').selectOption('municipal');
		await page.getByTestId('department-create-submit').click();

		await page.waitForURL((url) => url.pathname === '/departments/hbj');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('市环保局');
		await expect
			.poll(() => page.getByRole('status').first().textContent())
			.toContain(m.departments_created({}, zh));
		await screenshot(page, 'department-created');

		// It is in the list now.
		await open(page, '/departments?q=hbj');
		expect(await page.getByRole('link', { name: 'hbj', exact: true }).count()).toBe(1);
	});

	it('imports a CSV with a bad row: the row error names line and column, nothing is imported', async () => {
		const { page } = await t.signedIn();
		await open(page, '/departments/import');
		await page.getByTestId('import-file').setInputFiles(BAD_ROW_CSV);
		await page.getByTestId('import-submit').click();

		const rowError = page.getByTestId('import-error');
		await expect.poll(() => rowError.count()).toBe(1);
		// Line 3 of the file (the header is line 1): `wjj,…,federal,,`.
		expect(await rowError.getAttribute('data-line')).toBe('3');
		expect(await rowError.getAttribute('data-column')).toBe('category');
		const cells = await rowError.locator('td').allTextContents();
		expect(cells[0]).toBe('3');
		expect(cells[1]).toBe('category');
		expect(cells[2]).toBe(
			messageOf('choice', { value: 'federal', choices: DEPARTMENT_CATEGORY.describe() }, 'zh-CN')
		);
		expect(await page.getByTestId('import-errors').getByRole('alert').textContent()).toBe(
			m.imports_failed({ count: 1, file: 'departments-bad-row.csv' }, zh)
		);
		await screenshot(page, 'department-import-bad-row');

		// All or nothing: the good rows around the bad one were not imported either.
		for (const code of ['tjj', 'rsj']) {
			const r = await page.goto(`/departments/${code}`);
			expect(r?.status()).toBe(404);
		}
	});
});
