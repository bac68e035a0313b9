// The problems enterprises raise on visits (办事难的具体事例, issue 9 §6), handled to closure as
// $lib/domain/visit-problems says: raised with the visit (`raiseProblems`, inside the visit's
// transaction), each step in a transaction with its audit entry (entity `problem`, keyed by its
// number), the worklist in SQL, and what each role may see and do, decided here:
// - admins, supervisors and leaders see every problem; the enterprise's contact person and phone
//   only admins and the supervisor settling it see whole, other staff masked;
// - a liaison sees the problems its department was assigned by a leader, never the contact;
// - an enterprise account sees the problems raised on visits to its own enterprise.
// Supervisors triage, settle, return and convert; a leader instructs what was escalated to them;
// a liaison reports for its own department.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import {
	allowedProblemActions,
	formatProblemNo,
	nextProblemState,
	OPEN_PROBLEM_STATES,
	PROBLEM_DEADLINES,
	problemOverdue,
	problemRefusal,
	type ProblemAction,
	type ProblemCategory,
	type ProblemFacts,
	type ProblemScope,
	type ProblemState
} from '$lib/domain/visit-problems';
import { maskedChanges, maskedText, maskName, maskPhone } from '$lib/domain/mask';
import { hasRole, ROLES } from '$lib/domain/roles';
import { addWorkingDays, calendarOf, localDate } from '$lib/domain/working-days';
import { DomainError } from '$lib/errors';
import { complaintFormSchema } from '$lib/schemas/complaint-workflow';
import type { ProblemActionInput, ProblemInput } from '$lib/schemas/problems';
import { problemField } from '$lib/schemas/visits';
import * as audit from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { rows, type Executor, type Tx } from '$lib/server/db';
import {
	calendarDay,
	complaint,
	department,
	enterprise,
	finding,
	user,
	visit,
	visitProblem,
	visitProblemDepartment,
	visitProblemReturn,
	type VisitProblem
} from '$lib/server/db/schema';
import * as findings from '$lib/server/findings';

/** Two visits recorded at once must not draw one number. */
const NUMBER_LOCK_KEY = 7_410_3103;

/** Who acts or reads: the principal's role, account and department (a liaison's). */
export type ProblemReader = Pick<Principal, 'kind' | 'role' | 'id' | 'departmentId'>;

const accountOf = (p: ProblemReader) => (p.kind === 'user' ? p.id : null);
const userIdOf = (actor: audit.Actor) => (actor.kind === 'user' ? actor.id : null);
const manages = (p: ProblemReader) => hasRole(p.role, ROLES.manageVisits);

// --- Raising problems (the visit form) -----------------------------------------------------------

/** A problem raised on a visit, as `problemSchema` reads it. */
export type NewProblem = ProblemInput;

/** The departments of these ids that exist, by id (code for the trail). */
async function departmentsById(tx: Executor, ids: readonly number[]) {
	if (ids.length === 0) return new Map<number, string>();
	const found = await tx
		.select({ id: department.id, code: department.code })
		.from(department)
		.where(inArray(department.id, [...ids]));
	return new Map(found.map((d) => [d.id, d.code]));
}

/**
 * Inserts the problems raised on a visit (state raised), numbered WT<year>-nnnnnn by the visit's
 * year under an advisory lock like complaint numbers; audits `problem.raise` each; returns their
 * numbers. Called inside the visit's transaction.
 */
