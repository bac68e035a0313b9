// The problems raised on enterprise visits on both databases: numbered and audited when raised;
// each path to closure (the Brigade's, with an unsatisfied return visit sending it back; a city
// leader's instruction to two departments, the last report moving it on); refusals by state and
// by who acts; the conversion into a complaint and a finding, linked both ways; what each role
// sees (a liaison only what its department was assigned, never the enterprise's contact); and the
// list's order, overdue first, with the SQL overdue rule against the domain's.
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import {
	OPEN_PROBLEM_STATES,
	PROBLEM_STATES,
	problemOverdue,
	type ProblemState
} from '$lib/domain/visit-problems';
import { rows } from '$lib/server/db';
import {
	auditEntry,
	calendarDay,
	complaint,
	finding,
	visitProblem,
	visitProblemDepartment
} from '$lib/server/db/schema';
import * as visits from '$lib/server/visits';
import { problemSchema } from '$lib/schemas/problems';
import { makeDepartment, makeUser, principalOf, testActor } from '../factories';
import { makeEnterprise, makeVisit, raiseOn } from '../factories/visits';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';

/** A local instant: `2026-03-02 10:00` in Shanghai. */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);

describeEachDatabase('visit problems', (t) => {
	let deptA: { id: number; code: string };
	let deptB: { id: number; code: string };
	let deptC: { id: number; code: string };
	let sup: ReturnType<typeof principalOf>;
	let sup2: ReturnType<typeof principalOf>;
	let leader: ReturnType<typeof principalOf>;
	let leaderName = '';
	let leader2: ReturnType<typeof principalOf>;
	const admin = principalOf(null, 'admin');
	const liaisons = new Map<number, ReturnType<typeof principalOf>>();
	const liaisonOf = (d: { id: number }) => liaisons.get(d.id)!;
	let ent: { id: number };
	let otherEnt: { id: number };
	let entUser: ReturnType<typeof principalOf>;
	let otherEntUser: ReturnType<typeof principalOf>;
	const act = visits.actOnProblem;

	const enterpriseAccount = async (enterpriseId: number) => {
		const u = await makeUser(t.db, { role: 'enterprise' });
		await t.db.execute(
			sql`update "user" set enterprise_id = ${enterpriseId}::int where id = ${u.id}::int`
		);
		return principalOf(u.id, 'enterprise');
	};

	/** A fresh visit to `ent` and its one problem about the given departments. */
	const raise = async (departments: { id: number }[], day = '2026-03-02') => {
		const v = await makeVisit(t.db, ent.id, day);
		const [no] = await raiseOn(
			t.db,
			v,
			departments.map((d) => d.id)
		);
		return no!;
	};
	/** The actions of a problem's audit entries, in order. */
	const trailOf = async (no: string) =>
		(
			await t.db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.entityId, no))
				.orderBy(auditEntry.seq)
		).map((e) => e.action);
	const stateOf = async (no: string) =>
		(await t.db.select().from(visitProblem).where(eq(visitProblem.problemNo, no)))[0]!;

	beforeAll(async () => {
		deptA = await makeDepartment(t.db);
		deptB = await makeDepartment(t.db);
		deptC = await makeDepartment(t.db);
		sup = principalOf((await makeUser(t.db, { role: 'supervisor' })).id, 'supervisor');
		sup2 = principalOf((await makeUser(t.db, { role: 'supervisor' })).id, 'supervisor');
		const leaderUser = await makeUser(t.db, { role: 'leader' });
		leaderName = leaderUser.username;
		leader = principalOf(leaderUser.id, 'leader');
		leader2 = principalOf((await makeUser(t.db, { role: 'leader' })).id, 'leader');
		for (const d of [deptA, deptB, deptC]) {
			const u = await makeUser(t.db, { role: 'liaison', departmentCode: d.code });
			liaisons.set(d.id, { ...principalOf(u.id, 'liaison'), departmentId: d.id });
		}
		ent = await makeEnterprise(t.db, { contactName: '王建国', contactPhone: '13912345678' });
		otherEnt = await makeEnterprise(t.db);
		entUser = await enterpriseAccount(ent.id);
		otherEntUser = await enterpriseAccount(otherEnt.id);
		// Thursday 5 March 2026 a holiday: deadlines count working days on the calendar.
		await t.db
			.insert(calendarDay)
			.values({ date: '2026-03-05', kind: 'holiday' })
			.onConflictDoNothing();
	});

	it('numbers the problems of a visit by its year, each audited, with the departments involved', async () => {
		const v = await makeVisit(t.db, ent.id, '2027-05-10');
		const numbers = await raiseOn(t.db, v, [deptA.id, deptB.id], [{}, { category: 'fees' }]);
		expect(numbers).toEqual(['WT2027-000001', 'WT2027-000002']);
		const [p] = await t.db
			.select()
			.from(visitProblem)
			.where(eq(visitProblem.problemNo, numbers[1]!));
		expect(p).toMatchObject({ state: 'raised', category: 'fees', visitId: v.id });
		const involved = await t.db
			.select()
			.from(visitProblemDepartment)
			.where(eq(visitProblemDepartment.problemId, p!.id));
		expect(involved.map((d) => [d.departmentId, d.involved, d.assigned]).sort()).toEqual(
			[
				[deptA.id, true, false],
				[deptB.id, true, false]
			].sort()
		);
		expect(await trailOf(numbers[0]!)).toEqual(['problem.raise']);
		// Another visit of the year continues the numbers.
		const more = await raiseOn(t.db, await makeVisit(t.db, ent.id, '2027-06-01'), [deptA.id]);
		expect(more).toEqual(['WT2027-000003']);
	});

	it('refuses an unknown department when raised, and the schema a problem without one', async () => {
		const v = await makeVisit(t.db, ent.id);
		expect(await refusalCode(raiseOn(t.db, v, [999_999]))).toBe('problem_department');
		const parsed = problemSchema.safeParse({
			description: '要素保障不到位',
			category: 'utilities',
			scope: 'several'
		});
		expect(parsed.success).toBe(false);
		expect(
			problemSchema.parse({
				description: ' 要素保障不到位 ',
				category: 'utilities',
				scope: 'several',
				high_impact: 'on',
				department_ids: [String(deptA.id), String(deptA.id), String(deptB.id)]
			})
		).toEqual({
			description: '要素保障不到位',
			category: 'utilities',
			scope: 'several',
			highImpact: true,
			departmentIds: [deptA.id, deptB.id]
		});
	});

	it('goes through the Brigade: settled, not satisfied, back, settled again, satisfied, closed', async () => {
		const no = await raise([deptA]);
		const now = at('2026-03-02');
		await act(t.db, sup, no, 'settle_by_brigade', { assignee: sup.id! }, testActor, now);
		// Ten working days from Monday 2 March, 5 March off: Tuesday 17 March.
		expect(await stateOf(no)).toMatchObject({
			state: 'brigade',
			assigneeId: sup.id,
			dueOn: '2026-03-17'
		});
		await act(
			t.db,
			sup,
			no,
			'settle',
			{ settlement: '已协调住建局办结' },
			testActor,
			at('2026-03-09')
		);
		expect(await stateOf(no)).toMatchObject({ state: 'settled', settlement: '已协调住建局办结' });
		await act(
			t.db,
			sup2,
			no,
			'return_visit',
			{ visited_on: '2026-03-10', satisfied: false, note: '仍未拿到许可证' },
			testActor,
			at('2026-03-10')
		);
		const back = await stateOf(no);
		expect(back.state).toBe('brigade');
		expect(back.dueOn).toBe('2026-03-24');
		await act(t.db, sup, no, 'settle', { settlement: '许可证已发放' }, testActor, at('2026-03-12'));
		await act(
			t.db,
			sup,
			no,
			'return_visit',
			{ visited_on: '2026-03-13', satisfied: true },
			testActor,
			at('2026-03-13')
		);
		const closed = await stateOf(no);
		expect(closed.state).toBe('closed');
		expect(closed.closedAt).not.toBeNull();
		const view = await visits.getProblem(t.db, admin, no, at('2026-03-13'));
		expect(view.returns.map((r) => r.satisfied)).toEqual([false, true]);
		expect(view.actions).toEqual([]);
		const history = await visits.problemHistory(t.db, admin, no);
		expect(history.map((h) => h.action)).toEqual([
			'problem.raise',
			'problem.settle_by_brigade',
			'problem.settle',
			'problem.return_visit',
			'problem.settle',
			'problem.return_visit'
		]);
		expect(history[3]!.changes.state).toEqual({ before: 'settled', after: 'brigade' });
	});

	it('goes through a city leader: two departments instructed, the last report moves it on', async () => {
		const no = await raise([deptA]);
		const now = at('2026-03-02');
		await act(t.db, sup, no, 'escalate', { leader: leader.id! }, testActor, now);
		expect(await stateOf(no)).toMatchObject({ state: 'escalated', leaderId: leader.id });
		// The trail names the leader as people are named there, by user name.
		const [escalated] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.entityId, no), eq(auditEntry.action, 'problem.escalate')));
		expect((escalated!.changes as Record<string, unknown>).leader).toEqual({
			before: null,
			after: leaderName
		});
		// Another leader may not decide it; the one it was escalated to does.
		expect(
			await refusalCode(
				act(
					t.db,
					leader2,
					no,
					'instruct',
					{ instruction: '请办理', departments: [deptA.id] },
					testActor,
					now
				)
			)
		).toBe('problem_forbidden');
		await act(
			t.db,
			leader,
			no,
			'instruct',
			{ instruction: '请两部门联合办理', departments: [deptB.id, deptC.id], due_on: '2026-03-31' },
			testActor,
			now
		);
		const instructed = await stateOf(no);
		expect(instructed).toMatchObject({ state: 'instructed', dueOn: '2026-03-31' });
		const depts = await t.db
			.select()
			.from(visitProblemDepartment)
			.where(eq(visitProblemDepartment.problemId, instructed.id));
		expect(
			depts
				.filter((d) => d.assigned)
				.map((d) => d.departmentId)
				.sort()
		).toEqual([deptB.id, deptC.id].sort());
		// Named when raised but not assigned: deptA's liaison sees nothing, may do nothing.
		expect(
			await refusalCode(
				act(t.db, liaisonOf(deptA), no, 'report', { report: '已办' }, testActor, now)
			)
		).toBe('problem_not_found');
		await act(
			t.db,
			liaisonOf(deptB),
			no,
			'report',
			{ report: '已办理' },
			testActor,
			at('2026-03-04')
		);
		expect((await stateOf(no)).state).toBe('instructed');
		expect(
			await refusalCode(
				act(t.db, liaisonOf(deptB), no, 'report', { report: '再次' }, testActor, at('2026-03-04'))
			)
		).toBe('problem_already_reported');
		await act(
			t.db,
			liaisonOf(deptC),
			no,
			'report',
			{ report: '已配合' },
			testActor,
			at('2026-03-06')
		);
		// Reported on Friday 6 March: the return visit due five working days on.
		expect(await stateOf(no)).toMatchObject({ state: 'reported', dueOn: '2026-03-13' });
		await act(
			t.db,
			sup,
			no,
			'return_visit',
			{ visited_on: '2026-03-09', satisfied: true, note: '企业满意' },
			testActor,
			at('2026-03-09')
		);
		expect((await stateOf(no)).state).toBe('closed');
		const view = await visits.getProblem(t.db, leader, no);
		expect(view.instruction).toBe('请两部门联合办理');
		expect(view.departments.find((d) => d.id === deptC.id)).toMatchObject({
			assigned: true,
			involved: false,
			report: '已配合'
		});
	});

	it('sends an unsatisfied return visit back to the departments, who report again', async () => {
		const no = await raise([deptB]);
		const now = at('2026-03-02');
		await act(t.db, admin, no, 'escalate', { leader: leader.id! }, testActor, now);
		await act(
			t.db,
			admin,
			no,
			'instruct',
			{ instruction: '办理', departments: [deptB.id] },
			testActor,
			now
		);
		await act(t.db, liaisonOf(deptB), no, 'report', { report: '第一次' }, testActor, now);
		await act(
			t.db,
			sup,
			no,
			'return_visit',
			{ visited_on: '2026-03-03', satisfied: false, due_on: '2026-03-20' },
			testActor,
			at('2026-03-03')
		);
		expect(await stateOf(no)).toMatchObject({ state: 'instructed', dueOn: '2026-03-20' });
		const view = await visits.getProblem(t.db, liaisonOf(deptB), no);
		expect(view.actions).toEqual(['report']);
		await act(t.db, liaisonOf(deptB), no, 'report', { report: '第二次' }, testActor, now);
		expect((await stateOf(no)).state).toBe('reported');
	});

	it('refuses steps the state or the actor does not allow', async () => {
		const no = await raise([deptA]);
		const now = at('2026-03-02');
		const refused = (p: typeof sup, action: Parameters<typeof act>[3], input: object) =>
			refusalCode(act(t.db, p, no, action, input as never, testActor, now));
		expect(await refused(sup, 'settle', { settlement: 'x' })).toBe('problem_action_not_allowed');
		expect(await refused(sup, 'return_visit', { visited_on: '2026-03-02', satisfied: true })).toBe(
			'problem_action_not_allowed'
		);
		// A leader decides escalated problems only; a liaison acts on nothing raised.
		expect(await refused(leader, 'settle_by_brigade', { assignee: sup.id })).toBe(
			'problem_forbidden'
		);
		expect(await refused(sup, 'settle_by_brigade', { assignee: leader.id })).toBe(
			'problem_assignee'
		);
		expect(await refused(sup, 'escalate', { leader: sup.id })).toBe('problem_leader');
		expect(
			await refused(sup, 'settle_by_brigade', { assignee: sup.id, due_on: '2026-03-01' })
		).toBe('problem_due_past');
		await act(t.db, sup, no, 'settle_by_brigade', { assignee: sup.id! }, testActor, now);
		expect(await refused(sup, 'escalate', { leader: leader.id })).toBe(
			'problem_action_not_allowed'
		);
		// Only the supervisor settling it (or an admin) settles; never a leader.
		expect(await refused(sup2, 'settle', { settlement: 'x' })).toBe('problem_forbidden');
		expect(await refused(leader, 'settle', { settlement: 'x' })).toBe('problem_forbidden');
		await act(t.db, sup, no, 'settle', { settlement: '已办' }, testActor, now);
		expect(await refused(sup, 'return_visit', { visited_on: '2026-03-03', satisfied: true })).toBe(
			'problem_return_future'
		);
		// Nothing refused left a trace.
		expect(await trailOf(no)).toEqual([
			'problem.raise',
			'problem.settle_by_brigade',
			'problem.settle'
		]);
	});

	it('turns a problem into a complaint and a finding, once each, linked both ways', async () => {
		const no = await raise([deptA, deptB]);
		const toComplaint = (department: { id: number }) =>
			act(
				t.db,
				sup,
				no,
				'to_complaint',
				{ department: department.id, category: 'inaction' },
				testActor,
				at('2026-03-02')
			);
		const toFinding = () =>
			act(
				t.db,
				sup,
				no,
				'to_finding',
				{ department: deptA.id, source: 'task_supervision', points: '-1.00' },
				testActor,
				at('2026-03-02')
			);
		expect(await refusalCode(toComplaint(deptC))).toBe('problem_department');
		await toComplaint(deptB);
		expect(await refusalCode(toComplaint(deptB))).toBe('problem_already_complaint');
		await toFinding();
		expect(await refusalCode(toFinding())).toBe('problem_already_finding');
		const p = await stateOf(no);
		expect(p.state).toBe('raised');
		const [c] = await t.db.select().from(complaint).where(eq(complaint.id, p.complaintId!));
		expect(c).toMatchObject({
			channel: 'visit',
			departmentId: deptB.id,
			state: 'received',
			complainantName: '王建国',
			complainantContact: '13912345678'
		});
		const [f] = await t.db.select().from(finding).where(eq(finding.id, p.findingId!));
		expect(f).toMatchObject({ status: 'recorded', departmentId: deptA.id, date: '2026-03-02' });
		const view = await visits.getProblem(t.db, sup, no);
		expect(view).toMatchObject({ complaintNo: c!.complaintNo, findingNo: f!.findingNo });
		expect(await visits.problemLinkedTo(t.db, sup, { complaintNo: c!.complaintNo })).toBe(no);
		expect(await visits.problemLinkedTo(t.db, admin, { findingNo: f!.findingNo })).toBe(no);
		// A liaison of deptA (not assigned) sees the finding of its department, not the problem.
		expect(await visits.problemLinkedTo(t.db, liaisonOf(deptA), { findingNo: f!.findingNo })).toBe(
			null
		);
		expect(await trailOf(no)).toEqual([
			'problem.raise',
			'problem.to_complaint',
			'problem.to_finding'
		]);
	});

	it('shows each role what it may see, and a liaison never the enterprise contact', async () => {
		const no = await raise([deptA]);
		const now = at('2026-03-02');
		await act(t.db, sup, no, 'escalate', { leader: leader.id! }, testActor, now);
		await act(
			t.db,
			leader,
			no,
			'instruct',
			{ instruction: '办理', departments: [deptB.id] },
			testActor,
			now
		);
		const whole = { name: '王建国', phone: '13912345678' };
		expect((await visits.getProblem(t.db, admin, no)).enterprise.contact).toEqual(whole);
		expect((await visits.getProblem(t.db, sup, no)).enterprise.contact).toEqual({
			name: '王**',
			phone: '139****5678'
		});
		// Instructed already: nothing left for the leader.
		expect((await visits.getProblem(t.db, leader, no)).actions).toEqual([]);
		const asLiaison = await visits.getProblem(t.db, liaisonOf(deptB), no);
		expect(asLiaison.enterprise.contact).toBeNull();
		expect(asLiaison.actions).toEqual(['report']);
		expect(JSON.stringify(asLiaison)).not.toContain('13912345678');
		expect(JSON.stringify(asLiaison)).not.toContain('王建国');
		for (const d of [deptA, deptC])
			expect(await refusalCode(visits.getProblem(t.db, liaisonOf(d), no))).toBe(
				'problem_not_found'
			);
		const asOwner = await visits.getProblem(t.db, entUser, no);
		expect(asOwner).toMatchObject({ instruction: null, leader: null, actions: [], history: false });
		expect(await refusalCode(visits.getProblem(t.db, otherEntUser, no))).toBe('problem_not_found');
		expect((await visits.ownProblems(t.db, entUser)).map((p) => p.problemNo)).toContain(no);
		expect(await visits.ownProblems(t.db, otherEntUser)).toEqual([]);
		expect(await visits.ownProblems(t.db, sup)).toEqual([]);
		const liaisonList = await visits.problemList(t.db, liaisonOf(deptB), {
			page: 1,
			pageSize: 500
		});
		expect(liaisonList.rows.map((r) => r.problemNo)).toContain(no);
		expect(liaisonList.rows.find((r) => r.problemNo === no)!.awaitsReader).toBe(true);
		const other = await visits.problemList(t.db, liaisonOf(deptC), { page: 1, pageSize: 500 });
		expect(other.rows.map((r) => r.problemNo)).not.toContain(no);
		expect(await visits.problemHistory(t.db, liaisonOf(deptB), no)).toEqual([]);
	});

	it('masks phone and ID numbers typed into a problem for whoever may not see the contact', async () => {
		const v = await makeVisit(t.db, ent.id, '2026-03-02');
		const phone = '13612345678';
		const id = '35010219800202123X';
		const [no] = await raiseOn(
			t.db,
			v,
			[deptA.id],
			[{ description: `窗口拒收材料，企业联系人 ${phone}，法人身份证 ${id}` }]
		);
		await act(t.db, sup, no!, 'escalate', { leader: leader.id! }, testActor, at('2026-03-02'));
		await act(
			t.db,
			leader,
			no!,
			'instruct',
			{ instruction: `请回复企业 ${phone}`, departments: [deptA.id] },
			testActor,
			at('2026-03-02')
		);
		const read = async (p: ReturnType<typeof principalOf>) => {
			const problem = await visits.getProblem(t.db, p, no!);
			const listed = await visits.problemList(t.db, p, { page: 1, pageSize: 500 });
			const history = await visits.problemHistory(t.db, p, no!);
			return JSON.stringify({
				problem,
				row: listed.rows.find((r) => r.problemNo === no),
				history
			});
		};
		for (const p of [admin, entUser]) {
			const seen = await read(p);
			expect(seen).toContain(phone);
			expect(seen).toContain(id);
		}
		for (const p of [sup, leader, liaisonOf(deptA)]) {
			const seen = await read(p);
			expect(seen).not.toContain(phone);
			expect(seen).not.toContain('19800202');
			expect(seen).toContain('136****5678');
			expect(seen).toContain('3501************3X');
		}
		// The visit's own page, for staff who see visits: whole to supervisors, masked to leaders.
		const visitNo = (await visits.getProblem(t.db, admin, no!)).visit.visitNo;
		expect(JSON.stringify(await visits.getVisit(t.db, sup, visitNo))).toContain(phone);
		expect(JSON.stringify(await visits.getVisit(t.db, leader, visitNo))).not.toContain(phone);
	});

	it('lists overdue first, then those waiting for the reader; filters; SQL overdue as the rule says', async () => {
		const v = await makeVisit(t.db, otherEnt.id, '2026-04-01');
		const [late, waiting, fresh] = await raiseOn(
			t.db,
			v,
			[deptC.id],
			[{ category: 'policy' }, { category: 'policy' }, { category: 'policy' }]
		);
		await act(
			t.db,
			sup,
			late!,
			'settle_by_brigade',
			{ assignee: sup2.id!, due_on: '2026-04-03' },
			testActor,
			at('2026-04-01')
		);
		await act(
			t.db,
			sup,
			waiting!,
			'settle_by_brigade',
			{ assignee: sup.id!, due_on: '2026-05-29' },
			testActor,
			at('2026-04-01')
		);
		const today = at('2026-04-10');
		const list = await visits.problemList(
			t.db,
			sup,
			{ category: 'policy', page: 1, pageSize: 10 },
			today
		);
		expect(list.rows.map((r) => r.problemNo)).toEqual([late, waiting, fresh]);
		expect(list.rows.map((r) => [r.overdue, r.awaitsReader])).toEqual([
			[true, false],
			[false, true],
			[false, false]
		]);
		const brigade = await visits.problemList(
			t.db,
			sup,
			{ state: 'brigade', category: 'policy', page: 1, pageSize: 10 },
			today
		);
		expect(brigade.total).toBe(2);
		const mine = await visits.problemList(
			t.db,
			sup,
			{ mine: true, category: 'policy', page: 1, pageSize: 10 },
			today
		);
		expect(mine.rows.map((r) => r.problemNo)).toEqual([waiting]);
		const byDept = await visits.problemList(
			t.db,
			sup,
			{ departmentId: deptC.id, page: 1, pageSize: 2 },
			today
		);
		expect(byDept.rows).toHaveLength(2);
		expect(byDept.total).toBeGreaterThanOrEqual(3);

		// The SQL rule against problemOverdue, for every state around a due date.
		const dates = [null, '2026-04-09', '2026-04-10', '2026-04-11'];
		const cases: { state: ProblemState; dueOn: string | null }[] = PROBLEM_STATES.flatMap((state) =>
			dates.map((dueOn) => ({ state, dueOn }))
		);
		for (const c of cases) {
			const [r] = await rows<{ overdue: boolean }>(
				t.db,
				sql`select ${visits.overdueSql('2026-04-10')} as overdue
					from (select ${c.state}::problem_state as state, ${c.dueOn}::date as due_on) vp`
			);
			expect([c, r!.overdue]).toEqual([c, problemOverdue(c, '2026-04-10')]);
		}
		// Both say something: some cases are overdue, some are not.
		expect(cases.filter((c) => problemOverdue(c, '2026-04-10')).length).toBe(
			OPEN_PROBLEM_STATES.length
		);
	});
});
