// Inspection findings (督查发现): supervisors record, confirm and withdraw them; a department
// disputes one of its own once, with a reason. Only confirmed findings count (scoring.md §2.1).
// Every change is audited under entity `finding`, keyed by the finding number.
import { aliasedTable, and, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import {
	formatFindingNo,
	nextStatus,
	refusal,
	type FindingAction,
	type FindingSource,
	type FindingStatus
} from '$lib/domain/findings';
import { maskedChanges, maskedText } from '$lib/domain/mask';
import { hasRole, ROLES, type Role } from '$lib/domain/roles';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import { rows, type Executor, type Tx } from '$lib/server/db';
import { department, finding, user, type Finding } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';

/** Who reads findings: their texts are shaped for the role (`seesWhole`). */
export interface FindingReader {
	role: Role;
}

/**
 * Whether the reader sees the phone and ID numbers typed into a finding's texts: those who may
 * see identities (admins, supervisors: roles.md); leaders and the department get them masked.
 */
const seesWhole = (reader: FindingReader) => hasRole(reader.role, ROLES.seeRespondents);

/** The finding's free texts as the reader may see them (a list row has only its description). */
function textsFor<
	T extends { description: string; disputeReason?: string | null; resolutionNote?: string | null }
>(reader: FindingReader, f: T): T {
	if (seesWhole(reader)) return f;
	return {
		...f,
		description: maskedText(f.description),
		...('disputeReason' in f ? { disputeReason: maskedText(f.disputeReason) } : {}),
		...('resolutionNote' in f ? { resolutionNote: maskedText(f.resolutionNote) } : {})
	};
}

// Any constant unique to this lock: two supervisors recording at once must not draw one number.
const NUMBER_LOCK_KEY = 7_410_3101;

export interface FindingListRow {
	id: number;
	findingNo: string;
	date: string;
	source: FindingSource;
	points: string;
	status: FindingStatus;
	description: string;
	disputed: boolean;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
}

export interface ListOptions {
	q?: string;
	year?: number;
	/** A liaison's list: only this department's findings, whatever else is asked. */
	departmentId?: number;
	departmentCode?: string;
	status?: FindingStatus;
	source?: FindingSource;
	/** Only those the department may still dispute (`refusal('dispute', …)` allows it). */
	disputable?: boolean;
	page: number;
	pageSize: number;
}

/** The twin in SQL of `refusal('dispute', …) === null`: recorded or confirmed, never disputed. */
const disputableSql = sql`(${finding.status} in ('recorded', 'confirmed')
	and ${finding.disputeReason} is null)`;

function whereOf(o: Omit<ListOptions, 'page' | 'pageSize'>): SQL | undefined {
	return and(
		o.departmentId !== undefined ? eq(finding.departmentId, o.departmentId) : undefined,
		o.departmentCode ? eq(department.code, o.departmentCode) : undefined,
		o.year !== undefined
			? and(gte(finding.date, `${o.year}-01-01`), lte(finding.date, `${o.year}-12-31`))
			: undefined,
		o.status ? eq(finding.status, o.status) : undefined,
		o.source ? eq(finding.source, o.source) : undefined,
		o.disputable ? disputableSql : undefined,
		containsAny(o.q?.trim(), [finding.findingNo, finding.description])
	);
}

const listColumns = {
	id: finding.id,
	findingNo: finding.findingNo,
	date: finding.date,
	source: finding.source,
	points: finding.points,
	status: finding.status,
	description: finding.description,
	disputed: sql<boolean>`(${finding.disputeReason} is not null)`,
	departmentCode: department.code,
	departmentNameZh: department.nameZh,
	departmentNameEn: department.nameEn
};

/** One page of findings, newest first, with the total and the sum of counted points. */
export async function list(
	db: Executor,
	reader: FindingReader,
	opts: ListOptions
): Promise<{ rows: FindingListRow[]; total: number; confirmedPoints: string }> {
	const where = whereOf(opts);
	const [page, [totals]] = await Promise.all([
		db
			.select(listColumns)
			.from(finding)
			.innerJoin(department, eq(department.id, finding.departmentId))
			.where(where)
			.orderBy(desc(finding.date), desc(finding.id))
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db
			.select({
				n: count(),
				confirmedPoints: sql<string>`coalesce(sum(${finding.points}) filter (where ${finding.status} = 'confirmed'), 0)::numeric(12,2)::text`
			})
			.from(finding)
			.innerJoin(department, eq(department.id, finding.departmentId))
			.where(where)
	]);
	return {
		rows: page.map((r) => textsFor(reader, r)),
		total: totals?.n ?? 0,
		confirmedPoints: totals?.confirmedPoints ?? '0.00'
	};
}

export interface FindingDetail extends Finding {
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	createdByName: string | null;
	disputedByName: string | null;
	resolvedByName: string | null;
}

const createdBy = aliasedTable(user, 'created_by_user');
const disputedBy = aliasedTable(user, 'disputed_by_user');
const resolvedBy = aliasedTable(user, 'resolved_by_user');

/**
 * A finding with its department and the names of the people who acted on it, its texts as the
 * reader may see them, or null.
 */
export async function get(
	db: Executor,
	reader: FindingReader,
	findingNo: string
): Promise<FindingDetail | null> {
	const [r] = await db
		.select({
			finding,
			departmentCode: department.code,
			departmentNameZh: department.nameZh,
			departmentNameEn: department.nameEn,
			createdByName: createdBy.displayName,
			disputedByName: disputedBy.displayName,
			resolvedByName: resolvedBy.displayName
		})
		.from(finding)
		.innerJoin(department, eq(department.id, finding.departmentId))
		.leftJoin(createdBy, eq(createdBy.id, finding.createdBy))
		.leftJoin(disputedBy, eq(disputedBy.id, finding.disputedBy))
		.leftJoin(resolvedBy, eq(resolvedBy.id, finding.resolvedBy))
		.where(eq(finding.findingNo, findingNo));
	if (!r) return null;
	const { finding: f, ...rest } = r;
	return textsFor(reader, { ...f, ...rest });
}

export interface HistoryEntry {
	at: Date;
	actorLabel: string;
	action: string;
	changes: Record<string, { before: unknown; after: unknown }>;
}

/** What happened to a finding, oldest first: its audit entries, texts as the reader may see them. */
export async function history(
	db: Executor,
	reader: FindingReader,
	findingNo: string
): Promise<HistoryEntry[]> {
	const { entries } = await audit.list(db, { entity: 'finding', entityId: findingNo }, 1, 200);
	const whole = seesWhole(reader);
	return entries.reverse().map((e) => ({
		at: e.at,
		actorLabel: e.actorLabel,
		action: e.action,
		changes: (whole ? e.changes : maskedChanges(e.changes)) as HistoryEntry['changes']
	}));
}

/** What the audit trail records of a finding itself. */
export function auditView(f: {
	departmentCode: string;
	date: string;
	source: FindingSource;
	points: string;
	status: FindingStatus;
	description: string;
}) {
	return {
		department: f.departmentCode,
		date: f.date,
		source: f.source,
		points: Number(f.points).toFixed(2),
		status: f.status,
		description: f.description
	};
}

const userIdOf = (actor: audit.Actor) => (actor.kind === 'user' ? actor.id : null);

/** The next free generated number of a year; call under NUMBER_LOCK_KEY. */
async function nextNumber(tx: Tx, year: number): Promise<string> {
	const [r] = await rows<{ n: number }>(
		tx,
		sql`select coalesce(max(substring(finding_no from 7)::int), 0)::int + 1 as n
			from finding where finding_no ~ ${`^F${year}-[0-9]{6}$`}`
	);
	return formatFindingNo(year, r?.n ?? 1);
}

export interface RecordFinding {
	/** Given by the supervisor, or drawn from the year's running numbers when absent. */
	findingNo?: string;
	departmentCode: string;
	date: string;
	source: FindingSource;
	/** Canonical decimal text, e.g. `-2.00` (see parsePoints). */
	points: string;
	description: string;
}

/** Records a finding as `recorded`: it counts once a supervisor confirms it. */
export async function record(
	db: Executor,
	input: RecordFinding,
	actor: audit.Actor
): Promise<Finding> {
	return db.transaction(async (tx) => {
		const [d] = await tx
			.select({ id: department.id, code: department.code })
			.from(department)
			.where(eq(department.code, input.departmentCode.trim()));
		if (!d)
			throw new DomainError('department_unknown', {
				params: { code: input.departmentCode },
				field: 'departmentCode'
			});
		let findingNo = input.findingNo?.trim();
		if (!findingNo) {
			await tx.execute(sql`select pg_advisory_xact_lock(${NUMBER_LOCK_KEY})`);
			findingNo = await nextNumber(tx, Number(input.date.slice(0, 4)));
		}
		const [row] = await tx
			.insert(finding)
			.values({
				findingNo,
				departmentId: d.id,
				date: input.date,
				source: input.source,
				points: input.points,
				status: 'recorded',
				description: input.description.trim(),
				createdBy: userIdOf(actor)
			})
			.onConflictDoNothing({ target: finding.findingNo })
			.returning();
		if (!row) throw new DomainError('finding_no_taken', { field: 'findingNo' });
		await audit.record(tx, actor, {
			action: 'finding.create',
			entity: 'finding',
			entityId: row.findingNo,
			changes: audit.diff(null, auditView({ ...row, departmentCode: d.code }))
		});
		return row;
	});
}

async function lock(tx: Tx, findingNo: string): Promise<Finding> {
	const [f] = await tx.select().from(finding).where(eq(finding.findingNo, findingNo)).for('update');
	if (!f) throw new DomainError('finding_not_found');
	return f;
}

function check(action: FindingAction, f: Finding) {
	const problem = refusal(action, { status: f.status, disputed: f.disputeReason !== null });
	if (problem) throw new DomainError(problem);
}

/** A supervisor's decision: confirm (a recorded or disputed finding) or withdraw (any). */
async function resolve(
	tx: Tx,
	action: 'confirm' | 'withdraw',
	findingNo: string,
	note: string | undefined,
	actor: audit.Actor,
	now: Date
): Promise<Finding> {
	const before = await lock(tx, findingNo);
	check(action, before);
	const resolutionNote = note?.trim() || null;
	const status = nextStatus(action);
	const [after] = await tx
		.update(finding)
		.set({
			status,
			resolutionNote,
			resolvedAt: now,
			resolvedBy: userIdOf(actor),
			updatedAt: now
		})
		.where(eq(finding.id, before.id))
		.returning();
	await audit.record(tx, actor, {
		action: `finding.${action}`,
		entity: 'finding',
		entityId: findingNo,
		changes: {
			status: { before: before.status, after: status },
			...(resolutionNote ? { note: { before: null, after: resolutionNote } } : {})
		}
	});
	return after!;
}

export function confirm(
	db: Executor,
	findingNo: string,
	input: { note?: string },
	actor: audit.Actor,
	now: Date = new Date()
): Promise<Finding> {
	return db.transaction((tx) => resolve(tx, 'confirm', findingNo, input.note, actor, now));
}

export function withdraw(
	db: Executor,
	findingNo: string,
	input: { note: string },
	actor: audit.Actor,
	now: Date = new Date()
): Promise<Finding> {
	return db.transaction((tx) => resolve(tx, 'withdraw', findingNo, input.note, actor, now));
}

/**
 * The department's dispute, once per finding, while it is recorded or confirmed. `departmentId`
 * is the disputing liaison's department: another department's finding is "not found", so a
 * liaison learns nothing about it.
 */
export async function dispute(
	db: Executor,
	findingNo: string,
	input: { reason: string; departmentId: number },
	actor: audit.Actor,
	now: Date = new Date()
): Promise<Finding> {
	return db.transaction(async (tx) => {
		const before = await lock(tx, findingNo);
		if (before.departmentId !== input.departmentId) throw new DomainError('finding_not_found');
		check('dispute', before);
		const reason = input.reason.trim();
		const [after] = await tx
			.update(finding)
			.set({
				status: 'disputed',
				disputeReason: reason,
				disputedAt: now,
				disputedBy: userIdOf(actor),
				updatedAt: now
			})
			.where(eq(finding.id, before.id))
			.returning();
		await audit.record(tx, actor, {
			action: 'finding.dispute',
			entity: 'finding',
			entityId: findingNo,
			changes: {
				status: { before: before.status, after: 'disputed' },
				reason: { before: null, after: reason }
			}
		});
		return after!;
	});
}

/** The years findings exist for, newest first (for the year filter). */
export async function years(db: Executor, departmentId?: number): Promise<number[]> {
	const r = await db
		.selectDistinct({ year: sql<number>`extract(year from ${finding.date})::int` })
		.from(finding)
		.where(departmentId !== undefined ? eq(finding.departmentId, departmentId) : undefined)
		.orderBy(desc(sql`1`));
	return r.map((x) => Number(x.year));
}
