// The supervisors' consoles on both databases: the phone console's queue (call-backs due first,
// then units never called, then the others; later call-backs last; finished units out), calls
// recorded with their audit entries, only by the unit's supervisor (or an admin), an interview
// stored once per response key with its attempt; RR1 from the calls; an on-site appraisal keeps
// its visit and enterprise; a paper sheet keyed in under its number; inactive campaigns and
// channels the campaign does not take are refused.
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALL_OUTCOMES } from '$lib/domain/phone';
import type { Principal } from '$lib/server/auth/guard';
import {
	auditEntry,
	callAttempt,
	callOutcome,
	campaign,
	enterprise,
	surveyResponse
} from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, makeUser, principalOf as principal, testActor } from '../factories';
import {
	makeCampaign,
	retireAllDepartments,
	standardAnswers as answers
} from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';

const HOUR = 3_600_000;

it('knows the call outcomes the database knows', () => {
	expect(callOutcome.enumValues).toEqual([...CALL_OUTCOMES]);
});

describeEachDatabase('the consoles', (t) => {
	let code = '';
	let campaignId = 0;
	let sup: Principal;
	let other: Principal;
	let admin: Principal;
	let units: { id: number; enterpriseId: number | null }[] = [];
	// Inside the campaign's year whatever day the tests run.
	const now = new Date(Date.UTC(new Date().getUTCFullYear(), 5, 15, 2, 0, 0));

	beforeAll(async () => {
		await retireAllDepartments(t.db);
		for (const d of ['CA', 'CB']) await makeDepartment(t.db, { code: d });
		const c = await makeCampaign(t.db, { year: now.getUTCFullYear(), kind: 'enterprise_visit' });
		code = c.code;
		campaignId = c.id;
		units = await makeSample(t.db, c.id, { units: 6, prefix: '控制台企业' });
		await setCampaignState(t.db, c.id, 'active');
		const s = await makeUser(t.db, { role: 'supervisor' });
		const o = await makeUser(t.db, { role: 'supervisor' });
		const a = await makeUser(t.db, { role: 'admin' });
		sup = principal(s.id, 'supervisor');
		other = principal(o.id, 'supervisor');
		admin = principal(a.id, 'admin');
		await surveys.assignUnits(
			t.db,
			code,
			{ unitIds: units.slice(0, 5).map((u) => u.id) },
			s.id,
			testActor
		);
		await surveys.assignUnits(t.db, code, { unitIds: [units[5]!.id] }, o.id, testActor);
	});

	const attempt = (
		p: Principal,
		unit: number,
		outcome: Parameters<typeof surveys.recordAttempt>[2]['outcome'],
		at: Date,
		callbackAt?: Date
	) =>
		surveys.recordAttempt(
			t.db,
			p,
			{ campaignCode: code, unitId: unit, outcome, callbackAt },
			testActor,
			at
		);

	it('queues the supervisor’s units, never-called ones in draw order, masked', async () => {
		const q = await surveys.callQueue(t.db, sup, code, { now });
		expect(q.total).toBe(5);
		expect(q.rows.map((r) => r.id)).toEqual(units.slice(0, 5).map((u) => u.id));
		expect(q.rows.every((r) => r.state === 'new' && r.phone === '138****5678')).toBe(true);
		// The other supervisor's unit is not in this queue; an admin's queue has them all.
		expect((await surveys.callQueue(t.db, other, code, { now })).rows.map((r) => r.id)).toEqual([
			units[5]!.id
		]);
		expect((await surveys.callQueue(t.db, admin, code, { now })).total).toBe(6);
	});

	it('records calls audited, and orders the queue: due call-backs, new, others, later', async () => {
		const [u0, u1, u2, u3] = units.map((u) => u.id);
		await attempt(sup, u0!, 'no_answer', new Date(now.getTime() - 3 * HOUR));
		await attempt(
			sup,
			u1!,
			'callback',
			new Date(now.getTime() - 2 * HOUR),
			new Date(now.getTime() - HOUR)
		);
		await attempt(
			sup,
			u2!,
			'callback',
			new Date(now.getTime() - 2 * HOUR),
			new Date(now.getTime() + HOUR)
		);
		await attempt(sup, u3!, 'refused', new Date(now.getTime() - HOUR));
		const q = await surveys.callQueue(t.db, sup, code, { now });
		expect(q.rows.map((r) => [r.id, r.state])).toEqual([
			[u1, 'due'],
			[units[4]!.id, 'new'],
			[u0, 'retry'],
			[u2, 'later']
		]);
		expect(q.due).toBe(1);
		// An hour and a minute later the second call-back is due as well, after the first.
		const later = await surveys.callQueue(t.db, sup, code, {
			now: new Date(now.getTime() + HOUR + 60_000)
		});
		expect(later.rows.slice(0, 2).map((r) => [r.id, r.state])).toEqual([
			[u1, 'due'],
			[u2, 'due']
		]);
		const audited = await t.db
			.select({ entityId: auditEntry.entityId })
			.from(auditEntry)
			.where(eq(auditEntry.action, 'phone.attempt'));
		expect(audited.map((a) => Number(a.entityId)).sort()).toEqual([u0, u1, u2, u3].sort());
	});

	it('refuses a call-back in the past, a finished unit, and a unit not the caller’s', async () => {
		const [u0, , , u3] = units.map((u) => u.id);
		expect(await refusalCode(attempt(sup, u0!, 'callback', now, new Date(now.getTime() - 1)))).toBe(
			'phone_callback_past'
		);
		expect(await refusalCode(attempt(sup, u0!, 'callback', now))).toBe('required');
		expect(await refusalCode(attempt(sup, u3!, 'busy', now))).toBe('phone_unit_done');
		expect(await refusalCode(attempt(other, u0!, 'busy', now))).toBe('phone_not_assigned');
		// A unit of no campaign at all is refused the same way.
		expect(await refusalCode(attempt(other, 999_999, 'busy', now))).toBe('phone_not_assigned');
		expect(
			await refusalCode(
				surveys.completeInterview(
					t.db,
					other,
					{
						campaignCode: code,
						unitId: u0!,
						outcome: 'completed',
						response_key: 'x-1',
						answers: answers('CA')
					},
					testActor,
					now
				)
			)
		).toBe('phone_not_assigned');
		const [n] = await t.db
			.select({ n: sql<number>`count(*)::int` })
			.from(callAttempt)
			.where(eq(callAttempt.sampleUnitId, u0!));
		expect(n!.n).toBe(1);
	});

	it('completes an interview once per response key: the response and its attempt', async () => {
		const u1 = units[1]!;
		const input = {
			campaignCode: code,
			unitId: u1.id,
			outcome: 'completed' as const,
			response_key: 'phone-u1',
			answers: answers('CA', 'CB')
		};
		const first = await surveys.completeInterview(t.db, sup, input, testActor, now);
		expect(first.created).toBe(true);
		expect(first.response.channel).toBe('phone');
		// Sent again a little later (the page resending): the same response, nothing more.
		const again = await surveys.completeInterview(
			t.db,
			sup,
			input,
			testActor,
			new Date(now.getTime() + 5000)
		);
		expect(again).toMatchObject({ created: false, response: { id: first.response.id } });
		const [stored] = await t.db
			.select()
			.from(surveyResponse)
			.where(eq(surveyResponse.responseKey, 'phone-u1'));
		expect(stored).toMatchObject({ interviewerId: sup.id, enterpriseId: u1.enterpriseId });
		const calls = await t.db
			.select()
			.from(callAttempt)
			.where(and(eq(callAttempt.sampleUnitId, u1.id), eq(callAttempt.outcome, 'completed')));
		expect(calls).toHaveLength(1);
		expect(calls[0]!.responseId).toBe(first.response.id);
		// The unit leaves the queue; another interview of it is refused.
		const q = await surveys.callQueue(t.db, sup, code, { now });
		expect(q.rows.map((r) => r.id)).not.toContain(u1.id);
		expect(
			await refusalCode(
				surveys.completeInterview(
					t.db,
					sup,
					{ ...input, response_key: 'phone-u1-b' },
					testActor,
					now
				)
			)
		).toBe('phone_unit_done');
		// A key another response holds is a conflict, not a second response.
		expect(
			await refusalCode(
				surveys.completeInterview(t.db, sup, { ...input, unitId: units[4]!.id }, testActor, now)
			)
		).toBe('response_key_conflict');
	});

	it('computes RR1 from the units’ final outcomes', async () => {
		// Units: u0 no answer (UH), u1 completed (I), u2 call-back (NC), u3 refused (R),
		// u4 never called (UH), u5 never called (UH): 1 / 6.
		await attempt(sup, units[4]!.id, 'wrong_number', now);
		// u4 now wrong number (NE): 1 / 5.
		const rate = (await surveys.responseRates(t.db, [campaignId])).get(campaignId)!;
		expect(rate.dispositions).toMatchObject({ I: 1, R: 1, NC: 1, UH: 2, NE: 1, P: 0 });
		expect(rate.rr1).toBeCloseTo(1 / 5, 12);
		const which = { id: campaignId, code };
		const satisfaction = await surveys.campaignSatisfaction(t.db, { role: 'supervisor' }, which);
		const rates = [...satisfaction.values()];
		expect(rates).toHaveLength(2);
		// Levels 5 4 3 5 4 (0 not counted): all five at 3–5.
		expect(rates.every((r) => r.responses === 1 && r.satisfactionRate === 1)).toBe(true);
		expect(rates.every((r) => !r.withheld)).toBe(true);
		// A leader learns the count, not the figures of a group under five.
		const forLeader = [
			...(await surveys.campaignSatisfaction(t.db, { role: 'leader' }, which)).values()
		];
		expect(forLeader).toEqual(
			rates.map((r) => ({ ...r, mean: null, satisfactionRate: null, withheld: true }))
		);
	});

	it('stores an on-site appraisal with its visit and enterprise, once', async () => {
		const [e] = await t.db
			.select({ id: enterprise.id, uscc: enterprise.uscc })
			.from(enterprise)
			.where(eq(enterprise.id, units[0]!.enterpriseId!));
		const input = {
			campaignCode: code,
			uscc: e!.uscc,
			visitId: 'V-2026-001',
			response_key: 'field-1',
			answers: answers('CB')
		};
		const r = await surveys.submitFieldResponse(t.db, sup, input, now);
		expect(r.created).toBe(true);
		const again = await surveys.submitFieldResponse(
			t.db,
			sup,
			input,
			new Date(now.getTime() + 60_000)
		);
		expect(again.created).toBe(false);
		const [stored] = await t.db
			.select()
			.from(surveyResponse)
			.where(eq(surveyResponse.responseKey, 'field-1'));
		expect(stored).toMatchObject({
			channel: 'field',
			visitId: 'V-2026-001',
			enterpriseId: e!.id,
			interviewerId: sup.id
		});
		expect(
			await refusalCode(
				surveys.submitFieldResponse(
					t.db,
					sup,
					{ ...input, uscc: '91330100MA00000000', response_key: 'field-2' },
					now
				)
			)
		).toBe('console_enterprise_unknown');
	});

	it('keys a paper sheet under its number; the same number with other answers conflicts', async () => {
		const input = { campaignCode: code, response_key: '0007', answers: answers('CA') };
		const r = await surveys.submitPaperResponse(t.db, sup, input, now);
		expect(r).toMatchObject({
			created: true,
			response: { channel: 'paper', response_key: `paper:${code}:0007` }
		});
		expect((await surveys.submitPaperResponse(t.db, sup, input, now)).created).toBe(false);
		const changed = answers('CA').map((a, i) => (i === 0 ? { ...a, answer: 1 } : a));
		expect(
			await refusalCode(surveys.submitPaperResponse(t.db, sup, { ...input, answers: changed }, now))
		).toBe('response_key_conflict');
	});

	describe('a campaign that does not take the channel, or is not active', () => {
		it('is refused', async () => {
			await t.db
				.update(campaign)
				.set({ channels: ['online', 'field'] })
				.where(eq(campaign.id, campaignId));
			expect(await refusalCode(surveys.callQueue(t.db, sup, code, { now }))).toBe(
				'console_channel'
			);
			expect(
				await refusalCode(
					surveys.submitPaperResponse(
						t.db,
						sup,
						{ campaignCode: code, response_key: '9', answers: answers('CA') },
						now
					)
				)
			).toBe('console_channel');
			await setCampaignState(t.db, campaignId, 'closed');
			expect(await refusalCode(surveys.consoleForm(t.db, code, 'field'))).toBe(
				'console_not_active'
			);
		});
	});
});
