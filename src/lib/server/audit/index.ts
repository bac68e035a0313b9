// The audit trail: every change by a signed-in user, the CLI or an API client is recorded in
// the transaction that makes it, chained by SHA-256 so that tampering is detectable.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, count, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import { canonicalJson, changedFields, type FieldChange } from '$lib/domain/canonical';
import type { Executor, Tx } from '$lib/server/db';
import { auditEntry, type AuditEntry } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';

/** Who made a change. `label` is what a reader of the log sees (a username, a token name). */
export interface Actor {
	kind: 'user' | 'api' | 'cli' | 'system';
	id: number | null;
	label: string;
	address?: string | null;
}

export interface AuditInput {
	action: string;
	entity: string;
	entityId?: string | number | null;
	/** Changed fields as before/after pairs; use `diff()` to build them from two records. */
	changes?: Record<string, FieldChange | unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

// Any constant unique to this lock; all appends take it, so the chain cannot fork.
const CHAIN_LOCK_KEY = 7_410_2002;

/**
 * The channel every transaction that appends entries notifies. PostgreSQL delivers a
 * notification only when its transaction commits, in commit order, to every listening session:
 * the app's anchor writer (./anchor-writer.ts) sees exactly the committed changes of every
 * process, and signs the head after each.
 */
export const ANCHOR_CHANNEL = 'pingyi_audit';

export function diff(
	before: Record<string, unknown> | null,
	after: Record<string, unknown> | null
): Record<string, FieldChange> {
	return changedFields(before, after);
}

type Hashable = Pick<
	AuditEntry,
	| 'seq'
	| 'at'
	| 'actorKind'
	| 'actorId'
	| 'actorLabel'
	| 'action'
	| 'entity'
	| 'entityId'
	| 'changes'
	| 'clientAddress'
	| 'prevHash'
>;

/** What an entry's hash covers, in this order (the export's columns follow it). */
export function hashedFields(e: Hashable): unknown[] {
	return [
		e.seq,
		e.at,
		e.actorKind,
		e.actorId,
		e.actorLabel,
		e.action,
		e.entity,
		e.entityId,
		e.changes,
		e.clientAddress,
		e.prevHash
	];
}

export function entryHash(e: Hashable): string {
	const content = canonicalJson(hashedFields(e));
	return encodeHexLowerCase(sha256(new TextEncoder().encode(content)));
}

function entryOf(
	seq: number,
	prevHash: string,
	at: Date,
	actor: Actor,
	input: AuditInput
): Hashable {
	return {
		seq,
		at,
		actorKind: actor.kind,
		actorId: actor.id,
		actorLabel: actor.label,
		action: input.action,
		entity: input.entity,
		entityId: input.entityId == null ? null : String(input.entityId),
		changes: JSON.parse(canonicalJson(input.changes ?? {})),
		clientAddress: actor.address ?? null,
		prevHash
	};
}

/** Appends one entry; call inside the transaction that makes the change. */
export async function record(tx: Tx, actor: Actor, input: AuditInput): Promise<AuditEntry> {
	const [row] = await recordMany(tx, actor, [input]);
	return row!;
}

/**
 * Appends several entries in order under one lock and one INSERT: what a bulk change (an
 * import of hundreds of rows) records, without a round trip per entry.
 */
export async function recordMany(
	tx: Tx,
	actor: Actor,
	inputs: readonly AuditInput[]
): Promise<AuditEntry[]> {
	if (inputs.length === 0) return [];
	// The notification rides on the lock's statement: no round trip of its own.
	await tx.execute(
		sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY}), pg_notify(${ANCHOR_CHANNEL}, '')`
	);
	const [last] = await tx
		.select({ seq: auditEntry.seq, hash: auditEntry.hash })
		.from(auditEntry)
		.orderBy(desc(auditEntry.seq))
		.limit(1);
	// Millisecond precision: what JavaScript and the column both keep, so it re-hashes equal.
	const at = new Date(Date.now());
	let seq = last?.seq ?? 0;
	let prevHash = last?.hash ?? GENESIS_HASH;
	const values = inputs.map((input) => {
		const entry = entryOf(++seq, prevHash, at, actor, input);
		prevHash = entryHash(entry);
		return { ...entry, hash: prevHash };
	});
	return tx.insert(auditEntry).values(values).returning();
}

export interface VerifyResult {
	ok: boolean;
	checked: number;
	/** The first entry that does not match its own hash or its predecessor's. */
	firstBroken: { seq: number; reason: 'hash' | 'link' | 'gap' } | null;
}

/**
 * The entries `condition` selects (all of them without one), oldest first, a page at a time:
 * each page starts after the last seq of the one before, and append-only rows never move.
 */
export async function* entryPages(
	db: Executor,
	condition: SQL | undefined,
	pageSize: number
): AsyncGenerator<AuditEntry[]> {
	let after = 0;
	for (;;) {
		const page = await db
			.select()
			.from(auditEntry)
			.where(and(condition, gt(auditEntry.seq, after)))
			.orderBy(asc(auditEntry.seq))
			.limit(pageSize);
		if (page.length > 0) yield page;
		if (page.length < pageSize) return;
		after = page[page.length - 1]!.seq;
	}
}

/** Walks the whole chain in order, in pages, and names the first broken entry. */
export async function verify(db: Executor, pageSize = 2000): Promise<VerifyResult> {
	let prevHash = GENESIS_HASH;
	let prevSeq = 0;
	let checked = 0;
	for await (const page of entryPages(db, undefined, pageSize)) {
		for (const e of page) {
			checked++;
			if (e.seq !== prevSeq + 1)
				return { ok: false, checked, firstBroken: { seq: e.seq, reason: 'gap' } };
			if (e.prevHash !== prevHash)
				return { ok: false, checked, firstBroken: { seq: e.seq, reason: 'link' } };
			if (entryHash(e) !== e.hash)
				return { ok: false, checked, firstBroken: { seq: e.seq, reason: 'hash' } };
			prevHash = e.hash;
			prevSeq = e.seq;
		}
	}
	return { ok: true, checked, firstBroken: null };
}

export interface AuditFilter {
	actor?: string;
	action?: string;
	entity?: string;
	entityId?: string;
	from?: Date;
	to?: Date;
	q?: string;
}

/** The filter as a condition on `audit_entry` (the page's list, its export). */
export function whereOf(f: AuditFilter): SQL | undefined {
	const parts: (SQL | undefined)[] = [
		f.actor ? eq(auditEntry.actorLabel, f.actor) : undefined,
		f.action ? eq(auditEntry.action, f.action) : undefined,
		f.entity ? eq(auditEntry.entity, f.entity) : undefined,
		f.entityId ? eq(auditEntry.entityId, f.entityId) : undefined,
		f.from ? gte(auditEntry.at, f.from) : undefined,
		f.to ? lte(auditEntry.at, f.to) : undefined,
		containsAny(f.q, [auditEntry.actorLabel, auditEntry.action, auditEntry.entityId])
	];
	return and(...parts);
}

/** One page of entries, newest first, with the total for pagination. */
export async function list(db: Executor, filter: AuditFilter, page: number, pageSize: number) {
	const w = whereOf(filter);
	const [entries, [total]] = await Promise.all([
		db
			.select()
			.from(auditEntry)
			.where(w)
			.orderBy(desc(auditEntry.seq))
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db.select({ n: count() }).from(auditEntry).where(w)
	]);
	return { entries, total: total?.n ?? 0 };
}

/** Distinct actions and entities, for the filter menus. */
export async function facets(db: Executor) {
	const [actions, entities] = await Promise.all([
		db.selectDistinct({ v: auditEntry.action }).from(auditEntry).orderBy(auditEntry.action),
		db.selectDistinct({ v: auditEntry.entity }).from(auditEntry).orderBy(auditEntry.entity)
	]);
	return { actions: actions.map((r) => r.v), entities: entities.map((r) => r.v) };
}
