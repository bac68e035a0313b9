// Complaints taken in and handled here (issue 9 §1–3): the public form and a supervisor's entry
// of a complaint that came by another channel; the tracking page; every step of the workflow of
// $lib/domain/complaints, each in a transaction with its audit entry (entity `complaint`, keyed
// by its number); and what each role may see of a complaint, decided here:
// - admins, supervisors and leaders see every complaint; the complainant's name and contact
//   only admins and the supervisor handling it see whole, others masked (roles.md);
// - a liaison sees its own department's complaints, never who complained;
// - an enterprise account sees the complaints it filed itself;
// - the public sees one complaint on the tracking page, by its number and secret code.
// Imported complaints (no `state`: their own system handled them) are listed, never acted on.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import {
	allowedActions,
	complaintDue,
	formatComplaintNo,
	nextState,
	normalizeTrackingCode,
	OPEN_STATES,
	publicStage,
	refusal,
	TRACKING_CODE_LENGTH,
	type ComplaintAction,
	type ComplaintChannel,
	type ComplaintDeadlines,
	type ComplaintDue,
	type ComplaintFacts,
	type ComplaintState,
	type ComplaintVerdict,
	type PublicStage,
	type Sanction
} from '$lib/domain/complaints';
import { maskedChanges, maskedText, maskName, maskPhone } from '$lib/domain/mask';
import { hasRole, ROLES } from '$lib/domain/roles';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import { calendarOf, localDate, type WorkingDayCalendar } from '$lib/domain/working-days';
import { DomainError } from '$lib/errors';
import type { ComplaintActionInput, ComplaintFormInput } from '$lib/schemas/complaint-workflow';
import * as audit from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import { recordFailure, retryAfterSeconds } from '$lib/server/auth/rate-limit';
import {
	localDateSql,
	WORKING_DAY,
	workingDayCalendar,
	workingDaysBetweenSql
} from '$lib/server/calendar/working-days-sql';
import { rows, type Executor, type Tx } from '$lib/server/db';
import {
	calendarDay,
	complaint,
	complaintAttachment,
	complaintSanction,
	department,
	evaluationYear,
	user,
	type Complaint
} from '$lib/server/db/schema';
import { getComplaintSettings } from '$lib/server/settings';
import { attachmentResponse, type StoredAttachment } from './attachments';

/** Two people filing at once must not draw one number. */
const NUMBER_LOCK_KEY = 7_410_3102;

// --- Tracking codes ------------------------------------------------------------------------------

/** A new secret tracking code: 80 random bits, 16 base32 letters. */
export function newTrackingCode(): string {
	const bytes = new Uint8Array((TRACKING_CODE_LENGTH * 5) / 8);
	crypto.getRandomValues(bytes);
	return encodeBase32UpperCaseNoPadding(bytes);
}

/** What `complaint.tracking_hash` holds: SHA-256 of the code as normalised, hex. */
export function hashTrackingCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeTrackingCode(code))));
}

// --- Who may do what -----------------------------------------------------------------------------

/** Who acts: the principal's role, account and department (a liaison's). */
export type ComplaintReader = Pick<Principal, 'kind' | 'role' | 'id' | 'departmentId'>;

/** The account behind a reader (an API token's id is no account). */
const accountOf = (p: ComplaintReader) => (p.kind === 'user' ? p.id : null);

const handles = (p: ComplaintReader) => hasRole(p.role, ROLES.manageComplaints);

/**
 * Whether the reader may see this complaint at all: staff who see every department, a liaison
 * its own department's, an enterprise account what it filed. Anyone else: as if it did not exist.
 */
function sees(p: ComplaintReader, c: { departmentId: number; filedBy: number | null }): boolean {
	switch (p.role) {
		case 'admin':
		case 'supervisor':
		case 'leader':
			return true;
		case 'liaison':
			return p.departmentId !== null && p.departmentId === c.departmentId;
		case 'enterprise':
			return p.id !== null && c.filedBy === p.id;
		default:
			return false;
	}
}

