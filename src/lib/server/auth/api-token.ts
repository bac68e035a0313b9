// API tokens for other systems: `<id>.<secret>` like sessions, only the secret's hash stored.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, count, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { AccountRole } from '$lib/domain/roles';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import type { Executor, Tx } from '$lib/server/db';
import { apiToken, department, type ApiToken } from '$lib/server/db/schema';
import { cached, invalidateTokens } from '$lib/server/surveys/reference-cache';

/** last_used_at is a hint for the admin ("is this client still calling?"), not a log: writing it
 * on every request would turn each API read into a write, so it moves at most once a minute. */
export const LAST_USED_RESOLUTION_MS = 60_000;

function random(bytes: number) {
	const b = new Uint8Array(bytes);
	crypto.getRandomValues(b);
	return encodeBase32LowerCaseNoPadding(b);
}
const digest = (s: string) => sha256(new TextEncoder().encode(s));

/** Issues a token; the returned secret token is shown once and never stored. */
export async function issue(
	tx: Tx,
	input: { name: string; role: AccountRole; departmentId?: number | null },
	actor: audit.Actor
): Promise<{ token: string; record: ApiToken }> {
	const id = random(10);
	const secret = random(20);
	const [record] = await tx
		.insert(apiToken)
		.values({
			id,
			name: input.name,
			role: input.role,
			departmentId: input.departmentId ?? null,
			secretHash: digest(secret)
		})
		.returning();
	await invalidateTokens(tx);
	await audit.record(tx, actor, {
		action: 'api_token.issue',
		entity: 'api_token',
		entityId: id,
		changes: audit.diff(null, {
			name: input.name,
			role: input.role,
			departmentId: input.departmentId ?? null
		})
	});
	return { token: `${id}.${secret}`, record: record! };
}

/**
 * The token's record when it is valid and not revoked, else null. Stamps last_used_at when it
 * is older than a minute (one conditional UPDATE, so concurrent requests write it once).
 */
export async function validate(
	db: Executor,
	token: string,
	now: Date = new Date()
): Promise<(ApiToken & { departmentCode: string | null }) | null> {
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined || id.length > 64) return null;
	// The record comes from this process's cache (reference-cache.ts): issuing and revoking a
	// token invalidate it; another process sees a revocation within its TTL.
	const row = await cached(db, 'tokens', id, async () => {
		const [found] = await db
			.select({ token: apiToken, departmentCode: department.code })
			.from(apiToken)
			.leftJoin(department, eq(department.id, apiToken.departmentId))
			.where(and(eq(apiToken.id, id), isNull(apiToken.revokedAt)));
		return found ? { ...found.token, departmentCode: found.departmentCode } : null;
	});
	if (!row || !constantTimeEqual(digest(secret), new Uint8Array(row.secretHash))) return null;
	const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
	if (!row.lastUsedAt || row.lastUsedAt < stale) {
		await db
			.update(apiToken)
			.set({ lastUsedAt: now })
			.where(
				and(eq(apiToken.id, id), or(isNull(apiToken.lastUsedAt), lt(apiToken.lastUsedAt, stale)))
			);
		// The cached record moves too, so that the next minute's requests write nothing.
		row.lastUsedAt = now;
	}
	return { ...row };
}

/** Issues a token for a department given by code (a liaison's token); see `issue`. */
export async function create(
	db: Executor,
	input: { name: string; role: AccountRole; departmentCode?: string | null },
	actor: audit.Actor
): Promise<{ token: string; record: ApiToken; departmentCode: string | null }> {
	return db.transaction(async (tx) => {
		let departmentId: number | null = null;
		if (input.departmentCode) {
			const [d] = await tx
				.select({ id: department.id })
				.from(department)
				.where(eq(department.code, input.departmentCode));
			if (!d)
				throw new DomainError('department_unknown', {
					params: { code: input.departmentCode },
					field: 'departmentCode'
				});
			departmentId = d.id;
		}
		const issued = await issue(tx, { name: input.name, role: input.role, departmentId }, actor);
		return { ...issued, departmentCode: input.departmentCode ?? null };
	});
}

/** Revokes a token for good; a revoked token is refused by `validate` from then on. */
export async function revoke(
	db: Executor,
	id: string,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<ApiToken> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(apiToken)
			.set({ revokedAt: now })
			.where(and(eq(apiToken.id, id), isNull(apiToken.revokedAt)))
			.returning();
		if (!row) {
			const [exists] = await tx
				.select({ id: apiToken.id })
				.from(apiToken)
				.where(eq(apiToken.id, id));
			throw new DomainError(exists ? 'token_already_revoked' : 'token_not_found');
		}
		await invalidateTokens(tx);
		await audit.record(tx, actor, {
			action: 'api_token.revoke',
			entity: 'api_token',
			entityId: id,
			changes: audit.diff({ revokedAt: null }, { revokedAt: now })
		});
		return row;
	});
}

/** A token as the admin page shows it: never its hash. */
export interface TokenListRow {
	id: string;
	name: string;
	role: AccountRole;
	departmentCode: string | null;
	createdAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

/** One page of tokens: active ones first, then newest first. */
export async function list(
	db: Executor,
	page: number,
	pageSize: number
): Promise<{ rows: TokenListRow[]; total: number }> {
	const [rows, [total]] = await Promise.all([
		db
			.select({
				id: apiToken.id,
				name: apiToken.name,
				role: apiToken.role,
				departmentCode: department.code,
				createdAt: apiToken.createdAt,
				lastUsedAt: apiToken.lastUsedAt,
				revokedAt: apiToken.revokedAt
			})
			.from(apiToken)
			.leftJoin(department, eq(department.id, apiToken.departmentId))
			.orderBy(desc(isNull(apiToken.revokedAt)), desc(apiToken.createdAt), apiToken.id)
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db.select({ n: count() }).from(apiToken)
	]);
	return { rows, total: total?.n ?? 0 };
}