export async function raiseProblems(
	tx: Tx,
	visitRow: { id: number; visitedOn: string },
	items: readonly NewProblem[],
	actor: audit.Actor
): Promise<string[]> {
	if (items.length === 0) return [];
	const codes = await departmentsById(tx, [...new Set(items.flatMap((i) => i.departmentIds))]);
	items.forEach((item, index) => {
		const unknown = item.departmentIds.find((id) => !codes.has(id));
		if (unknown !== undefined || item.departmentIds.length === 0)
			throw new DomainError('problem_department', { field: problemField(index, 'd') });
	});
	await tx.execute(sql`select pg_advisory_xact_lock(${NUMBER_LOCK_KEY})`);
	const year = Number(visitRow.visitedOn.slice(0, 4));
	const [last] = await rows<{ n: number }>(
		tx,
		sql`select coalesce(max(substring(problem_no from 8)::int), 0)::int as n
			from visit_problem where problem_no ~ ${`^WT${year}-[0-9]{6}$`}`
	);
	let n = Number(last?.n ?? 0);
	const numbers: string[] = [];
	for (const item of items) {
		const problemNo = formatProblemNo(year, ++n);
		const [row] = await tx
			.insert(visitProblem)
			.values({
				problemNo,
				visitId: visitRow.id,
				description: item.description.trim(),
				category: item.category,
				scope: item.scope,
				highImpact: item.highImpact,
				state: 'raised',
				createdBy: userIdOf(actor)
			})
			.returning({ id: visitProblem.id });
		await tx
			.insert(visitProblemDepartment)
			.values(item.departmentIds.map((departmentId) => ({ problemId: row!.id, departmentId })));
		await audit.record(tx, actor, {
			action: 'problem.raise',
			entity: 'problem',
			entityId: problemNo,
			changes: audit.diff(null, {
				state: 'raised',
				category: item.category,
				scope: item.scope,
				highImpact: item.highImpact,
				departments: item.departmentIds.map((id) => codes.get(id)!).join(', ')
			})
		});
		numbers.push(problemNo);
	}
	return numbers;
}

// --- Who sees what -------------------------------------------------------------------------------

/**
 * The problems `vp` (joined with its visit `v`) the reader may see, as SQL: all for staff who see
 * every department, those assigned to a liaison's department, those of an enterprise account's
 * own enterprise. Nobody else sees any.
 */
function visibleSql(p: ProblemReader): SQL {
	switch (p.role) {
		case 'admin':
		case 'supervisor':
		case 'leader':
			return sql`true`;
		case 'liaison':
			return p.departmentId === null
				? sql`false`
				: sql`exists (select 1 from visit_problem_department x where x.problem_id = vp.id
					and x.department_id = ${p.departmentId}::int and x.assigned)`;
		case 'enterprise':
			return p.kind !== 'user' || p.id === null
				? sql`false`
				: sql`v.enterprise_id = (select u.enterprise_id from "user" u
					where u.id = ${p.id}::int and u.role = 'enterprise' and not u.disabled)`;
		default:
			return sql`false`;
	}
}

/** Whether the reader may see the problem of this id. */
async function sees(db: Executor, p: ProblemReader, problemId: number): Promise<boolean> {
	const [r] = await rows<{ ok: boolean }>(
		db,
		sql`select true as ok from visit_problem vp join visit v on v.id = vp.visit_id
			where vp.id = ${problemId}::int and ${visibleSql(p)}`
	);
	return r !== undefined;
}

/** What the rules look at of a problem row. */
const factsOf = (vp: VisitProblem): ProblemFacts => ({
	state: vp.state,
	complaintLinked: vp.complaintId !== null,
	findingLinked: vp.findingId !== null
});

/** A problem's departments with what each owes (as the step rules need them). */
interface DepartmentState {
	departmentId: number;
	assigned: boolean;
	reportedAt: Date | null;
}

/**
 * Whether the reader may take the action on this problem, whatever its state: supervisors and
 * admins triage, return and convert; the settling supervisor (or an admin) settles; the leader
 * it was escalated to (or an admin) instructs; a liaison of an assigned department that has not
 * reported yet reports.
 */
function mayTake(
	p: ProblemReader,
	action: ProblemAction,
	vp: VisitProblem,
	departments: readonly DepartmentState[]
): boolean {
	switch (action) {
		case 'settle':
			return p.role === 'admin' || (p.role === 'supervisor' && vp.assigneeId === p.id);
		case 'instruct':
			return p.role === 'admin' || (p.role === 'leader' && vp.leaderId === p.id);
		case 'report':
			return (
				p.role === 'liaison' &&
				departments.some(
					(d) => d.departmentId === p.departmentId && d.assigned && d.reportedAt === null
				)
			);
		default:
			return manages(p);
	}
}

