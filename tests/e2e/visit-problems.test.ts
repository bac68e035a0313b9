// An enterprise visit recorded on a tablet and its two problems followed to closure: a
// supervisor records the visit (team, contact card, instructions, investor card with a breach,
// two problems) while the connection drops and comes back — the visit is stored once; the narrow
// problem is settled by the Brigade, the wide one escalated to a city leader, who instructs two
// departments; both liaisons report back; return visits find the enterprise satisfied and both
// problems close.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enterprise } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, makeUser, testActor } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { hydrated, open, screenshot, useBrowserApp } from './fixtures';

const PASSWORD = 'correct horse battery';
const TABLET = { width: 800, height: 1280 };
const year = new Date().getFullYear();

describe('an enterprise visit and its problems', () => {
	let uscc = '';
	let cardNo = '';
	let campaignCode = '';
	let problemNos: string[] = [];
	const t = useBrowserApp({
		seed: async (db) => {
			await makeDepartment(db, { code: 'hzj', nameZh: '行政审批局', nameEn: 'Approvals Bureau' });
			await makeDepartment(db, { code: 'gdj', nameZh: '供电局', nameEn: 'Power Supply Bureau' });
			await makeUser(db, { role: 'supervisor', username: 'visitor1', password: PASSWORD });
			await makeUser(db, { role: 'leader', username: 'leader1', password: PASSWORD });
			for (const code of ['hzj', 'gdj'])
				await makeUser(db, {
					role: 'liaison',
					username: `liaison-${code}`,
					password: PASSWORD,
					departmentCode: code
				});
			const c = await makeCampaign(db, { year, kind: 'enterprise_visit' });
			campaignCode = c.code;
			const [unit] = await makeSample(db, c.id, { units: 1, prefix: '永安竹业' });
			await setCampaignState(db, c.id, 'active');
			cardNo = (await surveys.createInvitations(db, c.code, testActor)).created[0]!.cardNo;
			const [e] = await db
				.select({ uscc: enterprise.uscc })
				.from(enterprise)
				.where(eq(enterprise.id, unit!.enterpriseId!));
			uscc = e!.uscc;
		}
	});

	/** The visits the campaign has, as its list shows them. */
	const visitsStored = async () => {
		const { cookie } = await t.app.signIn('visitor1', PASSWORD);
		const r = await t.app.fetch(`/visits?campaign=${campaignCode}`, { cookie });
		return ((await r.text()).match(/data-testid="visit-row"/g) ?? []).length;
	};

	it('records a visit on a tablet through a lost connection, once', async () => {
		const { context, page } = await t.signedIn('visitor1', PASSWORD);
		await page.setViewportSize(TABLET);
		await open(page, `/visits/new?campaign=${campaignCode}`);
		await page.getByTestId('visit-uscc').fill(uscc);
		const names = page.getByTestId('visit-member-name');
		await names.nth(0).fill('张监察');
		await names.nth(1).fill('李监督员');
		await page.getByTestId('visit-card').fill(cardNo);
		await page.getByTestId('visit-instructions').check();
		await page.getByTestId('visit-handbook').check();
		await page.getByTestId('visit-investor-yes').check();
		await page.getByTestId('visit-investor-card').locator('summary').click();
		await page.locator('input[name="breach"][value="gdj"]').check();
		const problems = page.getByTestId('visit-problem');
		await problems
			.nth(0)
			.getByTestId('visit-problem-description')
			.fill('竹材加工项目环评批复排队两个月');
		await problems.nth(0).getByTestId('visit-problem-category').selectOption('approval');
		await problems.nth(0).getByTestId('visit-problem-scope').selectOption('single');
		await problems
			.nth(0)
			.getByTestId('visit-problem-departments')
			.selectOption([{ label: '行政审批局' }]);
		await problems.nth(1).locator('summary').click();
		await problems
			.nth(1)
			.getByTestId('visit-problem-description')
			.fill('工业园区企业用电报装普遍要跑五个部门');
		await problems.nth(1).getByTestId('visit-problem-category').selectOption('utilities');
		await problems.nth(1).getByTestId('visit-problem-scope').selectOption('widespread');
		await problems.nth(1).getByTestId('visit-problem-impact').check();
		await problems
			.nth(1)
			.getByTestId('visit-problem-departments')
			.selectOption([{ label: '行政审批局' }, { label: '供电局' }]);

		// A reload keeps what was typed (the multiple select too).
		await page.reload();
		await hydrated(page);
		expect(await page.getByTestId('visit-uscc').inputValue()).toBe(uscc);
		expect(
			await problems
				.nth(1)
				.getByTestId('visit-problem-departments')
				.evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.label).sort())
		).toEqual(['供电局', '行政审批局'].sort());

		await context.setOffline(true);
		await page.getByTestId('visit-submit').click();
		await expect.poll(() => page.getByTestId('visit-retrying').count()).toBe(1);
		await screenshot(page, 'visit-offline');
		expect(await visitsStored()).toBe(0);
		await context.setOffline(false);
		await page.waitForURL((url) => url.searchParams.has('recorded'), { timeout: 60_000 });
		await hydrated(page);
		expect(await visitsStored()).toBe(1);
		expect(await page.getByTestId('visit-problem-row').count()).toBe(2);
		expect(await page.getByTestId('visit-investor').textContent()).toContain('供电局');
		expect(await page.getByTestId('visit-materials').textContent()).toContain(cardNo);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			TABLET.width
		);
		await screenshot(page, 'visit-recorded');
		problemNos = await page
			.getByTestId('visit-problem-row')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-problem-no')!));
		await context.close();
	});

	/** Signs in, opens a problem's page; `step` takes a step by its form and waits for it saved. */
	const onProblem = async (username: string, no: string) => {
		const { context, page } = await t.signedIn(username, PASSWORD);
		await open(page, `/problems/${no}`);
		const step = async (action: string, fill?: () => Promise<unknown>) => {
			await fill?.();
			await page.getByTestId(`problem-${action}`).click();
			await page.waitForURL((url) => url.searchParams.get('saved') === action);
			await hydrated(page);
		};
		const state = () => page.getByTestId('problem-state').getAttribute('data-state');
		const form = (action: string) => page.getByTestId(`problem-${action}-form`);
		return { context, page, step, state, form };
	};

	it('settles the narrow problem by the Brigade and closes it after a satisfied return visit', async () => {
		const s = await onProblem('visitor1', problemNos[0]!);
		await s.step('settle_by_brigade', () =>
			s.form('settle_by_brigade').locator('select[name="assignee"]').selectOption({ index: 1 })
		);
		expect(await s.state()).toBe('brigade');
		await s.step('settle', () =>
			s.form('settle').locator('textarea').fill('已协调环保部门加快审批，批复已下达')
		);
		expect(await s.state()).toBe('settled');
		await s.step('return_visit', () => s.page.getByTestId('problem-satisfied-yes').check());
		expect(await s.state()).toBe('closed');
		await s.context.close();
	});

	it("escalates the wide problem: a leader's instruction, two departments' reports, a return visit, closed", async () => {
		const wide = problemNos[1]!;
		let s = await onProblem('visitor1', wide);
		await s.step('escalate', () =>
			s.form('escalate').locator('select[name="leader"]').selectOption({ index: 1 })
		);
		expect(await s.state()).toBe('escalated');
		await s.context.close();

		s = await onProblem('leader1', wide);
		await s.step('instruct', () =>
			s
				.form('instruct')
				.locator('textarea')
				.fill('请行政审批局牵头、供电局配合，一个月内实现用电报装一窗受理')
		);
		expect(await s.state()).toBe('instructed');
		expect(
			await s.page
				.getByTestId('problem-department')
				.evaluateAll((l) => l.map((e) => e.getAttribute('data-code')).sort())
		).toEqual(['gdj', 'hzj']);
		await s.context.close();

		// Each department reports; the problem waits for the last one.
		for (const [code, after] of [
			['hzj', 'instructed'],
			['gdj', 'reported']
		] as const) {
			s = await onProblem(`liaison-${code}`, wide);
			expect(await s.page.content()).not.toContain(uscc);
			await s.step('report', () => s.form('report').locator('textarea').fill(`${code} 已落实`));
			expect(await s.state(), code).toBe(after);
			await s.context.close();
		}

		s = await onProblem('visitor1', wide);
		await s.step('return_visit', () => s.page.getByTestId('problem-satisfied-yes').check());
		expect(await s.state()).toBe('closed');
		await s.page.setViewportSize(TABLET);
		await screenshot(s.page, 'problem-closed');
		expect(await s.page.getByTestId('problem-history').textContent()).toBeTruthy();
		await s.context.close();
	});
});
