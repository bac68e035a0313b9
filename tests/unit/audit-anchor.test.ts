// Signed heads of the audit chain: a line verifies under its key only, any change to it breaks
// its MAC, keys are read as hex or base64 (several: the first signs, all verify), and the
// settings put the key and the anchor file beside the database folder, never in it.
import { describe, expect, it } from 'vitest';
import {
	anchorSettings,
	checkLine,
	headLine,
	keyId,
	parseKeyring,
	signHead
} from '$lib/server/audit/anchor';
import { isDomainError } from '$lib/errors';

const KEY_A = 'a1'.repeat(32);
const KEY_B = Buffer.from('b'.repeat(40)).toString('base64');
const HASH = 'c'.repeat(64);
const ring = parseKeyring(KEY_A, 'test');

describe('signed heads', () => {
	const head = signHead(ring, { seq: 42, hash: HASH }, new Date('2025-03-01T08:00:00.000Z'));
	const line = headLine(head);

	it('is one JSON line naming the key that signed it', () => {
		expect(line.endsWith('\n')).toBe(true);
		expect(JSON.parse(line)).toEqual({
			seq: 42,
			hash: HASH,
			at: '2025-03-01T08:00:00.000Z',
			kid: keyId(Buffer.from(KEY_A, 'hex')),
			mac: expect.stringMatching(/^[0-9a-f]{64}$/)
		});
		expect(head.kid).toHaveLength(16);
	});

	it('verifies under its key', () => {
		expect(checkLine(ring, line.trim())).toEqual({ ok: true, seq: 42, hash: HASH });
	});

	it.each([
		['seq', { seq: 41 }],
		['hash', { hash: 'd'.repeat(64) }],
		['at', { at: '2025-03-01T08:00:00.001Z' }],
		['mac', { mac: 'e'.repeat(64) }]
	])('refuses a line whose %s was changed', (_, change) => {
		const changed = JSON.stringify({ ...JSON.parse(line), ...change });
		expect(checkLine(ring, changed)).toMatchObject({ ok: false, reason: 'bad_mac' });
	});

	it('refuses a line signed with another key as an unknown key', () => {
		const other = parseKeyring(KEY_B, 'test');
		const forged = headLine(signHead(other, { seq: 42, hash: HASH }));
		expect(checkLine(ring, forged)).toMatchObject({
			ok: false,
			reason: 'unknown_key',
			kid: other.signing.kid
		});
	});

	it('refuses a line that claims our key id but was signed with another key', () => {
		const other = parseKeyring(KEY_B, 'test');
		const forged = { ...signHead(other, { seq: 42, hash: HASH }), kid: ring.signing.kid };
		expect(checkLine(ring, JSON.stringify(forged))).toMatchObject({ ok: false, reason: 'bad_mac' });
	});

	it.each([
		['not JSON', '{"seq":'],
		['no mac', JSON.stringify({ seq: 1, hash: HASH, at: 'x', kid: 'k' })],
		['a negative seq', JSON.stringify({ ...head, seq: -1 })],
		['a short hash', JSON.stringify({ ...head, hash: 'abc' })],
		['an array', '[]']
	])('calls %s malformed', (_, text) => {
		expect(checkLine(ring, text)).toEqual({ ok: false, reason: 'malformed' });
	});
});

describe('keys', () => {
	it('reads hex and base64, the first key signing and every key verifying (rotation)', () => {
		const rotated = parseKeyring(`${KEY_B}\n${KEY_A}\n`, 'file');
		expect(rotated.signing.kid).toBe(keyId(Buffer.from(KEY_B, 'base64')));
		const old = headLine(signHead(ring, { seq: 1, hash: HASH }));
		expect(checkLine(rotated, old)).toMatchObject({ ok: true });
		expect(parseKeyring(`${KEY_A}, ${KEY_B}`, 'env').keys.size).toBe(2);
	});

	it.each([
		['too short', 'ab'.repeat(31)],
		['empty', '  \n'],
		['neither hex nor base64', '!'.repeat(64)]
	])('refuses a key that is %s', (_, text) => {
		let caught: unknown;
		try {
			parseKeyring(text, 'PINGYI_AUDIT_KEY');
		} catch (e) {
			caught = e;
		}
		expect(isDomainError(caught, 'audit_key_invalid')).toBe(true);
	});
});

describe('settings', () => {
	it('puts the key and the anchor file beside the embedded database folder', () => {
		const s = anchorSettings({ PGLITE_DIR: '/srv/pingyi/pglite' });
		expect(s).toEqual({
			keyText: null,
			keyFile: '/srv/pingyi/audit.key',
			anchorFile: '/srv/pingyi/audit-anchor.jsonl'
		});
	});

	it('takes the environment over the defaults, and off turns the anchor file off', () => {
		const s = anchorSettings({
			PINGYI_AUDIT_KEY: KEY_A,
			PINGYI_AUDIT_KEY_FILE: '/keys/audit.key',
			PINGYI_AUDIT_ANCHOR_FILE: 'off'
		});
		expect(s).toEqual({ keyText: KEY_A, keyFile: '/keys/audit.key', anchorFile: null });
	});
});
