// Storing a computed draft: the year's earlier drafts go, the new one is written with the digest
// of its canonical JSON, and the computation is audited in the same transaction.
import { getTableColumns, sql } from 'drizzle-orm';
import { canonicalJson } from '$lib/domain/canonical';
import type { SnapshotContent } from '$lib/domain/snapshot';
import * as audit from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { evaluationSnapshot } from '$lib/server/db/schema';
import { jsonDigest } from '../digest';
import type { Snapshot } from '$lib/server/results';

/**
 * Deletes the year's drafts no publication froze: a draft is a working copy, only the newest
 * matters, and one a revision froze stays for the record (published rows point at it).
 */
export async function deleteDrafts(tx: Tx, year: number): Promise<void> {
	await tx.execute(sql`delete from evaluation_snapshot s
		where s.year = ${year}::int and s.kind = 'draft'
			and not exists (select 1 from evaluation_snapshot p where p.draft_id = s.id)`);
}

/** Stores a draft and audits the computation (earlier drafts deleted by the caller). */
export async function storeDraft(
	tx: Tx,
	content: SnapshotContent,
	actor: audit.Actor,
	now: Date
): Promise<Snapshot> {
	// The canonical JSON is serialised once: hashed for the digest and sent as the content
	// (jsonb keeps no key order, so it stores the same value), and the content is not read back.
	const json = canonicalJson(content);
	const digest = jsonDigest(json);
	const { content: _content, ...summaryColumns } = getTableColumns(evaluationSnapshot);
	const [row] = await tx
		.insert(evaluationSnapshot)
		.values({
			year: content.year,
			kind: 'draft',
			content: sql`${json}::jsonb`,
			digest,
			errorCount: content.errors.length,
			warningCount: content.warnings.length,
			computedAt: now,
			computedBy: actor.label
		})
		.returning(summaryColumns);
	await audit.record(tx, actor, {
		action: 'evaluation.compute',
		entity: 'evaluation_snapshot',
		entityId: row!.id,
		changes: {
			year: content.year,
			digest,
			cutoff: content.cutoff,
			departments: content.departments.length,
			errors: content.errors.length,
			warnings: content.warnings.length
		}
	});
	const { createdAt: _createdAt, ...summary } = row!;
	return { ...summary, content, digestOk: true };
}
