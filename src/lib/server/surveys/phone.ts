// The phone console (CATI, issue 8): a supervisor works down the units of a campaign's sample
// assigned to them, records each call's outcome, and takes the interview on the same screen.
// Calls are append-only `call_attempt` rows, each written with its audit entry; a completed (or
// partial) interview is its response and its attempt in one transaction, once per response key.
// Numbers stay masked here: dialling reveals one through `revealPhone` (audited).
import { and, eq, sql } from 'drizzle-orm';
import { maskPhone } from '$lib/domain/mask';
import {
	FINAL_OUTCOMES,
	type AttemptOutcome,
	type CallOutcome,
	type InterviewOutcome
} from '$lib/domain/phone';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import { rows, type Executor, type Tx } from '$lib/server/db';
import { callAttempt, sampleUnit, surveyResponse } from '$lib/server/db/schema';
import { consoleBody, consoleCampaign, submitOnce, type ConsoleAnswers } from './consoles';
import { getResponse, type StoredResponse } from './responses';

/** Where a unit stands in the caller's queue, in the order the queue takes them. */
export type QueueState = 'due' | 'new' | 'retry' | 'later';

export interface QueueUnit {
	id: number;
	position: number;
	name: string;
	/** Always masked: `revealPhone` gives the number, audited. */
	phone: string;
	township: string;
	industry: string;
	attempts: number;
	lastOutcome: CallOutcome | null;
	lastAt: Date | null;
	callbackAt: Date | null;
	state: QueueState;
}

const DONE = sql.raw(`array[${FINAL_OUTCOMES.map((o) => `'${o}'`).join(', ')}]::call_outcome[]`);

/** Whether a unit (`su`) is finished: a final call outcome, or answered through its invitation. */
const unitDone = sql`(exists (select 1 from call_attempt a
		where a.sample_unit_id = su.id and a.outcome = any (${DONE}))
	or exists (select 1 from invitation i join invitation_answer ia on ia.invitation_id = i.id
		where i.sample_unit_id = su.id))`;

/** Admins call any unit of a sample; a supervisor the units assigned to them. */
const callsAny = (p: Principal) => p.role === 'admin';

/**
 * The caller's queue for a campaign: the units assigned to `p` (every unit for an admin) that
 * are not finished, call-backs due by `now` first (earliest first), then units never called
 * (in draw order), then those called before (least recently first), then call-backs not due yet
 * (by their time). One page of it, and how many there are.
 */
export async function callQueue(
	db: Executor,
	p: Principal,
	campaignCode: string,
	opts: { now?: Date; page?: number; pageSize?: number } = {}
): Promise<{ rows: QueueUnit[]; total: number; due: number }> {
	const c = await consoleCampaign(db, campaignCode, 'phone');
	const now = (opts.now ?? new Date()).toISOString();
	const pageSize = opts.pageSize ?? 20;
	const page = Math.max(1, opts.page ?? 1);
	const mine = callsAny(p) ? sql`true` : sql`su.assigned_to = ${p.id ?? -1}::int`;
	const found = await rows<
		Omit<QueueUnit, 'lastOutcome' | 'lastAt' | 'callbackAt'> & {
			last_outcome: CallOutcome | null;
			last_at: Date | string | null;
			callback_at: Date | string | null;
			total: number;
			due: number;
		}
	>(
		db,
		sql`with q as (
				select su.id, su.position, su.name, su.phone, su.township, su.industry,
					(select count(*) from call_attempt a where a.sample_unit_id = su.id)::int as attempts,
					la.outcome::text as last_outcome, la.created_at as last_at, la.callback_at,
					case when la.outcome is null then 'new'
						when la.outcome = 'callback' and la.callback_at <= ${now}::timestamptz then 'due'
						when la.outcome = 'callback' then 'later'
						else 'retry' end as state
				from sample_unit su
				left join lateral (select a.outcome, a.created_at, a.callback_at from call_attempt a
					where a.sample_unit_id = su.id order by a.created_at desc, a.id desc limit 1) la on true
				where su.campaign_id = ${c.id}::int and ${mine} and not ${unitDone})
			select q.*, (count(*) over ())::int as total,
				(count(*) filter (where q.state = 'due') over ())::int as due
			from q
			order by array_position(array['due', 'new', 'retry', 'later'], q.state),
				case when q.state in ('due', 'later') then q.callback_at end,
				case when q.state = 'retry' then q.last_at end,
				q.position
			limit ${pageSize}::int offset ${(page - 1) * pageSize}::int`
	);
	const at = (v: Date | string | null) => (v === null ? null : new Date(v));
	return {
		rows: found.map((u) => ({
			id: Number(u.id),
			position: Number(u.position),
			name: u.name,
			phone: maskPhone(u.phone),
			township: u.township,
			industry: u.industry,
			attempts: Number(u.attempts),
			lastOutcome: u.last_outcome,
			lastAt: at(u.last_at),
			callbackAt: at(u.callback_at),
			state: u.state
		})),
		total: Number(found[0]?.total ?? 0),
		due: Number(found[0]?.due ?? 0)
	};
}