const actionsFor = (p: ProblemReader, vp: VisitProblem, departments: readonly DepartmentState[]) =>
	allowedProblemActions(factsOf(vp)).filter((a) => mayTake(p, a, vp, departments));

// --- Deadlines -----------------------------------------------------------------------------------

/** The `days`-th working day after `today` on the holiday calendar. */
async function dueAfter(db: Executor, today: string, days: number): Promise<string> {
	const entries = await db
		.select({ date: calendarDay.date, kind: calendarDay.kind })
		.from(calendarDay)
		.where(
			sql`${calendarDay.date} between ${today}::date and ${today}::date + ${days * 3 + 30}::int`
		);
	return addWorkingDays(today, days, calendarOf(entries));
}

/** The due date a step gives: the one chosen (not before today), or `days` working days on. */
async function dueOn(db: Executor, chosen: string | undefined, today: string, days: number) {
	if (chosen === undefined) return dueAfter(db, today, days);
	if (chosen < today) throw new DomainError('problem_due_past', { field: 'due_on' });
	return chosen;
}

// --- The steps -----------------------------------------------------------------------------------

type StepChanges = Record<string, { before: unknown; after: unknown }>;

async function lockProblem(tx: Tx, no: string): Promise<VisitProblem> {
	const [vp] = await tx
		.select()
		.from(visitProblem)
		.where(eq(visitProblem.problemNo, no))
		.for('update');
	if (!vp) throw new DomainError('problem_not_found');
	return vp;
}

/** An active account of `role` (whom a problem may be given to), or the refusal `code`. */
async function accountIn(
	tx: Executor,
	id: number,
	role: 'supervisor' | 'leader',
	code: 'problem_assignee' | 'problem_leader',
	field: string
) {
	const [u] = await tx
		.select({ id: user.id, username: user.username, role: user.role, disabled: user.disabled })
		.from(user)
		.where(eq(user.id, id));
	if (!u || u.role !== role || u.disabled) throw new DomainError(code, { field });
	return u;
}

/** The account's user name, as the audit trail names people (null for none). */
async function usernameOf(tx: Executor, id: number | null) {
	if (id === null) return null;
	const [u] = await tx.select({ username: user.username }).from(user).where(eq(user.id, id));
	return u?.username ?? null;
}

/** The problem's own department (involved or assigned) of this id, with its code, or a refusal. */
async function problemDepartment(tx: Executor, problemId: number, departmentId: number) {
	const [d] = await tx
		.select({ id: department.id, code: department.code })
		.from(visitProblemDepartment)
		.innerJoin(department, eq(department.id, visitProblemDepartment.departmentId))
		.where(
			and(
				eq(visitProblemDepartment.problemId, problemId),
				eq(visitProblemDepartment.departmentId, departmentId)
			)
		);
	if (!d) throw new DomainError('problem_department', { field: 'department' });
	return d;
}

/** The complaint a problem becomes: the enterprise complains, by its contact when it has one. */
async function complaintOf(
	tx: Tx,
	p: ProblemReader,
	vp: VisitProblem,
	input: ProblemActionInput<'to_complaint'>,
	actor: audit.Actor,
	now: Date
) {
	const d = await problemDepartment(tx, vp.id, input.department);
	const [e] = await tx
		.select({
			name: enterprise.name,
			contactName: enterprise.contactName,
			phone: enterprise.contactPhone
		})
		.from(visit)
		.innerJoin(enterprise, eq(enterprise.id, visit.enterpriseId))
		.where(eq(visit.id, vp.visitId));
	const fields = {
		department_code: d.code,
		category: input.category,
		summary: vp.description,
		name: (e!.contactName.trim() || e!.name).slice(0, 50),
		contact: e!.phone
	};
	// A contact the complaint form would not take (a phone written oddly) is left out.
	const parsed = complaintFormSchema.safeParse(fields);
	const form = parsed.success
		? parsed.data
		: complaintFormSchema.parse({ ...fields, contact: undefined });
	const filed = await complaints.enterComplaint(
		tx,
		p,
		{ form, channel: 'visit', received_at: now },
		actor,
		now
	);
	const [c] = await tx
		.select({ id: complaint.id })
		.from(complaint)
		.where(eq(complaint.complaintNo, filed.complaintNo));
	return { id: c!.id, no: filed.complaintNo };
}

