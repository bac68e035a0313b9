// The second factor's rules: the TOTP step window and reuse, recovery codes, the key's
// encryption, who must have one and when a session has passed its second step.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountRole } from '$lib/domain/roles';
import {
	formatRecoveryCode,
	normaliseRecoveryCode,
	normaliseTotpCode,
	RECOVERY_ALPHABET,
	secondFactorRequired,
	secondStep
} from '$lib/domain/two-factor';
import { hashRecoveryCode, newRecoveryCodes } from '$lib/server/auth/recovery-codes';
import {
	decryptTotpKey,
	encryptTotpKey,
	enrolmentKey,
	keyForManualEntry,
	keyUri,
	matchStep,
	stepAt,
	totpCode,
	totpEncryptionKey
} from '$lib/server/auth/totp';

const KEY = new TextEncoder().encode('12345678901234567890');

describe('TOTP', () => {
	// RFC 6238 Appendix B, SHA-1, reduced to six digits (the last six of the eight given).
	it.each([
		[59, '287082'],
		[1111111109, '081804'],
		[1111111111, '050471'],
		[1234567890, '005924'],
		[2000000000, '279037']
	])('at %i s the code is %s (RFC 6238)', (seconds, code) => {
		expect(totpCode(KEY, stepAt(new Date(seconds * 1000)))).toBe(code);
	});

	const now = new Date(1_700_000_015_000);
	const step = stepAt(now);

	it.each([
		[-2, null],
		[-1, -1],
		[0, 0],
		[1, 1],
		[2, null]
	])('a code of the step %i from now matches: %s', (offset, matched) => {
		const found = matchStep(KEY, totpCode(KEY, step + offset), now, null);
		expect(found).toBe(matched === null ? null : step + matched);
	});

	it('refuses a code of a step at or before the last one accepted (reuse)', () => {
		const code = totpCode(KEY, step);
		expect(matchStep(KEY, code, now, step - 1)).toBe(step);
		expect(matchStep(KEY, code, now, step)).toBeNull();
		expect(matchStep(KEY, totpCode(KEY, step - 1), now, step)).toBeNull();
		expect(matchStep(KEY, totpCode(KEY, step + 1), now, step)).toBe(step + 1);
	});

	it('refuses another key’s code and what is not a code', () => {
		const other = new Uint8Array(20).fill(7);
		expect(matchStep(KEY, totpCode(other, step), now, null)).toBeNull();
		expect(matchStep(KEY, '', now, null)).toBeNull();
		expect(matchStep(KEY, totpCode(KEY, step) + '0', now, null)).toBeNull();
	});

	it('writes the key for manual entry and as an otpauth URI', () => {
		expect(keyForManualEntry(KEY)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
		const uri = new URL(keyUri('Pingyi', 'admin', KEY));
		expect(uri.protocol).toBe('otpauth:');
		expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
		expect(uri.searchParams.get('period')).toBe('30');
		expect(uri.searchParams.get('digits')).toBe('6');
	});

	it('offers a session the same enrolment key each time, another session another', () => {
		const secret = new Uint8Array(32).fill(3);
		expect(enrolmentKey(secret, 's1', 1)).toEqual(enrolmentKey(secret, 's1', 1));
		expect(enrolmentKey(secret, 's1', 1)).toHaveLength(20);
		expect(enrolmentKey(secret, 's2', 1)).not.toEqual(enrolmentKey(secret, 's1', 1));
		expect(enrolmentKey(new Uint8Array(32), 's1', 1)).not.toEqual(enrolmentKey(secret, 's1', 1));
	});

	it.each([
		['123456', '123456'],
		[' 123 456 ', '123456'],
		['12345', null],
		['1234567', null],
		['12345a', null]
	])('%j as typed is the code %j', (typed, code) => {
		expect(normaliseTotpCode(typed)).toBe(code);
	});
});

describe('the TOTP key’s encryption', () => {
	const secret = new Uint8Array(32).map((_, i) => i);

	it('round-trips, with a fresh IV each time', () => {
		const a = encryptTotpKey(secret, 7, KEY);
		const b = encryptTotpKey(secret, 7, KEY);
		expect(a).not.toEqual(b);
		expect(a).toHaveLength(12 + KEY.length + 16);
		expect(decryptTotpKey(secret, 7, a)).toEqual(KEY);
	});

	it('refuses another secret, another user’s row, or an altered blob', () => {
		const blob = encryptTotpKey(secret, 7, KEY);
		expect(() => decryptTotpKey(new Uint8Array(32), 7, blob)).toThrow();
		expect(() => decryptTotpKey(secret, 8, blob)).toThrow();
		const altered = blob.slice();
		altered[14]! ^= 1;
		expect(() => decryptTotpKey(secret, 7, altered)).toThrow();
	});

	it('takes PINGYI_TOTP_KEY as hex or base64, 32 bytes only', async () => {
		const hex = 'ab'.repeat(32);
		expect(await totpEncryptionKey({ PINGYI_TOTP_KEY: hex })).toEqual(
			new Uint8Array(32).fill(0xab)
		);
		const b64 = Buffer.alloc(32, 0xab).toString('base64');
		expect(await totpEncryptionKey({ PINGYI_TOTP_KEY: b64 })).toEqual(
			new Uint8Array(32).fill(0xab)
		);
		await expect(totpEncryptionKey({ PINGYI_TOTP_KEY: 'ab'.repeat(16) })).rejects.toThrow(
			/32 bytes/
		);
		await expect(totpEncryptionKey({ PINGYI_TOTP_KEY: 'not a key!' })).rejects.toThrow(/32 bytes/);
	});

	it('else a key file made on first use, readable by its owner only', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'pingyi-totp-key-'));
		try {
			const file = join(dir, 'sub', 'totp.key');
			const first = await totpEncryptionKey({ PINGYI_TOTP_KEY_FILE: file });
			expect(first).toHaveLength(32);
			expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
			expect(statSync(file).mode & 0o077).toBe(0);
			expect(await totpEncryptionKey({ PINGYI_TOTP_KEY_FILE: file })).toEqual(first);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('recovery codes', () => {
	it('are ten codes of ten characters of the unambiguous alphabet, all different', () => {
		const codes = newRecoveryCodes();
		expect(codes).toHaveLength(10);
		expect(new Set(codes).size).toBe(10);
		for (const c of codes) {
			expect(c).toHaveLength(10);
			for (const ch of c) expect(RECOVERY_ALPHABET).toContain(ch);
		}
		expect(RECOVERY_ALPHABET).not.toMatch(/[01ILO]/);
	});

	it('read the same however typed; the hash is SHA-256 of the normal form', () => {
		const code = 'ABCDE23456';
		expect(formatRecoveryCode(code)).toBe('ABCDE-23456');
		expect(normaliseRecoveryCode('abcde-23456')).toBe(code);
		expect(normaliseRecoveryCode(' ABCDE 23456 ')).toBe(code);
		expect(normaliseRecoveryCode('ABCDE-2345')).toBeNull();
		expect(normaliseRecoveryCode('ABCDE-2345O')).toBeNull();
		expect(Buffer.from(hashRecoveryCode(code)).toString('hex')).toBe(
			createHash('sha256').update(code).digest('hex')
		);
		expect(hashRecoveryCode(code)).toHaveLength(32);
	});
});

describe('who must have a second factor', () => {
	const off = { supervisors: false, liaisons: false };
	const on = { supervisors: true, liaisons: true };
	it.each<[AccountRole, boolean, boolean]>([
		['admin', true, true],
		['leader', true, true],
		['supervisor', false, true],
		['liaison', false, true],
		['enterprise', false, false]
	])('%s: %s with the settings off, %s with them on', (role, withOff, withOn) => {
		expect(secondFactorRequired(role, off)).toBe(withOff);
		expect(secondFactorRequired(role, on)).toBe(withOn);
	});
});

describe('the second step a session owes', () => {
	const settings = { supervisors: false, liaisons: false };
	const T = new Date('2026-03-01T08:00:00Z');
	const later = new Date(T.getTime() + 1000);
	it.each<[string, AccountRole, Date | null, Date | null, string]>([
		['an admin without a factor enrols', 'admin', null, null, 'enrol'],
		['an admin with one gives a code', 'admin', T, null, 'verify'],
		['verified at enrolment', 'admin', T, T, 'done'],
		['verified after enrolment', 'leader', T, later, 'done'],
		['verified before the factor was set up anew', 'admin', later, T, 'verify'],
		['a supervisor not required and without one', 'supervisor', null, null, 'done'],
		['a supervisor who set one up gives a code', 'supervisor', T, null, 'verify'],
		['an enterprise, never', 'enterprise', null, null, 'done']
	])('%s', (_, role, enrolledAt, verifiedAt, step) => {
		expect(secondStep({ role, enrolledAt, verifiedAt, settings })).toBe(step);
	});
});