/**
 * The unit `p` is calling, locked for the call's record: it is in the campaign, and assigned to
 * `p` (any unit for an admin). Anyone else is refused alike whether the unit exists or not.
 */
async function callableUnit(tx: Tx, p: Principal, campaignId: number, unitId: number) {
	const [u] = await tx
		.select({
			id: sampleUnit.id,
			enterpriseId: sampleUnit.enterpriseId,
			assignedTo: sampleUnit.assignedTo,
			position: sampleUnit.position
		})
		.from(sampleUnit)
		.where(and(eq(sampleUnit.id, unitId), eq(sampleUnit.campaignId, campaignId)))
		.for('update');
	if (p.id === null) throw new DomainError('phone_not_assigned');
	if (callsAny(p)) {
		if (!u) throw new DomainError('sample_unit_not_found');
	} else if (!u || p.role !== 'supervisor' || p.id === null || u.assignedTo !== p.id)
		throw new DomainError('phone_not_assigned');
	const [done] = await rows<{ done: boolean }>(
		tx,
		sql`select ${unitDone} as done from sample_unit su where su.id = ${unitId}::int`
	);
	return { ...u!, done: Boolean(done?.done) };
}

export interface AttemptInput {
	campaignCode: string;
	unitId: number;
	outcome: AttemptOutcome;
	/** Required for a call-back, and later than `now`; ignored otherwise. */
	callbackAt?: Date | null;
	note?: string;
}

async function writeAttempt(
	tx: Tx,
	p: Principal,
	c: { id: number; code: string },
	unit: { id: number; position: number },
	a: { outcome: CallOutcome; callbackAt: Date | null; note: string; responseId: number | null },
	actor: audit.Actor
) {
	const [row] = await tx
		.insert(callAttempt)
		.values({
			campaignId: c.id,
			sampleUnitId: unit.id,
			callerId: p.id!,
			outcome: a.outcome,
			callbackAt: a.callbackAt,
			note: a.note,
			responseId: a.responseId
		})
		.returning();
	await audit.record(tx, actor, {
		action: 'phone.attempt',
		entity: 'sample_unit',
		entityId: unit.id,
		changes: {
			campaign: c.code,
			position: unit.position,
			outcome: { before: null, after: a.outcome },
			...(a.callbackAt ? { callbackAt: { before: null, after: a.callbackAt.toISOString() } } : {}),
			...(a.responseId !== null ? { response: { before: null, after: a.responseId } } : {})
		}
	});
	return row!;
}

/**
 * Records a call without an interview (no answer, busy, refused, wrong number, a call-back at a
 * time, a partial interview broken off before any answer), audited. Refused when the campaign
 * takes no phone responses, the unit is not the caller's, it is finished, or a call-back time is
 * missing or not in the future.
 */
