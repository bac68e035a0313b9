// API tokens for other systems: `<id>.<secret>` like sessions, only the secret's hash stored.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, isNull } from 'drizzle-orm';
import type { AccountRole } from '$lib/domain/roles';
import * as audit from '$lib/server/audit';
import type { Executor, Tx } from '$lib/server/db';
import { apiToken, type ApiToken } from '$lib/server/db/schema';

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

export async function validate(db: Executor, token: string): Promise<ApiToken | null> {
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined || id.length > 64) return null;
	const [row] = await db
		.select()
		.from(apiToken)
		.where(and(eq(apiToken.id, id), isNull(apiToken.revokedAt)));
	if (!row || !constantTimeEqual(digest(secret), new Uint8Array(row.secretHash))) return null;
	return row;
}
