// Rectification under an assigned city leader (scoring.md §3): publication opens one per
// department in the bottom of its category (`follow`); then a city leader is assigned, the
// department files its plan and progress reports (append-only), and a supervisor closes it with
// a note. Every step is audited. Overdue = deadline passed (local date) and not closed.
//   import * as rectifications from '$lib/server/rectification'
import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { RectificationAssignment } from '$lib/domain/announcement';
import { rectificationDeadline } from '$lib/domain/scoring';
import type { SnapshotContent } from '$lib/domain/snapshot';
import { formatDate } from '$lib/domain/time';
import { NOTE_MAX, TEXT_MAX } from '$lib/schemas/rectification';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import { rows, type Executor, type Tx } from '$lib/server/db';
import {
	department,
	evaluationSnapshot,
	rectification,
	rectificationReport,
	user,
	type Rectification
} from '$lib/server/db/schema';

export { NOTE_MAX, TEXT_MAX } from '$lib/schemas/rectification';

export type RectificationState = 'open' | 'overdue' | 'closed' | 'cancelled';

export interface RectificationLine {
	id: number;
	year: number;
	departmentId: number;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	leaderName: string | null;
	deadline: string;
	planSubmitted: boolean;
	reports: number;
	closedAt: Date | null;
	state: RectificationState;
}

export interface RectificationReportLine {
	id: number;
	body: string;
	submittedBy: string | null;
	submittedAt: Date;
}

export interface RectificationDetail extends RectificationLine {
	assignedLeaderId: number | null;
	plan: string | null;
	planSubmittedAt: Date | null;
	closedBy: string | null;
	closureNote: string | null;
	cancelledAt: Date | null;
	/** The published revision that decided it. */
	revision: number | null;
	createdAt: Date;
	reportList: RectificationReportLine[];
}

const leader = alias(user, 'leader');
const closer = alias(user, 'closer');

/** Neither closed nor cancelled. */
const openSql = sql`${rectification.closedAt} is null and ${rectification.cancelledAt} is null`;

/** The state on a local day: closed and cancelled win; open past its deadline is overdue. */
function stateSql(today: string) {
	return sql<RectificationState>`case
		when ${rectification.cancelledAt} is not null then 'cancelled'
		when ${rectification.closedAt} is not null then 'closed'
		when ${rectification.deadline} < ${today}::date then 'overdue'
		else 'open' end`;
}

function lineColumns(today: string) {
	return {
		id: rectification.id,
		year: rectification.year,
		departmentId: rectification.departmentId,
		departmentCode: department.code,
		departmentNameZh: department.nameZh,
		departmentNameEn: department.nameEn,
		leaderName: leader.displayName,
		deadline: rectification.deadline,
		planSubmitted: sql<boolean>`${rectification.planSubmittedAt} is not null`,
		reports: sql<number>`(select count(*)::int from ${rectificationReport}
			where ${rectificationReport.rectificationId} = ${rectification.id})`,
		closedAt: rectification.closedAt,
		state: stateSql(today)
	};
}

export interface ListOptions {
	year?: number | null;
	/** A liaison's own department. */
	departmentId?: number | null;
	/** Only the overdue ones. */
	overdue?: boolean;
	/** Only those still under way (neither closed nor cancelled). */
	open?: boolean;
	page: number;
	pageSize: number;
	now?: Date;
}

/** One page of rectifications, overdue first, then by deadline; with the total. */
export async function list(db: Executor, opts: ListOptions) {
	const today = formatDate(opts.now ?? new Date());
	const where = and(
		opts.year ? eq(rectification.year, opts.year) : undefined,
		opts.departmentId ? eq(rectification.departmentId, opts.departmentId) : undefined,
		opts.overdue ? overdueSql(opts.now) : undefined,
		opts.open ? openSql : undefined
	);
	const [page, [total]] = await Promise.all([
		db
			.select(lineColumns(today))
			.from(rectification)
			.innerJoin(department, eq(department.id, rectification.departmentId))
			.leftJoin(leader, eq(leader.id, rectification.assignedLeaderId))
			.where(where)
			.orderBy(
				sql`case ${stateSql(today)} when 'overdue' then 0 when 'open' then 1
					when 'closed' then 2 else 3 end`,
				desc(rectification.year),
				asc(rectification.deadline),
				asc(department.code)
			)
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db.select({ n: count() }).from(rectification).where(where)
	]);
	return { rows: page as RectificationLine[], total: total?.n ?? 0 };
}

/** Years that have rectifications, newest first (the list's filter). */
export async function years(db: Executor, departmentId?: number | null): Promise<number[]> {
	const found = await db
		.selectDistinct({ year: rectification.year })
		.from(rectification)
		.where(departmentId ? eq(rectification.departmentId, departmentId) : undefined)
		.orderBy(desc(rectification.year));
	return found.map((r) => r.year);
}

