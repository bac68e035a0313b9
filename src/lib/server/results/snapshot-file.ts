// A published snapshot as a file anyone can check: its content in the canonical JSON whose
// SHA-256 is the digest the results pages print, downloadable by the public; and the check of
// such a file (`npm run cli -- verify FILE`): it must be canonical JSON, byte for byte, and its
// digest must be that of a published revision.
import { canonicalJson } from '$lib/domain/canonical';
import type { Executor } from '$lib/server/db';
import { evaluationSnapshot } from '$lib/server/db/schema';
import { jsonDigest } from '$lib/server/evaluation/digest';
import { and, eq } from 'drizzle-orm';
import { publishedRevision, summaryColumns, type SnapshotSummary } from './snapshots';

export interface SnapshotFile {
	filename: string;
	body: string;
	digest: string;
}

/** The file of a published revision (the current one when `revision` is null), or null. */
export async function publishedSnapshotFile(
	db: Executor,
	year: number,
	revision: number | null
): Promise<SnapshotFile | null> {
	const s = await publishedRevision(db, year, revision);
	if (!s) return null;
	return {
		filename: `pingyi-results-${s.year}-r${s.revision}-${s.digest.slice(0, 12)}.json`,
		body: canonicalJson(s.content),
		digest: s.digest
	};
}

export type SnapshotFileCheck =
	| { ok: true; digest: string; snapshot: SnapshotSummary }
	/** not_json: not JSON at all; altered: JSON, but not as published (edited, reformatted);
	 * unknown: canonical, but no published revision has its digest. */
	| { ok: false; reason: 'not_json' | 'altered' | 'unknown'; digest: string };

/** Which published revision a file is, if any. */
export async function verifySnapshotFile(
	db: Executor,
	bytes: Uint8Array
): Promise<SnapshotFileCheck> {
	const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
	const digest = jsonDigest(text);
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { ok: false, reason: 'not_json', digest };
	}
	if (canonicalJson(parsed) !== text) return { ok: false, reason: 'altered', digest };
	const [snapshot] = await db
		.select(summaryColumns)
		.from(evaluationSnapshot)
		.where(and(eq(evaluationSnapshot.digest, digest), eq(evaluationSnapshot.kind, 'published')))
		.limit(1);
	return snapshot ? { ok: true, digest, snapshot } : { ok: false, reason: 'unknown', digest };
}
