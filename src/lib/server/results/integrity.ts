// The integrity check every read of a snapshot makes: its content must hash to its digest
// (SHA-256 of the canonical JSON, `evaluation/digest.ts`). A snapshot that fails is refused the
// same way on every path — page, download, API, CLI — with `digest_mismatch`, and logged once
// per refusal with what an administrator needs to find it.
import type { SnapshotContent } from '$lib/domain/snapshot';
import { DomainError } from '$lib/errors';
import { contentDigest } from '$lib/server/evaluation/digest';

interface Stored {
	id: number;
	year: number;
	revision: number | null;
	digest: string;
}

/** Logs the failed check (year, revision, expected and actual digest) and refuses the read. */
export function refuseTampered(s: Stored, actual: string): never {
	const which = s.revision === null ? 'draft' : `revision ${s.revision}`;
	console.error(
		`results: integrity check failed for ${s.year} ${which} (snapshot ${s.id}): ` +
			`digest ${s.digest} expected, content hashes to ${actual}`
	);
	throw new DomainError('digest_mismatch', { params: { year: s.year } });
}

/** The content of a stored row, refused unless it hashes to the row's digest. */
export function checkedContent(s: Stored, content: SnapshotContent): SnapshotContent {
	const actual = contentDigest(content);
	if (actual !== s.digest) refuseTampered(s, actual);
	return content;
}

// The pages read a few fields of a snapshot in SQL rather than its whole content (hundreds of
// kilobytes at a province's scale). For those reads the database hashes the content it holds
// (SHA-256 of the jsonb's text, a few milliseconds) and this memo says whether content with that
// hash was already verified against the digest in this process: a memo of a pure function
// (content → canonical digest), so it holds no request's state and cannot go stale — any change
// to the stored content changes its hash, which is then verified in full before it is served.
const MEMO_SIZE = 256;
const verified = new Map<string, string>();

/** Whether content with this database hash was verified against `digest` before. */
export function knownIntact(contentHash: string, digest: string): boolean {
	return verified.get(contentHash) === digest;
}

/** Records that content with this database hash matches `digest` (oldest entries make room). */
export function rememberIntact(contentHash: string, digest: string): void {
	verified.delete(contentHash);
	verified.set(contentHash, digest);
	if (verified.size > MEMO_SIZE) verified.delete(verified.keys().next().value!);
}
