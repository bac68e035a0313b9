// A campaign's plan and life through the verbs the pages and the CLI call: targets (all, a
// category, hand-picked), quotas and progress counted in SQL, draft → active → closed with every
// change audited and every wrong step refused, and the page's data only for those who may learn
// of a campaign.
import { and, asc, eq, like } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { campaignPlanSchema } from '$lib/schemas/campaigns';
import { auditEntry, campaign } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';
import { makeDepartment, testActor } from '../factories';
import { makeResponse, makeResponses, retireAllDepartments } from '../factories/records';

const YEAR = 2026;
const admin = { role: 'admin' } as const;
const plan = (over: Record<string, unknown> = {}) =>
	campaignPlanSchema.parse({ weight: '1', targets: 'all', channels: ['phone', 'field'], ...over });

describeEachDatabase('campaigns', (t) => {
	beforeAll(async () => {
		await retireAllDepartments(t.db);
		await makeDepartment(t.db, { code: 'CM1', category: 'municipal' });
		await makeDepartment(t.db, { code: 'CM2', category: 'municipal' });
		await makeDepartment(t.db, { code: 'CV1', category: 'vertical' });
	});

	const create = (code: string, targets?: string) =>
		surveys.createCampaign(
			t.db,
			{
				code,
				year: YEAR,
				kind: 'public_evaluation',
				questionnaire: 'standard-appraisal',
				weight: '1',
				nameZh: undefined,
				nameEn: undefined,
				...(targets
					? {
							targets:
								targets === 'all' ? { targets: 'all', departments: [] } : parseTargets(targets)
						}
					: {})
			},
			testActor
		);
	const parseTargets = (raw: string) =>
		['municipal', 'vertical'].includes(raw)
			? { targets: raw as 'municipal' | 'vertical', departments: [] }
			: { targets: 'selected' as const, departments: raw.split(';') };
	const codes = async (code: string) =>
		(await surveys.campaignDetail(t.db, admin, code))!.departments.map((d) => d.code);

	it('starts as a draft asking about every department taking part in its year', async () => {
		const c = await create('c-all');
		expect(c).toMatchObject({ state: 'draft', targets: 'all' });
		expect(c.channels).toEqual(['field', 'phone', 'online', 'paper']);
		expect(await codes('c-all')).toEqual(['CM1', 'CM2', 'CV1']);
	});

	it('targets one category, or hand-picked departments (the command line’s --targets)', async () => {
		await create('c-mun', 'municipal');
		await create('c-ver', 'vertical');
		await create('c-sel', 'CV1;CM2');
		expect(await codes('c-mun')).toEqual(['CM1', 'CM2']);
		expect(await codes('c-ver')).toEqual(['CV1']);
		expect(await codes('c-sel')).toEqual(['CM2', 'CV1']);
		expect((await surveys.campaignDetail(t.db, admin, 'c-sel'))!.selected).toEqual(['CM2', 'CV1']);
		// An unknown code refuses the whole creation.
		expect(await refusalCode(create('c-bad', 'CM1;NOPE'))).toBe('campaign_target_unknown');
		expect(await t.db.select().from(campaign).where(eq(campaign.code, 'c-bad'))).toEqual([]);
	});

	it('changes a draft’s plan, audited with what changed', async () => {
		await create('c-plan');
		await surveys.updatePlan(
			t.db,
			'c-plan',
			plan({
				nameZh: '电话测评',
				weight: '0.5',
				opensOn: '2026-03-01',
				closesOn: '2026-04-30',
				channels: 'phone',
				targets: 'selected',
				departments: ['CM1', 'CV1']
			}),
			testActor
		);
		const d = (await surveys.campaignDetail(t.db, admin, 'c-plan'))!;
		expect(d.campaign).toMatchObject({
			nameZh: '电话测评',
			weight: '0.5000',
			opensOn: '2026-03-01',
			closesOn: '2026-04-30',
			channels: ['phone'],
			targets: 'selected'
		});
		expect(d.departments.map((x) => x.code)).toEqual(['CM1', 'CV1']);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'campaign.update'), eq(auditEntry.entityId, 'c-plan')));
		expect(entry!.changes).toMatchObject({
			channels: { before: 'field,phone,online,paper', after: 'phone' },
			targets: { before: 'all', after: 'selected' },
			departments: { before: '', after: 'CM1;CV1' }
		});
		expect(
			await refusalCode(
				surveys.updatePlan(t.db, 'c-plan', plan({ opensOn: '2025-12-01' }), testActor)
			)
		).toBe('campaign_dates_year');
		expect(
			await refusalCode(
				surveys.updatePlan(
					t.db,
					'c-plan',
					plan({ targets: 'selected', departments: ['X9'] }),
					testActor
				)
			)
		).toBe('campaign_target_unknown');
		expect(await refusalCode(surveys.updatePlan(t.db, 'nope', plan(), testActor))).toBe(
			'campaign_not_found'
		);
	});

	it('opens a draft and closes it, audited; refuses every other step', async () => {
		await create('c-life');
		expect(await refusalCode(surveys.changeState(t.db, 'c-life', 'close', testActor))).toBe(
			'campaign_not_active'
		);
		const opened = await surveys.changeState(t.db, 'c-life', 'open', testActor);
		expect(opened.state).toBe('active');
		expect(opened.openedAt).toBeInstanceOf(Date);
		// Running: the plan is frozen, the closing date and quotas may still move.
		expect(await refusalCode(surveys.updatePlan(t.db, 'c-life', plan(), testActor))).toBe(
			'campaign_not_draft'
		);
		await surveys.setClosingDate(t.db, 'c-life', '2026-11-30', testActor);
		await surveys.setQuotas(t.db, 'c-life', { departments: { CM1: 5 }, categories: {} }, testActor);
		expect(await refusalCode(surveys.changeState(t.db, 'c-life', 'open', testActor))).toBe(
			'campaign_not_draft'
		);
		const closed = await surveys.changeState(t.db, 'c-life', 'close', testActor);
		expect(closed).toMatchObject({ state: 'closed', closesOn: '2026-11-30' });
		expect(closed.closedAt).toBeInstanceOf(Date);
		// Closed for good.
		expect(await refusalCode(surveys.setClosingDate(t.db, 'c-life', null, testActor))).toBe(
			'campaign_closed'
		);
		expect(
			await refusalCode(
				surveys.setQuotas(t.db, 'c-life', { departments: {}, categories: {} }, testActor)
			)
		).toBe('campaign_closed');
		expect(await refusalCode(surveys.updatePlan(t.db, 'c-life', plan(), testActor))).toBe(
			'campaign_closed'
		);
		const entries = await t.db
			.select({ action: auditEntry.action, changes: auditEntry.changes })
			.from(auditEntry)
			.where(and(eq(auditEntry.entityId, 'c-life'), like(auditEntry.action, 'campaign.%')))
			.orderBy(asc(auditEntry.seq));
		expect(entries.map((e) => e.action)).toEqual([
			'campaign.create',
			'campaign.open',
			'campaign.update',
			'campaign.quotas',
			'campaign.close'
		]);
		expect(entries[4]!.changes).toEqual({ state: { before: 'active', after: 'closed' } });
	});

	it('does not open a hand-picked campaign with no department picked', async () => {
		await create('c-empty');
		await surveys.updatePlan(t.db, 'c-empty', plan({ targets: 'selected' }), testActor);
		expect(await refusalCode(surveys.changeState(t.db, 'c-empty', 'open', testActor))).toBe(
			'campaign_no_targets'
		);
	});

	it('counts progress against quotas per department, voided responses left out', async () => {
		const c = await create('c-prog');
		await surveys.setQuotas(
			t.db,
			'c-prog',
			{ departments: { CM1: 4 }, categories: { municipal: 10, vertical: 2 } },
			testActor
		);
		await makeResponses(t.db, c.id, 'CM1', [5, 5, 5, 5, 5, 5], 3);
		await makeResponse(t.db, { campaignId: c.id, answers: { CM1: [4], CV1: [3] } });
		await makeResponse(t.db, { campaignId: c.id, answers: { CV1: [1] }, voided: true });
		const d = (await surveys.campaignDetail(t.db, admin, 'c-prog'))!;
		expect(d.departments.map((x) => [x.code, x.quota, x.ownQuota, x.responses])).toEqual([
			['CM1', 4, 4, 4],
			['CM2', 10, null, 0],
			['CV1', 2, null, 1]
		]);
		expect(d.categoryQuotas).toEqual({ municipal: 10, vertical: 2 });
		expect(d.responses).toEqual({ total: 4, byChannel: { paper: 4 } });
		// Replacing the quotas drops those not sent again.
		await surveys.setQuotas(
			t.db,
			'c-prog',
			{ departments: {}, categories: { vertical: 3 } },
			testActor
		);
		const again = (await surveys.campaignDetail(t.db, admin, 'c-prog'))!;
		expect(again.departments.map((x) => x.quota)).toEqual([null, null, 3]);
	});

	it('shows a campaign only to those who may learn of it, whatever its state', async () => {
		await create('c-secret');
		for (const role of ['admin', 'supervisor', 'leader'] as const)
			expect(await surveys.campaignDetail(t.db, { role }, 'c-secret')).not.toBeNull();
		for (const role of ['liaison', 'enterprise', 'public'] as const)
			expect(await surveys.campaignDetail(t.db, { role }, 'c-secret')).toBeNull();
		await surveys.changeState(t.db, 'c-secret', 'open', testActor);
		await surveys.changeState(t.db, 'c-secret', 'close', testActor);
		// Closed: a liaison's view is its own department's aggregates, never this page's plan.
		expect(await surveys.campaignDetail(t.db, { role: 'liaison' }, 'c-secret')).toBeNull();
	});
});