export async function get(
	db: Executor,
	id: number,
	now: Date = new Date()
): Promise<RectificationDetail | null> {
	if (!Number.isSafeInteger(id) || id <= 0) return null;
	const today = formatDate(now);
	const [row] = await db
		.select({
			...lineColumns(today),
			assignedLeaderId: rectification.assignedLeaderId,
			plan: rectification.plan,
			planSubmittedAt: rectification.planSubmittedAt,
			closedBy: closer.displayName,
			closureNote: rectification.closureNote,
			cancelledAt: rectification.cancelledAt,
			revision: evaluationSnapshot.revision,
			createdAt: rectification.createdAt
		})
		.from(rectification)
		.innerJoin(department, eq(department.id, rectification.departmentId))
		.leftJoin(leader, eq(leader.id, rectification.assignedLeaderId))
		.leftJoin(closer, eq(closer.id, rectification.closedBy))
		.leftJoin(evaluationSnapshot, eq(evaluationSnapshot.id, rectification.snapshotId))
		.where(eq(rectification.id, id));
	if (!row) return null;
	const reportList = await db
		.select({
			id: rectificationReport.id,
			body: rectificationReport.body,
			submittedBy: user.displayName,
			submittedAt: rectificationReport.submittedAt
		})
		.from(rectificationReport)
		.leftJoin(user, eq(user.id, rectificationReport.submittedBy))
		.where(eq(rectificationReport.rectificationId, id))
		.orderBy(asc(rectificationReport.submittedAt), asc(rectificationReport.id));
	return { ...(row as Omit<RectificationDetail, 'reportList'>), reportList };
}

/**
 * What the announcement of the year's results names of its rectifications: the department, the
 * assigned city leader's name (null while none is) and the deadline — no plan, report or note.
 * Cancelled ones too: an older revision's announcement names the rectifications it decided.
 */
export async function announced(db: Executor, year: number): Promise<RectificationAssignment[]> {
	return db
		.select({
			departmentCode: department.code,
			leaderName: leader.displayName,
			deadline: rectification.deadline
		})
		.from(rectification)
		.innerJoin(department, eq(department.id, rectification.departmentId))
		.leftJoin(leader, eq(leader.id, rectification.assignedLeaderId))
		.where(eq(rectification.year, year))
		.orderBy(asc(department.code));
}

/** The accounts that can be assigned: enabled city leaders. */
export async function leaders(db: Executor) {
	return db
		.select({ id: user.id, username: user.username, displayName: user.displayName })
		.from(user)
		.where(and(eq(user.role, 'leader'), eq(user.disabled, false)))
		.orderBy(asc(user.displayName), asc(user.username));
}

/** The row, locked for the change, with its department's code (the audit names it). */
async function lockOpen(tx: Tx, id: number): Promise<Rectification & { code: string }> {
	const [row] = await tx
		.select({ r: rectification, code: department.code })
		.from(rectification)
		.innerJoin(department, eq(department.id, rectification.departmentId))
		.where(eq(rectification.id, id))
		.for('update', { of: rectification });
	if (!row) throw new DomainError('rectification_not_found');
	if (row.r.cancelledAt) throw new DomainError('rectification_cancelled');
	if (row.r.closedAt) throw new DomainError('rectification_closed');
	return { ...row.r, code: row.code };
}

const userIdOf = (actor: audit.Actor) => (actor.kind === 'user' ? actor.id : null);

function text(value: string, max: number, field: string): string {
	const t = value.trim();
	if (!t) throw new DomainError('required', { field });
	if (t.length > max) throw new DomainError('too_long', { params: { max }, field });
	return t;
}

async function audited(
	tx: Tx,
	actor: audit.Actor,
	r: { id: number; year: number; code: string },
	action: string,
	changes: Record<string, unknown>
) {
	await audit.record(tx, actor, {
		action: `rectification.${action}`,
		entity: 'rectification',
		entityId: r.id,
		changes: { year: r.year, department: r.code, ...changes }
	});
}

