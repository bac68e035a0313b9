// The complaint workflow on both databases: the public form (numbered, a tracking code shown
// once and kept hashed, nobody's identity in the trail, throttled per address), the tracking
// page (a wrong number or code refused alike), every step from intake to closure with its audit
// entry, who may take which step and see what, the department's late response derived from the
// working-day calendar, and the worklist's deadlines in SQL against the domain's complaintDue.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { complaintDue, DEFAULT_COMPLAINT_DEADLINES } from '$lib/domain/complaints';
import { addDays, calendarOf, localDate } from '$lib/domain/working-days';
import { complaintFormSchema } from '$lib/schemas/complaint-workflow';
import { rows } from '$lib/server/db';
import { calendarDay, complaint } from '$lib/server/db/schema';
import * as complaints from '$lib/server/complaints';
import { makeDepartment, makeUser, principalOf, testActor } from '../factories';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';

const form = (department: string, over: Record<string, unknown> = {}) =>
	complaintFormSchema.parse({
		department_code: department,
		category: 'arbitrary_fees',
		summary: '办理营业执照时被多次收取资料费',
		name: '张三丰',
		contact: '13812345678',
		...over
	});

/** A local instant: `2026-10-12 10:00` in Shanghai. */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);

describeEachDatabase('the complaint workflow', (t) => {
	let dept: { id: number; code: string };
	let other: { id: number; code: string };
	let supervisor: { id: number };
	let supervisor2: { id: number };
	const liaisons = new Map<number, number>();
	/** The liaison of a department (`_n`: which test asks, for the reader). */
	const liaisonOf = (_n: number, departmentId: number) => ({
		...principalOf(liaisons.get(departmentId)!, 'liaison'),
		departmentId
	});

	beforeAll(async () => {
		dept = await makeDepartment(t.db);
		other = await makeDepartment(t.db);
		supervisor = await makeUser(t.db, { role: 'supervisor' });
		supervisor2 = await makeUser(t.db, { role: 'supervisor' });
		for (const d of [dept, other])
			liaisons.set(d.id, (await makeUser(t.db, { role: 'liaison', departmentCode: d.code })).id);
		// National Day 2026: weekday holidays 1, 2, 5–7 October; Saturday 10 October worked.
		await t.db
			.insert(calendarDay)
			.values([
				...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({
					date,
					kind: 'holiday' as const
				})),
				{ date: '2026-10-10', kind: 'workday' as const }
			])
			.onConflictDoNothing();
	});

	it('takes a complaint from the form: a number, a tracking code kept hashed, no identity in the trail', async () => {
		const filed = await complaints.fileComplaint(t.db, form(dept.code), {
			address: '10.20.0.1',
			now: at('2026-09-28')
		});
		expect(filed.complaintNo).toMatch(/^TS2026-\d{6}$/);
		expect(filed.trackingCode).toMatch(/^[A-Z2-7]{16}$/);
		const [c] = await t.db
			.select()
			.from(complaint)
			.where(eq(complaint.complaintNo, filed.complaintNo));
		expect(c).toMatchObject({ state: 'received', channel: 'online', complainantName: '张三丰' });
		expect(c!.trackingHash).toBe(complaints.hashTrackingCode(filed.trackingCode));
		const trail = await rows<{ row: string }>(
			t.db,
			sql`select row_to_json(a)::text as row from audit_entry a
				where entity = 'complaint' and entity_id = ${filed.complaintNo}`
		);
		expect(trail).toHaveLength(1);
		for (const secret of ['张三丰', '13812345678', filed.trackingCode])
			expect(trail[0]!.row).not.toContain(secret);
	});

	it('refuses a named complaint without a name, and keeps no name on an anonymous one', () => {
		expect(complaintFormSchema.safeParse({ ...form(dept.code), name: '' }).success).toBe(false);
		const anonymous = form(dept.code, { anonymous: 'on', name: '李四' });
		expect(anonymous.name).toBeUndefined();
	});

	it('throttles one address that files again and again', async () => {
		const now = at('2026-09-28', '11:00');
		for (let i = 0; i < 5; i++)
			await complaints.fileComplaint(t.db, form(dept.code), { address: '10.20.0.2', now });
		expect(
			await refusalCode(
				complaints.fileComplaint(t.db, form(dept.code), { address: '10.20.0.2', now })
			)
		).toBe('complaint_throttled');
		// Another address is not held back.
		await complaints.fileComplaint(t.db, form(dept.code), { address: '10.20.0.3', now });
	});

	it('tracks a complaint by its number and code, and refuses any wrong pair alike', async () => {
		const a = await complaints.fileComplaint(t.db, form(dept.code), {
			address: '10.20.0.4',
			now: at('2026-09-29')
		});
		const b = await complaints.fileComplaint(t.db, form(dept.code), {
			address: '10.20.0.4',
			now: at('2026-09-29')
		});
		const seen = await complaints.trackComplaint(
			t.db,
			{ no: a.complaintNo, code: a.trackingCode.toLowerCase().replace(/(.{4})/g, '$1-') },
			{ address: '10.20.0.5' }
		);
		expect(seen).toMatchObject({ complaintNo: a.complaintNo, stage: 'received', answer: null });
		expect(JSON.stringify(seen)).not.toContain('张三丰');
		for (const wrong of [
			{ no: a.complaintNo, code: b.trackingCode },
			{ no: 'TS2026-999999', code: a.trackingCode },
			{ no: a.complaintNo, code: 'A'.repeat(16) }
		])
			expect(
				await refusalCode(complaints.trackComplaint(t.db, wrong, { address: '10.20.0.6' }))
			).toBe('complaint_tracking_invalid');
	});

	it('goes from intake to closure, each step audited, the answer on the tracking page', async () => {
		const admin = principalOf(null, 'admin');
		const sup = principalOf(supervisor.id, 'supervisor');
		const filed = await complaints.enterComplaint(
			t.db,
			sup,
			{ form: form(dept.code), channel: 'hotline', received_at: at('2026-09-28') },
			testActor
		);
		const no = filed.complaintNo;
		const step = <A extends Parameters<typeof complaints.actOnComplaint>[3]>(
			who: typeof sup,
			action: A,
			input: Parameters<typeof complaints.actOnComplaint<A>>[4],
			day: string
		) => complaints.actOnComplaint(t.db, who, no, action, input, testActor, at(day));
		expect((await step(sup, 'accept', {}, '2026-09-29')).state).toBe('accepted');
		expect((await step(admin, 'assign', { assignee: supervisor.id }, '2026-09-29')).state).toBe(
			'investigating'
		);
		expect(
			(await step(sup, 'request_response', { note: '请核实收费依据' }, '2026-09-30')).state
		).toBe('response_requested');
		// The department's deadline has not passed: no conclusion without its answer.
		expect(
			await refusalCode(
				step(sup, 'conclude', { verdict: 'partial', findings: '部分属实' }, '2026-10-09')
			)
		).toBe('complaint_response_pending');
		// Another department's liaison knows nothing of it; a liaison does not accept or conclude.
		expect(
			await refusalCode(
				step(liaisonOf(9001, other.id), 'respond', { response: '不是我们' }, '2026-10-08')
			)
		).toBe('complaint_not_found');
		// Answered on the 5th working day after the request (8, 9, 10, 12, 13 October): on time.
		const liaison = liaisonOf(9002, dept.id);
		expect(
			(await step(liaison, 'respond', { response: '已退还重复收取的费用' }, '2026-10-13')).state
		).toBe('responded');
		expect(await refusalCode(step(liaison, 'close', {}, '2026-10-13'))).toBe('complaint_forbidden');
		expect(
			(await step(sup, 'conclude', { verdict: 'partial', findings: '重复收费属实' }, '2026-10-14'))
				.state
		).toBe('concluded');
		await step(
			sup,
			'sanction',
			{ kind: 'efficiency_warning', decided_on: '2026-10-15' },
			'2026-10-15'
		);
		await step(
			sup,
			'give_feedback',
			{ feedback: '经查部分属实，已责令退费并效能告诫。' },
			'2026-10-16'
		);
		expect((await step(sup, 'close', {}, '2026-10-17')).state).toBe('closed');
		expect(await refusalCode(step(sup, 'close', {}, '2026-10-17'))).toBe(
			'complaint_action_not_allowed'
		);

		const view = await complaints.getComplaint(t.db, sup, no, at('2026-10-18'));
		expect(view).toMatchObject({
			state: 'closed',
			verdict: 'partial',
			responseLate: false,
			sanctions: [{ kind: 'efficiency_warning', decidedOn: '2026-10-15' }],
			actions: []
		});
		const tracked = await complaints.trackComplaint(
			t.db,
			{ no, code: filed.trackingCode },
			{ address: '10.20.0.7' }
		);
		expect(tracked).toMatchObject({
			stage: 'closed',
			verdict: 'partial',
			answer: '经查部分属实，已责令退费并效能告诫。'
		});
		expect(JSON.stringify(tracked)).not.toContain('重复收费属实');
		const trail = await rows<{ action: string }>(
			t.db,
			sql`select action from audit_entry where entity = 'complaint' and entity_id = ${no} order by seq`
		);
		expect(trail.map((e) => e.action)).toEqual([
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
	});

	it('counts a department response late by the working-day calendar, and concludes without it once overdue', async () => {
		const sup = principalOf(supervisor.id, 'supervisor');
		const make = async () => {
			const { complaintNo } = await complaints.enterComplaint(
				t.db,
				sup,
				{ form: form(dept.code), channel: 'letter', received_at: at('2026-09-28') },
				testActor
			);
			for (const [action, input] of [
				['accept', {}],
				['assign', { assignee: supervisor.id }],
				['request_response', {}]
			] as const)
				await complaints.actOnComplaint(
					t.db,
					sup,
					complaintNo,
					action,
					input,
					testActor,
					at('2026-09-30')
				);
			return complaintNo;
		};
		const late = await make();
		await complaints.actOnComplaint(
			t.db,
			liaisonOf(9003, dept.id),
			late,
			'respond',
			{ response: '迟到的答复' },
			testActor,
			at('2026-10-14')
		);
		expect((await complaints.getComplaint(t.db, sup, late)).responseLate).toBe(true);
		const never = await make();
		await complaints.actOnComplaint(
			t.db,
			sup,
			never,
			'conclude',
			{ verdict: 'substantiated', findings: '部门未答复，经查属实' },
			testActor,
			at('2026-10-14')
		);
		expect((await complaints.getComplaint(t.db, sup, never)).responseLate).toBe(true);
	});

	/** A complaint the supervisor took at the counter, accepted and assigned to `supervisor`. */
	async function enteredAndAssigned(
		sup: ReturnType<typeof principalOf>,
		f: ReturnType<typeof form>
	) {
		const { complaintNo: no } = await complaints.enterComplaint(
			t.db,
			sup,
			{ form: f, channel: 'walk_in' },
			testActor
		);
		await complaints.actOnComplaint(t.db, sup, no, 'accept', {}, testActor);
		await complaints.actOnComplaint(
			t.db,
			sup,
			no,
			'assign',
			{ assignee: supervisor.id },
			testActor
		);
		return no;
	}

	it('shows the complainant whole to admins and the handling supervisor, masked to others, never to a liaison', async () => {
		const sup = principalOf(supervisor.id, 'supervisor');
		const no = await enteredAndAssigned(sup, form(dept.code));
		const seen = async (p: Parameters<typeof complaints.getComplaint>[1]) =>
			(await complaints.getComplaint(t.db, p, no)).complainant;
		expect(await seen(principalOf(null, 'admin'))).toEqual({
			name: '张三丰',
			contact: '13812345678'
		});
		expect(await seen(sup)).toEqual({ name: '张三丰', contact: '13812345678' });
		expect(await seen(principalOf(supervisor2.id, 'supervisor'))).toEqual({
			name: '张**',
			contact: '138****5678'
		});
		expect(await seen(principalOf(null, 'leader'))).toEqual({
			name: '张**',
			contact: '138****5678'
		});
		const liaisonView = await complaints.getComplaint(t.db, liaisonOf(9004, dept.id), no);
		expect(liaisonView.complainant).toBeNull();
		expect(JSON.stringify(liaisonView)).not.toContain('13812345678');
		expect(await refusalCode(complaints.getComplaint(t.db, liaisonOf(9005, other.id), no))).toBe(
			'complaint_not_found'
		);
		expect(
			await refusalCode(complaints.getComplaint(t.db, principalOf(9006, 'enterprise'), no))
		).toBe('complaint_not_found');
	});

	it('masks phone and ID numbers typed into the texts for whoever may not see who complained', async () => {
		const sup = principalOf(supervisor.id, 'supervisor');
		const phone = '13912345678';
		const id = '350102199001011234';
		const no = await enteredAndAssigned(
			sup,
			form(dept.code, { summary: `多收费，请回电 ${phone}，身份证 ${id}` })
		);
		await complaints.actOnComplaint(
			t.db,
			sup,
			no,
			'request_response',
			{ note: `联系人电话 0591-87654321，投诉人 ${phone}` },
			testActor
		);
		const liaison = liaisonOf(9007, dept.id);
		await complaints.actOnComplaint(
			t.db,
			liaison,
			no,
			'respond',
			{ response: `已联系 ${phone}` },
			testActor
		);
		const whole = async (p: Parameters<typeof complaints.getComplaint>[1]) => {
			const view = JSON.stringify(await complaints.getComplaint(t.db, p, no));
			const listed = await complaints.list(t.db, p, { departmentId: dept.id }, 1, 500);
			return { view, summary: listed.rows.find((r) => r.complaintNo === no)!.summary };
		};
		for (const p of [principalOf(null, 'admin'), sup]) {
			const { view, summary } = await whole(p);
			expect(view).toContain(phone);
			expect(view).toContain(id);
			expect(view).toContain('0591-87654321');
			expect(summary).toContain(phone);
		}
		for (const p of [
			principalOf(supervisor2.id, 'supervisor'),
			principalOf(null, 'leader'),
			liaison
		]) {
			const { view, summary } = await whole(p);
			for (const secret of [phone, id, '87654321', '19900101']) {
				expect(view).not.toContain(secret);
				expect(summary).not.toContain(secret);
			}
			expect(summary).toBe('多收费，请回电 139****5678，身份证 3501************34');
		}
		// The trail, for those who see it, masked alike; a liaison gets none.
		const leaderView = await complaints.getComplaint(t.db, principalOf(null, 'leader'), no);
		const asked = leaderView.history.find((h) => h.action === 'complaint.request_response');
		expect(asked?.changes.note?.after).toBe('联系人电话 059*****4321，投诉人 139****5678');
		expect((await complaints.getComplaint(t.db, liaison, no)).history).toEqual([]);
		const adminView = await complaints.getComplaint(t.db, principalOf(null, 'admin'), no);
		expect(
			adminView.history.find((h) => h.action === 'complaint.request_response')?.changes.note?.after
		).toBe(`联系人电话 0591-87654321，投诉人 ${phone}`);
	});

	it('lists an enterprise account its own complaints, as the tracking page shows them', async () => {
		const account = await makeUser(t.db, { role: 'enterprise' });
		const mine = await complaints.fileComplaint(t.db, form(dept.code), {
			address: '10.20.0.8',
			filedBy: { id: account.id, label: 'e' }
		});
		const theirs = await complaints.fileComplaint(t.db, form(dept.code), { address: '10.20.0.9' });
		const listed = await complaints.ownComplaints(t.db, principalOf(account.id, 'enterprise'));
		expect(listed.map((c) => c.complaintNo)).toEqual([mine.complaintNo]);
		expect(listed[0]).toMatchObject({ stage: 'received', answer: null });
		expect(JSON.stringify(listed)).not.toContain('13812345678');
		expect(await complaints.ownComplaints(t.db, principalOf(supervisor.id, 'supervisor'))).toEqual(
			[]
		);
		// Its own complaint's page, too; another's does not exist for it.
		const me = principalOf(account.id, 'enterprise');
		expect((await complaints.getComplaint(t.db, me, mine.complaintNo)).complainant).toEqual({
			name: '张三丰',
			contact: '13812345678'
		});
		expect(await refusalCode(complaints.getComplaint(t.db, me, theirs.complaintNo))).toBe(
			'complaint_not_found'
		);
	});

	it('refuses a complaints file that names a complaint taken in here, and changes nothing', async () => {
		const sup = principalOf(supervisor.id, 'supervisor');
		const { complaintNo } = await complaints.enterComplaint(
			t.db,
			sup,
			{ form: form(dept.code), channel: 'hotline' },
			testActor
		);
		const row = {
			complaint_no: complaintNo,
			department_code: other.code,
			received_at: '2026-03-02 09:15',
			channel: '12345',
			category: '办事效率',
			verdict: 'unfounded',
			concluded_at: '2026-03-10 16:00',
			response_late: 'false',
			summary: '覆盖'
		};
		expect(
			await refusalCode(
				complaints.upsertRows(
					t.db,
					[row],
					{ locale: 'en', requestId: 'w-import', sha256: 'x' },
					testActor
				)
			)
		).toBe('complaint_import_handled_here');
		const [c] = await t.db.select().from(complaint).where(eq(complaint.complaintNo, complaintNo));
		expect(c).toMatchObject({ departmentId: dept.id, verdict: null, state: 'received' });
	});

	describe('the worklist', () => {
		it('times every open complaint as complaintDue does, overdue first', async () => {
			const sup = principalOf(supervisor.id, 'supervisor');
			const start = '2026-09-20';
			for (let i = 0; i < 12; i++) {
				const received = addDays(start, i * 2);
				const { complaintNo } = await complaints.enterComplaint(
					t.db,
					sup,
					{ form: form(other.code), channel: 'hotline', received_at: at(received) },
					testActor
				);
				const plan = (['accept', 'assign', 'request_response', 'respond'] as const).slice(0, i % 5);
				for (const action of plan)
					await complaints.actOnComplaint(
						t.db,
						action === 'respond' ? liaisonOf(9007, other.id) : sup,
						complaintNo,
						action,
						(action === 'assign'
							? { assignee: supervisor.id }
							: action === 'respond'
								? { response: '答复' }
								: {}) as never,
						testActor,
						at(addDays(received, 1 + plan.indexOf(action)))
					);
				if (i === 7)
					await complaints.actOnComplaint(
						t.db,
						sup,
						complaintNo,
						'extend',
						{ reason: '案情复杂' },
						testActor,
						at(addDays(received, 3))
					);
			}
			const now = at('2026-10-21');
			const { rows: list } = await complaints.worklist(
				t.db,
				sup,
				{ page: 1, pageSize: 200, all: true },
				now
			);
			const mine = list.filter((r) => r.departmentCode === other.code);
			expect(mine.length).toBeGreaterThanOrEqual(12);
			// Overdue first: days left never decrease down the list.
			for (let i = 1; i < list.length; i++)
				expect(list[i]!.daysLeft).toBeGreaterThanOrEqual(list[i - 1]!.daysLeft);
			const cal = calendarOf(
				await t.db.select({ date: calendarDay.date, kind: calendarDay.kind }).from(calendarDay)
			);
			for (const r of mine) {
				const [c] = await t.db
					.select()
					.from(complaint)
					.where(eq(complaint.complaintNo, r.complaintNo));
				const d = (x: Date | null) => (x === null ? null : localDate(x));
				const due = complaintDue(
					c!.state!,
					{
						received: localDate(c!.receivedAt),
						accepted: d(c!.acceptedAt),
						responseRequested: d(c!.responseRequestedAt),
						responded: d(c!.respondedAt),
						concluded: d(c!.concludedAt)
					},
					{ ...DEFAULT_COMPLAINT_DEADLINES },
					c!.extendedAt !== null,
					localDate(now),
					cal
				);
				expect(r.step).toBe(due.next!.step);
				expect(r.daysLeft < 0).toBe(due.next!.overdue);
			}
		});

		it('gives a liaison its own department’s, and a leader none', async () => {
			const { rows: list } = await complaints.worklist(t.db, liaisonOf(9008, other.id), {
				page: 1,
				pageSize: 200
			});
			expect(list.length).toBeGreaterThan(0);
			expect(list.every((r) => r.departmentCode === other.code)).toBe(true);
			expect(
				(await complaints.worklist(t.db, principalOf(null, 'leader'), { page: 1, pageSize: 10 }))
					.rows
			).toEqual([]);
		});
	});
});
