// The digest of a snapshot: SHA-256 (hex) of the canonical JSON of its content, so the same
// content always gives the same digest and any change to a stored content is detectable.
import { createHash } from 'node:crypto';
import { canonicalJson } from '$lib/domain/canonical';
import type { SnapshotContent } from '$lib/domain/snapshot';

export function contentDigest(content: SnapshotContent): string {
	return jsonDigest(canonicalJson(content));
}

/** The digest of a content already serialised by `canonicalJson`. */
export function jsonDigest(canonical: string): string {
	return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