/** Assigns (or reassigns) the city leader; the account must be an enabled leader. */
export async function assignLeader(
	db: Executor,
	id: number,
	leaderId: number,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<void> {
	return db.transaction(async (tx) => {
		const r = await lockOpen(tx, id);
		const [who] = await tx
			.select({ id: user.id, username: user.username })
			.from(user)
			.where(and(eq(user.id, leaderId), eq(user.role, 'leader'), eq(user.disabled, false)));
		if (!who) throw new DomainError('rectification_not_a_leader', { field: 'leaderId' });
		if (r.assignedLeaderId === who.id)
			throw new DomainError('rectification_leader_unchanged', { field: 'leaderId' });
		const [before] = r.assignedLeaderId
			? await tx
					.select({ username: user.username })
					.from(user)
					.where(eq(user.id, r.assignedLeaderId))
			: [];
		await tx
			.update(rectification)
			.set({ assignedLeaderId: who.id, updatedAt: now })
			.where(eq(rectification.id, id));
		await audited(tx, actor, r, 'assign_leader', {
			assignedLeader: { before: before?.username ?? null, after: who.username }
		});
	});
}

/** Files or revises the department's plan, until the rectification is closed. */
export async function submitPlan(
	db: Executor,
	id: number,
	plan: string,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<void> {
	return db.transaction(async (tx) => {
		const r = await lockOpen(tx, id);
		const next = text(plan, TEXT_MAX, 'plan');
		if (next === r.plan) return;
		await tx
			.update(rectification)
			.set({ plan: next, planSubmittedAt: now, updatedAt: now })
			.where(eq(rectification.id, id));
		await audited(tx, actor, r, 'plan', audit.diff({ plan: r.plan }, { plan: next }));
	});
}

/** Adds a progress report; reports are append-only (a trigger refuses changes). */
export async function addReport(
	db: Executor,
	id: number,
	body: string,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<number> {
	return db.transaction(async (tx) => {
		const r = await lockOpen(tx, id);
		const value = text(body, TEXT_MAX, 'body');
		const [row] = await tx
			.insert(rectificationReport)
			.values({ rectificationId: id, body: value, submittedBy: userIdOf(actor), submittedAt: now })
			.returning({ id: rectificationReport.id });
		await tx.update(rectification).set({ updatedAt: now }).where(eq(rectification.id, id));
		await audited(tx, actor, r, 'report', { report: { before: null, after: value } });
		return row!.id;
	});
}

/** Closes it with a note; the department must have filed its plan first. */
export async function close(
	db: Executor,
	id: number,
	note: string,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<void> {
	return db.transaction(async (tx) => {
		const r = await lockOpen(tx, id);
		const value = text(note, NOTE_MAX, 'note');
		if (!r.planSubmittedAt) throw new DomainError('rectification_plan_missing');
		await tx
			.update(rectification)
			.set({ closedAt: now, closedBy: userIdOf(actor), closureNote: value, updatedAt: now })
			.where(eq(rectification.id, id));
		await audited(tx, actor, r, 'close', {
			closedAt: { before: null, after: now.toISOString() },
			closureNote: { before: null, after: value },
			overdue: formatDate(now) > r.deadline
		});
	});
}

/** For filters: the condition "open and past its deadline on `now`'s local day". */
export function overdueSql(now: Date = new Date()): SQL {
	return sql`${openSql} and ${rectification.deadline} < ${formatDate(now)}::date`;
}

/**
 * Makes the year's rectifications follow a newly published revision (inside its transaction):
 * creates or revives one for every department the revision puts in rectification (deadline:
 * the local publication date + the year's rectification days) and cancels those of the year it
 * no longer does. A rectification already under way keeps its deadline.
 */
export async function follow(
	tx: Tx,
	published: { id: number; content: SnapshotContent },
	now: Date
): Promise<{ opened: string[]; cancelled: string[] }> {
	const { year, settings } = published.content;
	const codes = published.content.departments
		.filter((d) => d.outcomes.includes('rectification'))
		.map((d) => d.code);
	const deadline = rectificationDeadline(formatDate(now), settings.rectificationDays);
	const wanted = sql`(select d.id from department d
		where d.code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb)))`;
	const opened = await rows<{ code: string }>(
		tx,
		sql`with upserted as (
			insert into rectification (year, department_id, snapshot_id, deadline)
			select ${year}::int, w.id, ${published.id}::bigint, ${deadline}::date from ${wanted} w
			on conflict (year, department_id) do update set
				snapshot_id = excluded.snapshot_id,
				deadline = case when rectification.cancelled_at is null
					then rectification.deadline else excluded.deadline end,
				cancelled_at = null,
				updated_at = ${now.toISOString()}::timestamptz
			returning department_id
		)
		select d.code from upserted u join department d on d.id = u.department_id order by d.code`
	);
	const cancelled = await rows<{ code: string }>(
		tx,
		sql`with cancelled as (
			update rectification set cancelled_at = ${now.toISOString()}::timestamptz,
				updated_at = ${now.toISOString()}::timestamptz
			where year = ${year}::int and cancelled_at is null
				and department_id not in ${wanted}
			returning department_id
		)
		select d.code from cancelled c join department d on d.id = c.department_id order by d.code`
	);
	return { opened: opened.map((r) => r.code), cancelled: cancelled.map((r) => r.code) };
}
