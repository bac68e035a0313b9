// The memos behind a snapshot page read (src/lib/server/results/integrity.ts): fields are kept
// only for a row version verified in full, looked up by version and projection together, so a
// changed row (another version) or another projection is read again from the database.
import { describe, expect, it } from 'vitest';
import {
	rememberFields,
	rememberVersion,
	servedFields,
	verifiedVersion
} from '$lib/server/results/integrity';

describe('the verified row versions and the fields read from them', () => {
	it('keeps fields of a verified version only, per projection', () => {
		expect(verifiedVersion('v1')).toBeNull();
		rememberFields('v1', 'rankings', '{"a":1}');
		expect(servedFields('v1', 'rankings')).toBeUndefined();
		rememberVersion('v1');
		expect(verifiedVersion('v1')).toBe('v1');
		rememberFields('v1', 'rankings', '{"a":1}');
		expect(servedFields('v1', 'rankings')).toBe('{"a":1}');
		expect(servedFields('v1', 'why aaa')).toBeUndefined();
		expect(servedFields('v2', 'rankings')).toBeUndefined();
	});

	it('makes room by dropping the least recently used version', () => {
		rememberVersion('oldest');
		for (let i = 0; i < 256; i++) rememberVersion(`filler ${i}`);
		expect(verifiedVersion('oldest')).toBeNull();
		expect(verifiedVersion('filler 255')).toBe('filler 255');
	});
});
