// Invitation tokens and card numbers: a token carries at least 128 bits (160) in 32 base32
// characters, is derived from the secret and the card number alone, and only its SHA-256 is
// stored; card numbers are prefix-year-sequence, zero-padded; the key file is made once.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import {
	complaintUrl,
	formatCardNo,
	invitationUrl,
	isTokenShaped,
	parseCardNo
} from '$lib/domain/invitations';
import { contactCardSettingsSchema } from '$lib/server/settings';
import { hashToken, invitationSecret, invitationToken } from '$lib/server/surveys/invitations';

const secret = new TextEncoder().encode('unit-test-secret-0123456789abcdef');

describe('invitation tokens', () => {
	it('carry at least 128 bits, as 32 lower-case base32 characters', () => {
		const token = invitationToken(secret, 'YA-2026-000001');
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		expect(isTokenShaped(token)).toBe(true);
		const bits = decodeBase32IgnorePadding(token.toUpperCase()).length * 8;
		expect(bits).toBeGreaterThanOrEqual(128);
		expect(bits).toBe(160);
	});

	it('are the same for the same secret and card, and differ otherwise', () => {
		const a = invitationToken(secret, 'YA-2026-000001');
		expect(invitationToken(secret, 'YA-2026-000001')).toBe(a);
		expect(invitationToken(secret, 'YA-2026-000002')).not.toBe(a);
		const other = new TextEncoder().encode('another-secret-0123456789abcdefgh');
		expect(invitationToken(other, 'YA-2026-000001')).not.toBe(a);
	});

	it('are stored as their SHA-256, hex', () => {
		const token = invitationToken(secret, 'YA-2026-000001');
		const expected = createHash('sha256').update(token).digest('hex');
		expect(hashToken(token)).toBe(expected);
		expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
		expect(hashToken(token)).not.toContain(token);
	});

	it.each([
		['', false],
		['a'.repeat(31), false],
		['a'.repeat(33), false],
		['A'.repeat(32), false],
		['1'.repeat(32), false],
		['abcdefghijklmnopqrstuvwxyz234567', true]
	])('%j is token-shaped: %s', (token, ok) => {
		expect(isTokenShaped(token)).toBe(ok);
	});
});

describe('the invitation secret', () => {
	it('comes from INVITATION_SECRET, which must be long enough', async () => {
		const env = { INVITATION_SECRET: 'x'.repeat(32) };
		expect(new TextDecoder().decode(await invitationSecret(env))).toBe('x'.repeat(32));
		await expect(invitationSecret({ INVITATION_SECRET: 'short' })).rejects.toThrow(/at least 32/);
	});

	it('else from a key file made on first use, readable by its owner only', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'pingyi-key-'));
		try {
			const file = join(dir, 'sub', 'invitation.key');
			const env = { INVITATION_KEY_FILE: file };
			const first = await invitationSecret(env);
			expect(first).toHaveLength(32);
			expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
			expect(statSync(file).mode & 0o077).toBe(0);
			expect(await invitationSecret(env)).toEqual(first);
			// Two first uses at once agree on one key.
			const other = join(dir, 'race.key');
			const [a, b] = await Promise.all([
				invitationSecret({ INVITATION_KEY_FILE: other }),
				invitationSecret({ INVITATION_KEY_FILE: other })
			]);
			expect(a).toEqual(b);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('card numbers', () => {
	it.each([
		['YA', 2026, 1, 'YA-2026-000001'],
		['YA', 2026, 123, 'YA-2026-000123'],
		['PY', 2025, 999_999, 'PY-2025-999999'],
		['PY', 2025, 1_000_000, 'PY-2025-1000000'],
		['X9', 2030, 42, 'X9-2030-000042']
	])('%s, %i, no. %i: %s', (prefix, year, seq, cardNo) => {
		expect(formatCardNo(prefix, year, seq)).toBe(cardNo);
		expect(parseCardNo(cardNo)).toEqual({ prefix, year, seq });
	});

	it.each([0, -1, 1.5])('refuses sequence %s', (seq) => {
		expect(() => formatCardNo('YA', 2026, seq)).toThrow(RangeError);
	});

	it.each(['', 'YA-2026-123', 'ya-2026-000001', 'YA-26-000001', 'YA-2026-000000', 'YA2026000001'])(
		'%j is not a card number',
		(text) => {
			expect(parseCardNo(text)).toBeNull();
		}
	);

	it.each([
		[{ hotline: '12345', cardPrefix: 'ya' }, true],
		[{ hotline: '0571-8888 1234', cardPrefix: 'YA1' }, true],
		[{ hotline: '', cardPrefix: 'YA' }, false],
		[{ hotline: 'call us', cardPrefix: 'YA' }, false],
		[{ hotline: '12345', cardPrefix: 'Y-A' }, false],
		[{ hotline: '12345', cardPrefix: 'ABCDEFGHIJK' }, false]
	])('contact card settings %j valid: %s', (input, ok) => {
		expect(contactCardSettingsSchema.safeParse(input).success).toBe(ok);
	});

	it('upper-cases the prefix', () => {
		expect(contactCardSettingsSchema.parse({ hotline: '12345', cardPrefix: 'ya' }).cardPrefix).toBe(
			'YA'
		);
	});
});

describe('addresses', () => {
	it('of an invitation and of the complaint form, whatever the origin ends with', () => {
		expect(invitationUrl('https://a.example/', 'abc')).toBe('https://a.example/i/abc');
		expect(invitationUrl('https://a.example', 'abc')).toBe('https://a.example/i/abc');
		expect(complaintUrl('https://a.example/')).toBe('https://a.example/complaint');
	});
});