export async function recordAttempt(
	db: Executor,
	p: Principal,
	input: AttemptInput,
	actor: audit.Actor,
	now = new Date()
) {
	const callbackAt = input.outcome === 'callback' ? (input.callbackAt ?? null) : null;
	if (input.outcome === 'callback') {
		if (!callbackAt) throw new DomainError('required', { field: 'callbackAt' });
		if (callbackAt.getTime() <= now.getTime())
			throw new DomainError('phone_callback_past', { field: 'callbackAt' });
	}
	return db.transaction(async (tx) => {
		const c = await consoleCampaign(tx, input.campaignCode, 'phone');
		const unit = await callableUnit(tx, p, c.id, input.unitId);
		if (unit.done) throw new DomainError('phone_unit_done');
		return writeAttempt(
			tx,
			p,
			c,
			unit,
			{ outcome: input.outcome, callbackAt, note: input.note ?? '', responseId: null },
			actor
		);
	});
}

/**
 * Completes (or records as partial) the interview of a unit: its response (channel phone, taken
 * by `p`, about the unit's enterprise) and the call's attempt pointing at it, in one
 * transaction. The same response key again (the page resending) stores nothing more and
 * answers with the stored response.
 */
export async function completeInterview(
	db: Executor,
	p: Principal,
	input: ConsoleAnswers & {
		campaignCode: string;
		unitId: number;
		outcome: InterviewOutcome;
		note?: string;
	},
	actor: audit.Actor,
	now = new Date()
): Promise<{ created: boolean; response: StoredResponse }> {
	return db.transaction(async (tx) => {
		const c = await consoleCampaign(tx, input.campaignCode, 'phone');
		const unit = await callableUnit(tx, p, c.id, input.unitId);
		const [earlier] = await tx
			.select({ id: callAttempt.id })
			.from(callAttempt)
			.innerJoin(surveyResponse, eq(surveyResponse.id, callAttempt.responseId))
			.where(
				and(
					eq(callAttempt.sampleUnitId, unit.id),
					eq(surveyResponse.responseKey, input.response_key)
				)
			);
		if (earlier) {
			const stored = await getResponse(tx, input.response_key);
			return { created: false, response: stored! };
		}
		if (unit.done) throw new DomainError('phone_unit_done');
		const r = await submitOnce(tx, consoleBody(c, 'phone', input, now), {
			interviewerId: p.id,
			enterpriseId: unit.enterpriseId
		});
		// The key holds a response that is not this unit's interview.
		if (!r.created)
			throw new DomainError('response_key_conflict', {
				params: { key: input.response_key },
				field: 'response_key'
			});
		await writeAttempt(
			tx,
			p,
			c,
			unit,
			{
				outcome: input.outcome,
				callbackAt: null,
				note: input.note ?? '',
				responseId: r.response.id
			},
			actor
		);
		return r;
	});
}

export interface PhoneWork {
	code: string;
	nameZh: string;
	nameEn: string;
	closesOn: string | null;
	/** The head of the caller's queue (call-backs due first), and its size. */
	queue: QueueUnit[];
	total: number;
	/** Call-backs whose time has come. */
	due: number;
}

/**
 * The calls waiting for `p` in every active campaign that takes phone responses and has units
 * assigned to `p` (any unit, for an admin): each campaign's queue head as `callQueue` orders it,
 * campaigns closing soonest first; at most `campaigns` of them.
 */
export async function phoneWork(
	db: Executor,
	p: Principal,
	opts: { now?: Date; head: number; campaigns: number }
): Promise<PhoneWork[]> {
	const mine = callsAny(p) ? sql`true` : sql`su.assigned_to = ${p.id ?? -1}::int`;
	const found = await rows<{
		code: string;
		name_zh: string;
		name_en: string;
		closes_on: string | null;
	}>(
		db,
		sql`select c.code, c.name_zh, c.name_en, to_char(c.closes_on, 'YYYY-MM-DD') as closes_on
			from campaign c
			where c.state = 'active' and 'phone' = any (c.channels)
				and exists (select 1 from sample_unit su where su.campaign_id = c.id and ${mine})
			order by c.closes_on asc nulls last, c.code
			limit ${opts.campaigns}::int`
	);
	return Promise.all(
		found.map(async (c) => {
			const q = await callQueue(db, p, c.code, { now: opts.now, pageSize: opts.head });
			return {
				code: c.code,
				nameZh: c.name_zh,
				nameEn: c.name_en,
				closesOn: c.closes_on,
				queue: q.rows,
				total: q.total,
				due: q.due
			};
		})
	);
}