/** How the complainant's name and contact are shown to the reader: whole, masked, or not at all. */
export function identityFor(
	p: ComplaintReader,
	c: { assigneeId: number | null; filedBy: number | null }
): 'whole' | 'masked' | 'none' {
	if (p.role === 'admin') return 'whole';
	if (p.role === 'supervisor') return c.assigneeId === p.id ? 'whole' : 'masked';
	if (p.role === 'leader') return 'masked';
	if (p.role === 'enterprise' && c.filedBy === p.id) return 'whole';
	return 'none';
}

/** A contact masked: a phone number as maskPhone, an address's part before `@` as maskName. */
function maskContact(contact: string): string {
	const at = contact.indexOf('@');
	return at > 0 ? maskName(contact.slice(0, at)) + contact.slice(at) : maskPhone(contact);
}

/** The actions this reader may take on a complaint now. */
function actionsFor(p: ComplaintReader, facts: ComplaintFacts): ComplaintAction[] {
	return allowedActions(facts).filter((a) =>
		a === 'respond' ? p.role === 'liaison' || p.role === 'admin' : handles(p)
	);
}

// --- Deadlines -----------------------------------------------------------------------------------

/** The calendar of the listed days from `from` to `to` (local dates), and around them. */
async function calendarBetween(
	db: Executor,
	from: string,
	to: string
): Promise<WorkingDayCalendar> {
	const entries = await db
		.select({ date: calendarDay.date, kind: calendarDay.kind })
		.from(calendarDay)
		.where(sql`${calendarDay.date} between ${from}::date - 7 and ${to}::date + 400`);
	return calendarOf(entries);
}

/**
 * The working days of each step for a complaint received in `year`: the settings' deadlines,
 * and the department's response time of that evaluation year (scoring.md §2.3).
 */
async function deadlinesFor(db: Executor, year: number): Promise<ComplaintDeadlines> {
	const [settings, [y]] = await Promise.all([
		getComplaintSettings(db),
		db
			.select({
				days: sql<string | null>`${evaluationYear.settings}->>'complaintResponseWorkingDays'`
			})
			.from(evaluationYear)
			.where(eq(evaluationYear.year, year))
	]);
	const responseDays = Number(y?.days ?? DEFAULT_SETTINGS.complaintResponseWorkingDays);
	return { ...settings, responseDays };
}

const dateOf = (d: Date | null) => (d === null ? null : localDate(d));

/** What a complaint's deadlines are measured with: its limits, the calendar, today. */
interface Clock {
	limits: ComplaintDeadlines;
	cal: WorkingDayCalendar;
	today: string;
}

/** One read of the settings, the year's response time and the calendar, for a complaint. */
async function clockOf(db: Executor, c: Complaint, now: Date): Promise<Clock> {
	const received = localDate(c.receivedAt);
	const today = localDate(now);
	const [limits, cal] = await Promise.all([
		deadlinesFor(db, Number(received.slice(0, 4))),
		calendarBetween(db, received, today)
	]);
	return { limits, cal, today };
}

/** Due dates and lateness of a complaint row (as it is, or about to be written). */
function dueOf(c: Complaint, clock: Clock): ComplaintDue {
	return complaintDue(
		c.state!,
		{
			received: localDate(c.receivedAt),
			accepted: dateOf(c.acceptedAt),
			responseRequested: dateOf(c.responseRequestedAt),
			responded: dateOf(c.respondedAt),
			concluded: dateOf(c.concludedAt)
		},
		clock.limits,
		c.extendedAt !== null,
		clock.today,
		clock.cal
	);
}

// --- Taking a complaint in -----------------------------------------------------------------------

interface NewComplaint {
	form: ComplaintFormInput;
	/** Files sent with it, checked and stored already (`storeAttachments`). */
	attachments?: readonly StoredAttachment[];
	channel: ComplaintChannel;
	receivedAt: Date;
	enteredBy: number | null;
	filedBy: number | null;
}

export interface FiledComplaint {
	complaintNo: string;
	/** Shown once, to the complainant: only its hash is kept. */
	trackingCode: string;
}

