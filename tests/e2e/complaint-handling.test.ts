// A complaint handled through the pages: a supervisor enters one taken by telephone (the
// tracking code shown once), accepts it, takes it on and asks the department to respond; the
// department's liaison finds it on the worklist, sees no trace of who complained and answers;
// the supervisor concludes it, records a sanction, answers the complainant and closes it. The
// history lists every step.
import { describe, expect, it } from 'vitest';
import { makeDepartment, makeUser } from '../factories';
import { hydrated, open, useBrowserApp } from './fixtures';

const SUPERVISOR = { username: 'handler1', password: 'correct horse battery' };
const LIAISON = { username: 'liaison1', password: 'correct horse battery' };
const NAME = '王小明';
const PHONE = '13912345678';

describe('handling a complaint', () => {
	const t = useBrowserApp({
		seed: async (db) => {
			await makeDepartment(db, { code: 'hzj', nameZh: '行政审批局', nameEn: 'Approvals Bureau' });
			await makeUser(db, { role: 'supervisor', ...SUPERVISOR });
			await makeUser(db, { role: 'liaison', departmentCode: 'hzj', ...LIAISON });
		}
	});

	it('goes from a telephone complaint to its closure, the department answering without seeing who complained', async () => {
		let { context, page } = await t.signedIn(SUPERVISOR.username, SUPERVISOR.password);
		await open(page, '/complaints/new');
		await page.getByLabel('渠道').selectOption('hotline');
		await page.getByLabel('被投诉部门').selectOption('hzj');
		await page.getByLabel('类别').selectOption('slow_service');
		await page.getByLabel('投诉内容').fill('施工许可超过承诺时限仍未办结');
		await page.getByLabel('投诉人姓名').fill(NAME);
		await page.getByLabel('联系方式（可选，用于反馈）').fill(PHONE);
		await page.getByTestId('complaint-new-submit').click();
		const created = page.getByTestId('complaint-created');
		await created.waitFor();
		expect(await created.textContent()).toMatch(/[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}/);
		await page.getByTestId('complaint-created-link').click();
		await hydrated(page);
		const no = (await page.getByTestId('complaint-title').textContent())!.match(
			/TS\d{4}-\d{6}/
		)![0];

		/** Takes a step by its form's button and waits for the page that says it is saved. */
		const step = async (testid: string, action: string, fill?: () => Promise<unknown>) => {
			await fill?.();
			await page.getByTestId(testid).click();
			await page.waitForURL((url) => url.searchParams.get('saved') === action);
			await hydrated(page);
		};
		await step('complaint-accept', 'accept');
		await step('complaint-assign', 'assign', () =>
			page.getByTestId('complaint-assign-form').locator('select').selectOption({ index: 1 })
		);
		expect(await page.getByTestId('complaint-state').getAttribute('data-state')).toBe(
			'investigating'
		);
		await step('complaint-request', 'request_response');
		// The handling supervisor sees the complainant whole.
		expect(await page.getByTestId('complaint-contact').textContent()).toBe(PHONE);
		await context.close();

		// The department: its worklist has the complaint awaiting its answer; nobody is named.
		({ context, page } = await t.signedIn(LIAISON.username, LIAISON.password));
		await open(page, '/complaints/worklist');
		const row = page.locator(`[data-testid="worklist-row"][data-complaint-no="${no}"]`);
		expect(await row.count()).toBe(1);
		await row.locator('a').click();
		await hydrated(page);
		const html = await page.content();
		expect(html).not.toContain(NAME);
		expect(html).not.toContain(PHONE);
		expect(html).not.toContain('139****5678');
		await page.getByTestId('complaint-respond-form').locator('textarea').fill('已于本周办结许可');
		await page.getByTestId('complaint-respond').click();
		await page.waitForURL((url) => url.searchParams.get('saved') === 'respond');
		await hydrated(page);
		expect(await page.getByTestId('complaint-state').getAttribute('data-state')).toBe('responded');
		await context.close();

		// The supervisor concludes, sanctions, answers and closes.
		({ context, page } = await t.signedIn(SUPERVISOR.username, SUPERVISOR.password));
		await open(page, `/complaints/${no}`);
		await step('complaint-conclude', 'conclude', async () => {
			const f = page.getByTestId('complaint-conclude-form');
			await f.locator('select[name="verdict"]').selectOption('substantiated');
			await f.locator('textarea[name="findings"]').fill('超时限属实');
		});
		await step('complaint-sanction', 'sanction', () =>
			page
				.getByTestId('complaint-sanction-form')
				.locator('select[name="kind"]')
				.selectOption('efficiency_warning')
		);
		await step('complaint-feedback', 'give_feedback', () =>
			page
				.getByTestId('complaint-feedback-form')
				.locator('textarea')
				.fill('经查属实，已对相关人员效能告诫。')
		);
		await step('complaint-close', 'close');
		expect(await page.getByTestId('complaint-state').getAttribute('data-state')).toBe('closed');
		expect(await page.getByTestId('complaint-sanctions').textContent()).toContain('效能告诫');
		const history = await page
			.getByTestId('complaint-history-row')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
		expect(history).toEqual([
			'complaint.file',
			'complaint.accept',
			'complaint.assign',
			'complaint.request_response',
			'complaint.respond',
			'complaint.conclude',
			'complaint.sanction',
			'complaint.give_feedback',
			'complaint.close'
		]);
		await context.close();
	});
});
