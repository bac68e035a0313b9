// The integrity check every read of a snapshot makes: its content must hash to its digest
// (SHA-256 of the canonical JSON, `evaluation/digest.ts`). A snapshot that fails is refused the
// same way on every path — page, download, API, CLI — with `digest_mismatch`, and logged once
// per refusal with what an administrator needs to find it.
import type { SnapshotContent } from '$lib/domain/snapshot';
import { DomainError } from '$lib/errors';
import { contentDigest } from '$lib/server/evaluation/digest';
import { log } from '$lib/server/log';

interface Stored {
	id: number;
	year: number;
	revision: number | null;
	digest: string;
}

/** Logs the failed check (year, revision, expected and actual digest) and refuses the read. */
export function refuseTampered(s: Stored, actual: string): never {
	const which = s.revision === null ? 'draft' : `revision ${s.revision}`;
	log(
		'error',
		`results: integrity check failed for ${s.year} ${which} (snapshot ${s.id}): ` +
			`digest ${s.digest} expected, content hashes to ${actual}`,
		{ year: s.year, revision: s.revision, snapshot: s.id, expected: s.digest, actual }
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
// kilobytes at a province's scale), and only from content verified against its digest. These
// memos say which stored row versions (snapshots.ts: PostgreSQL writes every change to a row as
// a new version) this process has verified in full, and the fields already read from each. A
// version's content never changes, so neither can go stale: a changed row is another version,
// verified in full before anything of it is served. Least recently used entries make room.
const VERSIONS = 256;
const FIELDS = 512;
const versions = new Set<string>();
const fields = new Map<string, string>();

function touch<K, V>(memo: Map<K, V> | Set<K>, key: K, size: number, value?: V): void {
	memo.delete(key);
	if (memo instanceof Map) memo.set(key, value as V);
	else memo.add(key);
	if (memo.size > size) memo.delete(memo.keys().next().value!);
}

/** The version itself when this process verified its content in full, else null. */
export function verifiedVersion(version: string): string | null {
	return versions.has(version) ? version : null;
}

/** Records that the content of this row version matched its digest. */
export function rememberVersion(version: string): void {
	touch(versions, version, VERSIONS);
}

/** The fields (`projection`: their SQL) read before from this verified row version, if any. */
export function servedFields(version: string, projection: string): string | undefined {
	const key = `${version}\n${projection}`;
	const text = fields.get(key);
	if (text !== undefined) touch(fields, key, FIELDS, text);
	return text;
}

/** Records the fields read from a verified row version. */
export function rememberFields(version: string, projection: string, text: string): void {
	if (versions.has(version)) touch(fields, `${version}\n${projection}`, FIELDS, text);
}