async function insertComplaint(
	tx: Tx,
	c: NewComplaint,
	actor: audit.Actor
): Promise<FiledComplaint> {
	const [d] = await tx
		.select({ id: department.id, code: department.code })
		.from(department)
		.where(and(eq(department.code, c.form.department_code), eq(department.active, true)));
	if (!d) throw new DomainError('complaint_department', { field: 'department_code' });
	await tx.execute(sql`select pg_advisory_xact_lock(${NUMBER_LOCK_KEY})`);
	const year = Number(localDate(c.receivedAt).slice(0, 4));
	const [last] = await rows<{ n: number }>(
		tx,
		sql`select coalesce(max(substring(complaint_no from 8)::int), 0)::int as n
			from complaint where complaint_no ~ ${`^TS${year}-[0-9]{6}$`}`
	);
	const complaintNo = formatComplaintNo(year, Number(last?.n ?? 0) + 1);
	const trackingCode = newTrackingCode();
	const [row] = await tx
		.insert(complaint)
		.values({
			complaintNo,
			departmentId: d.id,
			receivedAt: c.receivedAt,
			channel: c.channel,
			category: c.form.category,
			summary: c.form.summary,
			state: 'received',
			trackingHash: hashTrackingCode(trackingCode),
			anonymous: c.form.anonymous,
			complainantName: c.form.anonymous ? null : (c.form.name ?? null),
			complainantContact: c.form.contact ?? null,
			enteredBy: c.enteredBy,
			filedBy: c.filedBy
		})
		.returning({ id: complaint.id });
	if (c.attachments && c.attachments.length > 0)
		await tx.insert(complaintAttachment).values(
			c.attachments.map((a) => ({
				complaintId: row!.id,
				name: a.name,
				contentType: a.contentType,
				size: a.size,
				sha256: a.sha256
			}))
		);
	// The trail says that a complaint came, about whom and how; never who complained.
	await audit.record(tx, actor, {
		action: 'complaint.file',
		entity: 'complaint',
		entityId: complaintNo,
		changes: audit.diff(null, {
			department: d.code,
			category: c.form.category,
			channel: c.channel,
			state: 'received',
			anonymous: c.form.anonymous,
			attachments: c.attachments?.length ?? 0
		})
	});
	return { complaintNo, trackingCode };
}

/** Each address may file a few complaints an hour, then waits longer and longer (spam). */
const fileKeys = (address: string) => [`complaint-file:${address}`];

/**
 * A complaint from the public form (channel `online`), named or anonymous; `filedBy` when an
 * enterprise account files it signed in (it then finds it on its own page). Throttled per
 * address: every filing counts, and after a few within the hour the next must wait.
 */
export async function fileComplaint(
	db: Executor,
	form: ComplaintFormInput,
	opts: {
		address: string;
		now?: Date;
		filedBy?: { id: number; label: string } | null;
		attachments?: readonly StoredAttachment[];
	}
): Promise<FiledComplaint> {
	const now = opts.now ?? new Date();
	const keys = fileKeys(opts.address);
	const wait = await retryAfterSeconds(db, keys, now);
	if (wait > 0) throw new DomainError('complaint_throttled', { params: { seconds: wait } });
	const actor: audit.Actor = opts.filedBy
		? { kind: 'user', id: opts.filedBy.id, label: opts.filedBy.label, address: opts.address }
		: { kind: 'system', id: null, label: 'public', address: opts.address };
	return db.transaction(async (tx) => {
		const filed = await insertComplaint(
			tx,
			{
				form,
				attachments: opts.attachments,
				channel: 'online',
				receivedAt: now,
				enteredBy: null,
				filedBy: opts.filedBy?.id ?? null
			},
			actor
		);
		await recordFailure(tx, keys, now);
		return filed;
	});
}