/**
 * Takes one step of a problem's handling: checked against the state machine and against who acts,
 * written with its audit entry in one transaction. A problem the reader may not see is "not
 * found"; one it sees but may not act on so is refused as forbidden.
 */
export async function actOnProblem<A extends ProblemAction>(
	db: Executor,
	p: ProblemReader,
	no: string,
	action: A,
	input: ProblemActionInput<A>,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<{ state: ProblemState }> {
	return db.transaction(async (tx) => {
		const vp = await lockProblem(tx, no);
		if (!(await sees(tx, p, vp.id))) throw new DomainError('problem_not_found');
		const departments = await tx
			.select({
				departmentId: visitProblemDepartment.departmentId,
				assigned: visitProblemDepartment.assigned,
				reportedAt: visitProblemDepartment.reportedAt
			})
			.from(visitProblemDepartment)
			.where(eq(visitProblemDepartment.problemId, vp.id));
		const i = input as Record<string, unknown>;
		const facts: ProblemFacts = {
			...factsOf(vp),
			lastReport: departments.every(
				(d) => !d.assigned || d.reportedAt !== null || d.departmentId === p.departmentId
			),
			satisfied: i.satisfied as boolean | undefined
		};
		const refused = problemRefusal(action, facts);
		if (refused) throw new DomainError(refused);
		if (!mayTake(p, action, vp, departments)) {
			const own = departments.find((d) => d.departmentId === p.departmentId);
			const reported = action === 'report' && own?.assigned && own.reportedAt !== null;
			throw new DomainError(reported ? 'problem_already_reported' : 'problem_forbidden');
		}
		const state = nextProblemState(action, facts);
		const today = localDate(now);
		const set: Partial<typeof visitProblem.$inferInsert> = { state, updatedAt: now };
		const changes: StepChanges = {};
		const said = (key: string, after: unknown) => (changes[key] = { before: null, after });
		const due = (value: string | null) => {
			set.dueOn = value;
			if (value !== vp.dueOn) changes.dueOn = { before: vp.dueOn, after: value };
		};
		switch (action) {
			case 'settle_by_brigade': {
				const assignee = await accountIn(
					tx,
					i.assignee as number,
					'supervisor',
					'problem_assignee',
					'assignee'
				);
				set.assigneeId = assignee.id;
				changes.assignee = {
					before: await usernameOf(tx, vp.assigneeId),
					after: assignee.username
				};
				due(await dueOn(tx, i.due_on as string | undefined, today, PROBLEM_DEADLINES.brigadeDays));
				break;
			}
			case 'escalate': {
				const leader = await accountIn(
					tx,
					i.leader as number,
					'leader',
					'problem_leader',
					'leader'
				);
				set.leaderId = leader.id;
				set.escalatedAt = now;
				changes.leader = { before: await usernameOf(tx, vp.leaderId), after: leader.username };
				// A city leader decides without a deadline of ours; the departments get one.
				due(null);
				break;
			}
			case 'instruct': {
				const ids = i.departments as number[];
				const codes = await departmentsById(tx, ids);
				if (ids.some((id) => !codes.has(id)))
					throw new DomainError('problem_department', { field: 'departments' });
				await tx
					.insert(visitProblemDepartment)
					.values(
						ids.map((departmentId) => ({
							problemId: vp.id,
							departmentId,
							involved: false,
							assigned: true
						}))
					)
					.onConflictDoUpdate({
						target: [visitProblemDepartment.problemId, visitProblemDepartment.departmentId],
						set: { assigned: true }
					});
				set.instruction = i.instruction as string;
				set.instructedAt = now;
				said('instruction', i.instruction);
				said('departments', ids.map((id) => codes.get(id)).join(', '));
				due(
					await dueOn(tx, i.due_on as string | undefined, today, PROBLEM_DEADLINES.departmentDays)
				);
				break;
			}
			case 'report':
				await tx
					.update(visitProblemDepartment)
					.set({ report: i.report as string, reportedAt: now, reportedBy: accountOf(p) })
					.where(
						and(
							eq(visitProblemDepartment.problemId, vp.id),
							eq(visitProblemDepartment.departmentId, p.departmentId!)
						)
					);
				said('report', i.report);
				if (state === 'reported') due(await dueAfter(tx, today, PROBLEM_DEADLINES.returnVisitDays));
				break;
			case 'settle':
				set.settlement = i.settlement as string;
				set.settledAt = now;
				said('settlement', i.settlement);
				due(await dueAfter(tx, today, PROBLEM_DEADLINES.returnVisitDays));
				break;
			case 'return_visit': {
				const visitedOn = i.visited_on as string;
				if (visitedOn > today)
					throw new DomainError('problem_return_future', { field: 'visited_on' });
				await tx.insert(visitProblemReturn).values({
					problemId: vp.id,
					visitedOn,
					satisfied: i.satisfied as boolean,
					note: (i.note as string | undefined) ?? '',
					createdBy: accountOf(p)
				});
				said('visitedOn', visitedOn);
				said('satisfied', i.satisfied);
				if (i.note) said('note', i.note);
				if (state === 'closed') set.closedAt = now;
				else {
					// Handled again: the departments owe a new report, by a new deadline.
					if (state === 'instructed')
						await tx
							.update(visitProblemDepartment)
							.set({ report: null, reportedAt: null, reportedBy: null })
							.where(eq(visitProblemDepartment.problemId, vp.id));
					const days =
						state === 'brigade' ? PROBLEM_DEADLINES.brigadeDays : PROBLEM_DEADLINES.departmentDays;
					due(await dueOn(tx, i.due_on as string | undefined, today, days));
				}
				break;
			}
			case 'to_complaint': {
				const c = await complaintOf(
					tx,
					p,
					vp,
					input as ProblemActionInput<'to_complaint'>,
					actor,
					now
				);
				set.complaintId = c.id;
				said('complaint', c.no);
				break;
			}
			case 'to_finding': {
				const d = await problemDepartment(tx, vp.id, i.department as number);
				const f = await findings.record(
					tx,
					{
						departmentCode: d.code,
						date: (i.date as string | undefined) ?? today,
						source: i.source as ProblemActionInput<'to_finding'>['source'],
						points: i.points as string,
						description: vp.description
					},
					actor
				);
				set.findingId = f.id;
				said('finding', f.findingNo);
				break;
			}
		}
		await tx.update(visitProblem).set(set).where(eq(visitProblem.id, vp.id));
		await audit.record(tx, actor, {
			action: `problem.${action}`,
			entity: 'problem',
			entityId: vp.problemNo,
			changes: {
				...(state !== vp.state ? { state: { before: vp.state, after: state } } : {}),
				...changes
			}
		});
		return { state };
	});
}

/** Supervisors a problem may be given to, and city leaders it may be escalated to, by name. */
export async function problemAssignees(db: Executor, role: 'supervisor' | 'leader') {
	return db
		.select({ id: user.id, displayName: user.displayName })
		.from(user)
		.where(and(eq(user.role, role), eq(user.disabled, false)))
		.orderBy(asc(user.displayName));
}

// --- Reading -------------------------------------------------------------------------------------

export interface ProblemDepartmentView {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	involved: boolean;
	assigned: boolean;
	/** Its report back (null for an enterprise account, which tracks the problem only). */
	report: string | null;
	reportedAt: Date | null;
}

export interface ProblemView {
	problemNo: string;
	state: ProblemState;
	description: string;
	category: string;
	scope: ProblemScope;
	highImpact: boolean;
	createdAt: Date;
	visit: { visitNo: string; visitedOn: string };
	/** The enterprise; its contact whole, masked, or null (a liaison never sees it). */
	enterprise: { name: string; contact: { name: string; phone: string } | null };
	departments: ProblemDepartmentView[];
	/** Staff only: who settles it, which leader decides it, the leader's instruction. */
	assignee: { id: number; displayName: string } | null;
	leader: { id: number; displayName: string } | null;
	escalatedAt: Date | null;
	instruction: string | null;
	instructedAt: Date | null;
	dueOn: string | null;
	overdue: boolean;
	settlement: string | null;
	settledAt: Date | null;
	returns: { visitedOn: string; satisfied: boolean; note: string }[];
	/** What it was turned into (numbers for staff who see every department; null otherwise). */
	complaintNo: string | null;
	findingNo: string | null;
	closedAt: Date | null;
	/** The steps this reader may take now. */
	actions: ProblemAction[];
	/** Whether the reader is owed the audit trail as the page's history (staff only). */
	history: boolean;
}

const seesAll = (p: ProblemReader) =>
	p.role === 'admin' || p.role === 'supervisor' || p.role === 'leader';

/**
 * Whether the reader sees a problem's enterprise contact whole, and the phone and ID numbers
 * typed into its texts: admins, the enterprise that raised it and the supervisor following it up
 * (roles.md); everyone else who may read it gets them masked.
 */
const seesWhole = (p: ProblemReader, vp: { assigneeId: number | null }) =>
	p.role === 'admin' ||
	p.role === 'enterprise' ||
	(p.role === 'supervisor' && vp.assigneeId === p.id);

/** A text as this reader may see it (`seesWhole`). */
const textFor =
	(whole: boolean) =>
	<T extends string | null>(v: T): T =>
		whole ? v : maskedText(v);

/** One problem as the reader may see it (`problem_not_found` when it may not). */
export async function getProblem(
	db: Executor,
	p: ProblemReader,
	no: string,
	now: Date = new Date()
): Promise<ProblemView> {
	const [row] = await rows<{ id: number }>(
		db,
		sql`select vp.id from visit_problem vp join visit v on v.id = vp.visit_id
			where vp.problem_no = ${no} and ${visibleSql(p)}`
	);
	if (!row) throw new DomainError('problem_not_found');
	const [head] = await db
		.select({
			vp: visitProblem,
			visitNo: visit.visitNo,
			visitedOn: visit.visitedOn,
			enterpriseName: enterprise.name,
			contactName: enterprise.contactName,
			contactPhone: enterprise.contactPhone,
			complaintNo: complaint.complaintNo,
			findingNo: finding.findingNo
		})
		.from(visitProblem)
		.innerJoin(visit, eq(visit.id, visitProblem.visitId))
		.innerJoin(enterprise, eq(enterprise.id, visit.enterpriseId))
		.leftJoin(complaint, eq(complaint.id, visitProblem.complaintId))
		.leftJoin(finding, eq(finding.id, visitProblem.findingId))
		.where(eq(visitProblem.id, row.id));
	const vp = head!.vp;
	const [departments, returns, people] = await Promise.all([
		db
			.select({
				id: department.id,
				code: department.code,
				nameZh: department.nameZh,
				nameEn: department.nameEn,
				involved: visitProblemDepartment.involved,
				assigned: visitProblemDepartment.assigned,
				report: visitProblemDepartment.report,
				reportedAt: visitProblemDepartment.reportedAt
			})
			.from(visitProblemDepartment)
			.innerJoin(department, eq(department.id, visitProblemDepartment.departmentId))
			.where(eq(visitProblemDepartment.problemId, vp.id))
			.orderBy(asc(department.code)),
		db
			.select({
				visitedOn: visitProblemReturn.visitedOn,
				satisfied: visitProblemReturn.satisfied,
				note: visitProblemReturn.note
			})
			.from(visitProblemReturn)
			.where(eq(visitProblemReturn.problemId, vp.id))
			.orderBy(asc(visitProblemReturn.id)),
		db
			.select({ id: user.id, displayName: user.displayName })
			.from(user)
			.where(inArray(user.id, [vp.assigneeId ?? 0, vp.leaderId ?? 0]))
	]);
	const staff = p.role !== 'enterprise';
	const person = (id: number | null) =>
		staff && id !== null ? (people.find((u) => u.id === id) ?? null) : null;
	const whole = seesWhole(p, vp);
	const text = textFor(whole);
	const contact =
		p.role === 'liaison'
			? null
			: whole
				? { name: head!.contactName, phone: head!.contactPhone }
				: { name: maskName(head!.contactName), phone: maskPhone(head!.contactPhone) };
	const state: DepartmentState[] = departments.map((d) => ({
		departmentId: d.id,
		assigned: d.assigned,
		reportedAt: d.reportedAt
	}));
	return {
		problemNo: vp.problemNo,
		state: vp.state,
		description: text(vp.description),
		category: vp.category,
		scope: vp.scope,
		highImpact: vp.highImpact,
		createdAt: vp.createdAt,
		visit: { visitNo: head!.visitNo, visitedOn: head!.visitedOn },
		enterprise: { name: head!.enterpriseName, contact },
		departments: departments.map((d) => ({
			...d,
			report: staff ? text(d.report) : null,
			reportedAt: staff ? d.reportedAt : null
		})),
		assignee: person(vp.assigneeId),
		leader: person(vp.leaderId),
		escalatedAt: staff ? vp.escalatedAt : null,
		instruction: staff ? text(vp.instruction) : null,
		instructedAt: staff ? vp.instructedAt : null,
		dueOn: vp.dueOn,
		overdue: problemOverdue(vp, localDate(now)),
		settlement: text(vp.settlement),
		settledAt: vp.settledAt,
		returns: returns.map((r) => ({ ...r, note: text(r.note) })),
		complaintNo: seesAll(p) ? head!.complaintNo : null,
		findingNo: seesAll(p) ? head!.findingNo : null,
		closedAt: vp.closedAt,
		actions: actionsFor(p, vp, state),
		history: seesAll(p)
	};
}

/**
 * The problem a complaint or a finding was turned from, by its number, when the reader may see
 * that problem (the link back from the complaint's or the finding's page); null otherwise.
 */
export async function problemLinkedTo(
	db: Executor,
	p: ProblemReader,
	to: { complaintNo: string } | { findingNo: string }
): Promise<string | null> {
	const link =
		'complaintNo' in to
			? sql`vp.complaint_id = (select id from complaint where complaint_no = ${to.complaintNo})`
			: sql`vp.finding_id = (select id from finding where finding_no = ${to.findingNo})`;
	const [r] = await rows<{ problem_no: string }>(
		db,
		sql`select vp.problem_no from visit_problem vp join visit v on v.id = vp.visit_id
			where ${link} and ${visibleSql(p)}`
	);
	return r?.problem_no ?? null;
}

// --- The list and worklist -----------------------------------------------------------------------

export interface ProblemListRow {
	problemNo: string;
	state: ProblemState;
	category: string;
	scope: ProblemScope;
	highImpact: boolean;
	description: string;
	enterpriseName: string;
	visitedOn: string;
	dueOn: string | null;
	overdue: boolean;
	/** Waiting for this reader: the supervisor settling it, the leader to instruct, the liaison to report. */
	awaitsReader: boolean;
}

export interface ProblemListOptions {
	state?: ProblemState;
	/** Problems involving or assigned to this department. */
	departmentId?: number;
	category?: ProblemCategory;
	/** Only those waiting for the reader. */
	mine?: boolean;
	/** Newest first instead of the worklist's order (an enterprise's own list). */
	newest?: boolean;
	page: number;
	pageSize: number;
}

/** Overdue on `today`, as SQL over `vp`: the rule of `problemOverdue`. */
export function overdueSql(today: string): SQL {
	const open = sql.join(
		OPEN_PROBLEM_STATES.map((s) => sql`${s}`),
		sql`, `
	);
	return sql`(vp.state::text in (${open}) and vp.due_on is not null and vp.due_on < ${today}::date)`;
}

/** Whether a problem `vp` waits for the reader, as SQL. */
function awaitsSql(p: ProblemReader): SQL {
	if (p.role === 'supervisor') return sql`(vp.state = 'brigade' and vp.assignee_id = ${p.id}::int)`;
	if (p.role === 'leader') return sql`(vp.state = 'escalated' and vp.leader_id = ${p.id}::int)`;
	if (p.role === 'liaison' && p.departmentId !== null)
		return sql`(vp.state = 'instructed' and exists (select 1 from visit_problem_department x
			where x.problem_id = vp.id and x.department_id = ${p.departmentId}::int
				and x.assigned and x.reported_at is null))`;
	// An admin triages what was raised.
	if (p.role === 'admin') return sql`(vp.state = 'raised')`;
	return sql`false`;
}

/**
 * The problems the reader sees, overdue first, then those waiting for the reader, then by due
 * date and newest; filtered by state, department and category; one page and the total.
 */
export async function problemList(
	db: Executor,
	p: ProblemReader,
	opts: ProblemListOptions,
	now: Date = new Date()
): Promise<{ rows: ProblemListRow[]; total: number }> {
	const today = localDate(now);
	const awaits = awaitsSql(p);
	const where = sql.join(
		[
			visibleSql(p),
			opts.state ? sql`vp.state = ${opts.state}` : undefined,
			opts.category ? sql`vp.category = ${opts.category}` : undefined,
			opts.departmentId !== undefined
				? sql`exists (select 1 from visit_problem_department y where y.problem_id = vp.id
					and y.department_id = ${opts.departmentId}::int)`
				: undefined,
			opts.mine ? awaits : undefined
		].filter((c) => c !== undefined),
		sql` and `
	);
	const from = sql`from visit_problem vp join visit v on v.id = vp.visit_id
		join enterprise e on e.id = v.enterprise_id where ${where}`;
	const [list, [count]] = await Promise.all([
		rows<{
			problem_no: string;
			state: ProblemState;
			category: string;
			scope: ProblemScope;
			high_impact: boolean;
			description: string;
			assignee_id: number | null;
			enterprise_name: string;
			visited_on: string;
			due_on: string | null;
			overdue: boolean;
			awaits: boolean;
		}>(
			db,
			sql`select vp.problem_no, vp.state::text as state, vp.category, vp.scope::text as scope,
				vp.high_impact, vp.description, vp.assignee_id, e.name as enterprise_name,
				to_char(v.visited_on, 'YYYY-MM-DD') as visited_on,
				to_char(vp.due_on, 'YYYY-MM-DD') as due_on,
				${overdueSql(today)} as overdue, ${awaits} as awaits
			${from}
			order by ${opts.newest ? sql`vp.id desc` : sql`overdue desc, awaits desc, vp.due_on asc nulls last, vp.id desc`}
			limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`
		),
		rows<{ n: number }>(db, sql`select count(*)::int as n ${from}`)
	]);
	return {
		rows: list.map((r) => ({
			problemNo: r.problem_no,
			state: r.state,
			category: r.category,
			scope: r.scope,
			highImpact: r.high_impact,
			description: textFor(seesWhole(p, { assigneeId: r.assignee_id }))(r.description),
			enterpriseName: r.enterprise_name,
			visitedOn: r.visited_on,
			dueOn: r.due_on,
			overdue: r.overdue,
			awaitsReader: r.awaits
		})),
		total: Number(count?.n ?? 0)
	};
}

/** What an enterprise account tracks of its own problems (none for any other role), newest first. */
export async function ownProblems(db: Executor, p: ProblemReader, now: Date = new Date()) {
	if (p.role !== 'enterprise') return [];
	const { rows: list } = await problemList(db, p, { page: 1, pageSize: 100, newest: true }, now);
	return list.map((r) => ({
		problemNo: r.problemNo,
		visitedOn: r.visitedOn,
		description: r.description,
		state: r.state
	}));
}

/** What happened to a problem, oldest first: its audit entries (staff who see every problem). */
export async function problemHistory(db: Executor, p: ProblemReader, no: string) {
	if (!seesAll(p)) return [];
	const [[vp], { entries }] = await Promise.all([
		db
			.select({ assigneeId: visitProblem.assigneeId })
			.from(visitProblem)
			.where(eq(visitProblem.problemNo, no)),
		audit.list(db, { entity: 'problem', entityId: no }, 1, 200)
	]);
	const whole = vp !== undefined && seesWhole(p, vp);
	return entries.reverse().map((e) => ({
		at: e.at,
		actorLabel: e.actorLabel,
		action: e.action,
		changes: (whole ? e.changes : maskedChanges(e.changes)) as StepChanges
	}));
}