/** A complaint a supervisor took by telephone, in person, by letter or on a visit. */
export async function enterComplaint(
	db: Executor,
	p: ComplaintReader,
	input: {
		form: ComplaintFormInput;
		channel: ComplaintChannel;
		received_at?: Date;
		attachments?: readonly StoredAttachment[];
	},
	actor: audit.Actor,
	now: Date = new Date()
): Promise<FiledComplaint> {
	if (!handles(p)) throw new DomainError('complaint_forbidden');
	return db.transaction((tx) =>
		insertComplaint(
			tx,
			{
				form: input.form,
				attachments: input.attachments,
				channel: input.channel,
				receivedAt: input.received_at ?? now,
				enteredBy: accountOf(p),
				filedBy: null
			},
			actor
		)
	);
}

// --- Tracking ------------------------------------------------------------------------------------

const trackKeys = (address: string) => [`complaint-track:${address}`];

/** What the tracking page shows: the complaint's progress and answer, nothing of anyone. */
export interface TrackedComplaint {
	complaintNo: string;
	receivedAt: Date;
	department: { nameZh: string; nameEn: string };
	category: string;
	stage: PublicStage;
	/** The final answer given to the complainant, or why it was not accepted. */
	answer: string | null;
	/** Once the answer is given. */
	verdict: ComplaintVerdict | null;
	answeredAt: Date | null;
}

/**
 * The complaint of a number and its tracking code. A wrong pair (either part) is refused alike
 * and counts against the address, as wrong invitation tokens do; while the address is
 * throttled nothing is looked up.
 */
export async function trackComplaint(
	db: Executor,
	input: { no: string; code: string },
	opts: { address: string; now?: Date }
): Promise<TrackedComplaint> {
	const now = opts.now ?? new Date();
	const keys = trackKeys(opts.address);
	const wait = await retryAfterSeconds(db, keys, now);
	if (wait > 0) throw new DomainError('complaint_throttled', { params: { seconds: wait } });
	const hash = hashTrackingCode(input.code);
	const [row] = await db
		.select({
			c: complaint,
			nameZh: department.nameZh,
			nameEn: department.nameEn
		})
		.from(complaint)
		.innerJoin(department, eq(department.id, complaint.departmentId))
		.where(eq(complaint.complaintNo, input.no.trim()));
	const c = row?.c;
	if (!c || c.trackingHash === null || !sameHash(c.trackingHash, hash)) {
		await recordFailure(db, keys, now);
		throw new DomainError('complaint_tracking_invalid');
	}
	return trackedView(c, row);
}

/**
 * The complaints an enterprise account filed itself while signed in, newest first, as the
 * tracking page shows each (its stage and final answer); none for any other role.
 */
export async function ownComplaints(db: Executor, p: ComplaintReader): Promise<TrackedComplaint[]> {
	if (p.role !== 'enterprise' || p.kind !== 'user' || p.id === null) return [];
	const found = await db
		.select({ c: complaint, nameZh: department.nameZh, nameEn: department.nameEn })
		.from(complaint)
		.innerJoin(department, eq(department.id, complaint.departmentId))
		.where(eq(complaint.filedBy, p.id))
		.orderBy(sql`${complaint.receivedAt} desc`, sql`${complaint.id} desc`)
		.limit(200);
	return found.map((r) => trackedView(r.c, r));
}

/** What the complainant may read of a complaint: its progress and answer, nothing of anyone. */
function trackedView(c: Complaint, d: { nameZh: string; nameEn: string }): TrackedComplaint {
	const stage = publicStage(c.state!);
	const answered = stage === 'answered' || stage === 'closed';
	return {
		complaintNo: c.complaintNo,
		receivedAt: c.receivedAt,
		department: { nameZh: d.nameZh, nameEn: d.nameEn },
		category: c.category,
		stage,
		answer: stage === 'not_accepted' ? c.notAcceptedReason : answered ? c.feedback : null,
		verdict: answered ? c.verdict : null,
		answeredAt: answered ? c.feedbackAt : null
	};
}

const sameHash = (stored: string, hash: string) =>
	constantTimeEqual(decodeHex(stored), decodeHex(hash));

// --- The steps -----------------------------------------------------------------------------------

/** What the trail keeps of a step beyond the state: the step's own words, never an identity. */
type StepChanges = Record<string, { before: unknown; after: unknown }>;

async function lockComplaint(tx: Tx, no: string): Promise<Complaint> {
	const [c] = await tx.select().from(complaint).where(eq(complaint.complaintNo, no)).for('update');
	// An imported complaint is handled in its own system: nothing to do here.
	if (!c || c.state === null) throw new DomainError('complaint_not_found');
	return c;
}

/** The facts an action's rules look at; the response is overdue as `complaintDue` says. */
function factsOf(c: Complaint, due: ComplaintDue): ComplaintFacts {
	return {
		state: c.state!,
		verdict: c.verdict,
		extended: c.extendedAt !== null,
		assigned: c.assigneeId !== null,
		responseOverdue: due.next?.step === 'response' && due.next.overdue
	};
}

/**
 * Takes one step of a complaint's handling: checked against the workflow and against who acts
 * (a liaison answers for its own department only; the other steps are the supervisors' and
 * admins'), written with its audit entry in one transaction.
 */
export async function actOnComplaint<A extends ComplaintAction>(
	db: Executor,
	p: ComplaintReader,
	no: string,
	action: A,
	input: ComplaintActionInput<A>,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<{ state: ComplaintState }> {
	return db.transaction(async (tx) => {
		const c = await lockComplaint(tx, no);
		if (!sees(p, c)) throw new DomainError('complaint_not_found');
		const mayAct =
			action === 'respond'
				? p.role === 'admin' || (p.role === 'liaison' && p.departmentId === c.departmentId)
				: handles(p);
		if (!mayAct) throw new DomainError('complaint_forbidden');
		const clock = await clockOf(tx, c, now);
		const facts = factsOf(c, dueOf(c, clock));
		const refused = refusal(action, facts);
		if (refused) throw new DomainError(refused);
		const state = nextState(action, c.state!);
		const set: Partial<typeof complaint.$inferInsert> = { state, updatedAt: now };
		const changes: StepChanges = {};
		const said = (key: string, after: unknown) => (changes[key] = { before: null, after });
		const i = input as Record<string, unknown>;
		switch (action) {
			case 'accept':
				set.acceptedAt = now;
				break;
			case 'reject':
				set.notAcceptedReason = i.reason as string;
				said('reason', i.reason);
				break;
			case 'assign': {
				const assignee = await supervisorById(tx, i.assignee as number);
				set.assigneeId = assignee.id;
				changes.assignee = { before: c.assigneeId, after: assignee.id };
				break;
			}
			case 'request_response':
				set.responseRequestedAt = now;
				if (i.note) said('note', i.note);
				break;
			case 'respond':
				set.respondedAt = now;
				set.respondedBy = accountOf(p);
				set.departmentResponse = i.response as string;
				said('response', i.response);
				break;
			case 'conclude':
				set.concludedAt = now;
				set.verdict = i.verdict as ComplaintVerdict;
				set.findings = i.findings as string;
				said('verdict', i.verdict);
				said('findings', i.findings);
				break;
			case 'sanction':
				await tx.insert(complaintSanction).values({
					complaintId: c.id,
					kind: i.kind as Sanction,
					note: (i.note as string | undefined) ?? '',
					decidedOn: i.decided_on as string,
					createdBy: accountOf(p)
				});
				said('sanction', i.kind);
				if (i.note) said('note', i.note);
				break;
			case 'extend':
				set.extendedAt = now;
				set.extensionReason = i.reason as string;
				said('reason', i.reason);
				break;
			case 'give_feedback':
				set.feedbackAt = now;
				set.feedback = i.feedback as string;
				said('feedback', i.feedback);
				break;
			case 'close':
				set.closedAt = now;
				break;
		}
		// For complaints handled here, `response_late` is the rule's, from the recorded times.
		if (action === 'respond' || action === 'conclude') {
			const due = dueOf({ ...c, ...set } as Complaint, clock);
			set.responseLate = due.responseLate;
			if (due.responseLate !== c.responseLate)
				changes.responseLate = { before: c.responseLate, after: due.responseLate };
		}
		await tx.update(complaint).set(set).where(eq(complaint.id, c.id));
		await audit.record(tx, actor, {
			action: `complaint.${action}`,
			entity: 'complaint',
			entityId: c.complaintNo,
			changes: {
				...(state !== c.state ? { state: { before: c.state, after: state } } : {}),
				...changes
			}
		});
		return { state };
	});
}

/** An active supervisor's account (whom a complaint may be assigned to). */
async function supervisorById(tx: Executor, id: number) {
	const [u] = await tx
		.select({ id: user.id, role: user.role, disabled: user.disabled })
		.from(user)
		.where(eq(user.id, id));
	if (!u || u.role !== 'supervisor' || u.disabled)
		throw new DomainError('complaint_assignee', { field: 'assignee' });
	return u;
}

/** Supervisors a complaint may be assigned to, by name. */
export async function assignableSupervisors(db: Executor) {
	return db
		.select({ id: user.id, displayName: user.displayName })
		.from(user)
		.where(and(eq(user.role, 'supervisor'), eq(user.disabled, false)))
		.orderBy(asc(user.displayName));
}

// --- Reading -------------------------------------------------------------------------------------

/** One step in a complaint's trail, as the reader may see it. */
export interface ComplaintHistoryEntry {
	at: Date;
	actorLabel: string;
	action: string;
	changes: Record<string, { before: unknown; after: unknown }>;
}

export interface ComplaintView {
	complaintNo: string;
	/** Null for an imported complaint (handled in its own system). */
	state: ComplaintState | null;
	department: { code: string; nameZh: string; nameEn: string };
	receivedAt: Date;
	channel: string;
	category: string;
	summary: string;
	anonymous: boolean;
	/** As the reader may see it: whole, masked, or null (a liaison never sees who complained). */
	complainant: { name: string | null; contact: string | null } | null;
	assignee: { id: number; displayName: string } | null;
	acceptedAt: Date | null;
	notAcceptedReason: string | null;
	responseRequestedAt: Date | null;
	respondedAt: Date | null;
	departmentResponse: string | null;
	verdict: ComplaintVerdict | null;
	findings: string | null;
	concludedAt: Date | null;
	responseLate: boolean;
	extendedAt: Date | null;
	extensionReason: string | null;
	feedback: string | null;
	feedbackAt: Date | null;
	closedAt: Date | null;
	sanctions: { kind: Sanction; note: string; decidedOn: string }[];
	/**
	 * Files sent with it (name, type, size), for those who see who complained in full (admins, the
	 * handling supervisor, the enterprise that filed it): a photo or a letter may show who it is.
	 * Null for everyone else.
	 */
	attachments: { id: number; name: string; contentType: string; size: number }[] | null;
	/** What is due next (open complaints handled here). */
	due: ComplaintDue | null;
	/** The steps this reader may take now. */
	actions: ComplaintAction[];
	/**
	 * The trail of the steps, oldest first, for those who handle or oversee complaints (a
	 * liaison sees the complaint and its own answer, not the supervisors' notes); the texts
	 * masked as the complaint's are.
	 */
	history: ComplaintHistoryEntry[];
}

/** One complaint as the reader may see it (`complaint_not_found` when it may not). */
export async function getComplaint(
	db: Executor,
	p: ComplaintReader,
	no: string,
	now: Date = new Date()
): Promise<ComplaintView> {
	const [row] = await db
		.select({
			c: complaint,
			code: department.code,
			nameZh: department.nameZh,
			nameEn: department.nameEn,
			assignee: user.displayName
		})
		.from(complaint)
		.innerJoin(department, eq(department.id, complaint.departmentId))
		.leftJoin(user, eq(user.id, complaint.assigneeId))
		.where(eq(complaint.complaintNo, no));
	if (!row || !sees(p, row.c)) throw new DomainError('complaint_not_found');
	const c = row.c;
	const identity = identityFor(p, c);
	const shown = (v: string | null, mask: (s: string) => string) =>
		v === null ? null : identity === 'whole' ? v : mask(v);
	// Phone and ID numbers typed into the texts are masked for whoever may not see who complained.
	const text = <T extends string | null>(v: T): T => (identity === 'whole' ? v : maskedText(v));
	const [attachments, sanctions, clock, trail] = await Promise.all([
		identity !== 'whole'
			? null
			: db
					.select({
						id: complaintAttachment.id,
						name: complaintAttachment.name,
						contentType: complaintAttachment.contentType,
						size: complaintAttachment.size
					})
					.from(complaintAttachment)
					.where(eq(complaintAttachment.complaintId, c.id))
					.orderBy(asc(complaintAttachment.id)),
		db
			.select({
				kind: complaintSanction.kind,
				note: complaintSanction.note,
				decidedOn: complaintSanction.decidedOn
			})
			.from(complaintSanction)
			.where(eq(complaintSanction.complaintId, c.id))
			.orderBy(asc(complaintSanction.id)),
		c.state === null ? null : clockOf(db, c, now),
		p.role === 'liaison'
			? { entries: [] }
			: audit.list(db, { entity: 'complaint', entityId: c.complaintNo }, 1, 200)
	]);
	const timed = clock && dueOf(c, clock);
	const facts = timed && factsOf(c, timed);
	const due = timed && OPEN_STATES.includes(c.state!) ? timed : null;
	return {
		complaintNo: c.complaintNo,
		state: c.state,
		department: { code: row.code, nameZh: row.nameZh, nameEn: row.nameEn },
		receivedAt: c.receivedAt,
		channel: c.channel,
		category: c.category,
		summary: text(c.summary),
		anonymous: c.anonymous,
		complainant:
			identity === 'none'
				? null
				: {
						name: shown(c.complainantName, maskName),
						contact: shown(c.complainantContact, maskContact)
					},
		assignee:
			c.assigneeId !== null && row.assignee !== null
				? { id: c.assigneeId, displayName: row.assignee }
				: null,
		acceptedAt: c.acceptedAt,
		notAcceptedReason: text(c.notAcceptedReason),
		responseRequestedAt: c.responseRequestedAt,
		respondedAt: c.respondedAt,
		departmentResponse: text(c.departmentResponse),
		verdict: c.verdict,
		findings: text(c.findings),
		concludedAt: c.concludedAt,
		responseLate: c.responseLate,
		extendedAt: c.extendedAt,
		extensionReason: text(c.extensionReason),
		feedback: text(c.feedback),
		feedbackAt: c.feedbackAt,
		closedAt: c.closedAt,
		sanctions:
			identity === 'whole' ? sanctions : sanctions.map((x) => ({ ...x, note: maskedText(x.note) })),
		attachments,
		due,
		actions: facts ? actionsFor(p, facts) : [],
		history: trail.entries.reverse().map((e) => ({
			at: e.at,
			actorLabel: e.actorLabel,
			action: e.action,
			changes: (identity === 'whole' ? e.changes : maskedChanges(e.changes)) as Record<
				string,
				{ before: unknown; after: unknown }
			>
		}))
	};
}

/**
 * A file sent with a complaint, as a download, for a reader who sees who complained in full
 * (see `ComplaintView.attachments`); `complaint_not_found` otherwise, alike for a wrong number
 * or file.
 */
export async function complaintAttachmentDownload(
	db: Executor,
	p: ComplaintReader,
	no: string,
	id: number
): Promise<Response> {
	const [row] = await db
		.select({
			a: complaintAttachment,
			departmentId: complaint.departmentId,
			filedBy: complaint.filedBy,
			assigneeId: complaint.assigneeId
		})
		.from(complaintAttachment)
		.innerJoin(complaint, eq(complaint.id, complaintAttachment.complaintId))
		.where(and(eq(complaint.complaintNo, no), eq(complaintAttachment.id, id)));
	if (!row || !sees(p, row) || identityFor(p, row) !== 'whole')
		throw new DomainError('complaint_not_found');
	return attachmentResponse(row.a);
}

// --- The worklist --------------------------------------------------------------------------------

export interface WorklistRow {
	complaintNo: string;
	state: ComplaintState;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	category: string;
	receivedAt: Date;
	assignee: string | null;
	/** The step waited for, and its working days left (negative: overdue by that many). */
	step: 'accept' | 'response' | 'conclude';
	daysLeft: number;
}

/**
 * The step a complaint in an open state waits for, when it started and its working days, as SQL
 * over `complaint c` and the year's response time `r.response_days`: the rule of `complaintDue`
 * (tests/integration/complaint-workflow.test.ts compares the two).
 */
function waitingSql(limits: Omit<ComplaintDeadlines, 'responseDays'>) {
	return {
		step: sql`case c.state when 'received' then 'accept'
			when 'response_requested' then 'response' else 'conclude' end`,
		start: sql`case c.state when 'received' then c.received_at
			when 'response_requested' then c.response_requested_at else c.accepted_at end`,
		days: sql`case c.state when 'received' then ${limits.acceptDays}::int
			when 'response_requested' then r.response_days
			else case when c.extended_at is null then ${limits.concludeDays}::int
				else ${limits.extendedConcludeDays}::int end end`
	};
}

/**
 * The open complaints a reader works on, those longest past their deadline first: for a
 * supervisor those assigned to them and the ones not yet accepted (`all`: every open one); for
 * an admin every open one; for a liaison its department's, those awaiting its response first
 * (without who complained: the rows name nobody). Leaders and others have no worklist.
 */
export async function worklist(
	db: Executor,
	p: ComplaintReader,
	opts: { page: number; pageSize: number; all?: boolean },
	now: Date = new Date()
): Promise<{ rows: WorklistRow[]; total: number }> {
	let scope: SQL;
	if (p.role === 'liaison' && p.departmentId !== null)
		scope = sql`c.department_id = ${p.departmentId}::int`;
	else if (p.role === 'supervisor' && !opts.all)
		scope = sql`(c.assignee_id = ${p.id}::int or c.state = 'received')`;
	else if (handles(p)) scope = sql`true`;
	else return { rows: [], total: 0 };
	const w = waitingSql(await getComplaintSettings(db));
	const today = localDate(now);
	const open = sql.join(
		OPEN_STATES.map((s) => sql`${s}`),
		sql`, `
	);
	const where = sql`c.state::text in (${open}) and ${scope}`;
	const [list, [count]] = await Promise.all([
		rows<{
			complaint_no: string;
			state: ComplaintState;
			code: string;
			name_zh: string;
			name_en: string;
			category: string;
			received_at: Date | string;
			assignee: string | null;
			step: WorklistRow['step'];
			days_left: number;
		}>(
			db,
			sql`with ${sql.raw(WORKING_DAY)} as (${workingDayCalendar({
				from: sql`${today}::date - 400`,
				to: sql`${today}::date`
			})})
			select c.complaint_no, c.state::text as state, d.code, d.name_zh, d.name_en, c.category,
				c.received_at, u.display_name as assignee, ${w.step} as step,
				(${w.days} - ${workingDaysBetweenSql(localDateSql(w.start), sql`${today}::date`)})::int
					as days_left
			from complaint c
			join department d on d.id = c.department_id
			left join "user" u on u.id = c.assignee_id
			cross join ${sql.raw(WORKING_DAY)}
			cross join lateral (select coalesce(
				(select (y.settings->>'complaintResponseWorkingDays')::int from evaluation_year y
					where y.year = extract(year from ${localDateSql(sql`c.received_at`)})::int),
				${DEFAULT_SETTINGS.complaintResponseWorkingDays}::int) as response_days) r
			where ${where}
			order by ${p.role === 'liaison' ? sql`(c.state = 'response_requested') desc, ` : sql``}days_left,
				c.received_at, c.id
			limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`
		),
		rows<{ n: number }>(db, sql`select count(*)::int as n from complaint c where ${where}`)
	]);
	return {
		rows: list.map((r) => ({
			complaintNo: r.complaint_no,
			state: r.state,
			departmentCode: r.code,
			departmentNameZh: r.name_zh,
			departmentNameEn: r.name_en,
			category: r.category,
			receivedAt: new Date(r.received_at),
			assignee: r.assignee,
			step: r.step,
			daysLeft: Number(r.days_left)
		})),
		total: Number(count?.n ?? 0)
	};
}
