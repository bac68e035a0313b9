// TOTP (RFC 6238) as authenticator apps do it: 30-second steps, six digits, HMAC-SHA-1. A code of
// the step before or after is accepted (clocks drift), and never one of a step at or before the
// last one accepted for the account, so that a code seen over someone's shoulder is worth
// nothing once used. The key is stored encrypted (AES-256-GCM) with a key the database does not
// hold: PINGYI_TOTP_KEY, else the key file PINGYI_TOTP_KEY_FILE (default data/totp.key).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64, decodeHex, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { keyFromFile } from '$lib/server/key-file';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;
/** 160 bits, the size RFC 4226 recommends for HMAC-SHA-1. */
const TOTP_KEY_BYTES = 20;

/** The time step an instant falls in. */
export function stepAt(now: Date): number {
	return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCode(key: Uint8Array, step: number): string {
	return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/**
 * The step whose code `code` is, within the window around `now` and after `lastStep`; null when
 * there is none (a wrong code, an old one, or one already used).
 */
export function matchStep(
	key: Uint8Array,
	code: string,
	now: Date,
	lastStep: number | null
): number | null {
	const typed = new TextEncoder().encode(code);
	const current = stepAt(now);
	for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
		if (lastStep !== null && step <= lastStep) continue;
		const expected = new TextEncoder().encode(totpCode(key, step));
		if (typed.length === expected.length && constantTimeEqual(typed, expected)) return step;
	}
	return null;
}

/**
 * The key offered to a session for enrolment: derived from the session with the server's key,
 * so that the page shows the same one however often it is loaded (and after a wrong code)
 * without keeping it anywhere or sending it back with the form.
 */
export function enrolmentKey(secret: Uint8Array, sessionId: string, userId: number): Uint8Array {
	const data = new TextEncoder().encode(`pingyi-totp-enrolment:${userId}:${sessionId}`);
	return hmac(SHA256, secret, data).subarray(0, TOTP_KEY_BYTES);
}

/** The key as typed into an app by hand: base32, in groups of four. */
export function keyForManualEntry(key: Uint8Array): string {
	return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, '$1 ');
}

/** What the QR code holds: `otpauth://totp/…` with the issuer and the account. */
export function keyUri(issuer: string, account: string, key: Uint8Array): string {
	return createTOTPKeyURI(issuer, account, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

// --- The key's encryption ------------------------------------------------------------------------

const DEFAULT_KEY_FILE = 'data/totp.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** PINGYI_TOTP_KEY as 32 bytes: 64 hex digits or base64. */
function parseKey(value: string): Uint8Array {
	let key: Uint8Array | null = null;
	try {
		key = /^[0-9a-f]{64}$/i.test(value) ? decodeHex(value) : decodeBase64(value);
	} catch {
		key = null;
	}
	if (!key || key.length !== 32)
		throw new Error('PINGYI_TOTP_KEY must be 32 bytes, written as 64 hex digits or in base64');
	return key;
}

/** The key TOTP keys are encrypted with (see the top of this file). */
export async function totpEncryptionKey(env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
	const fromEnv = env.PINGYI_TOTP_KEY?.trim();
	if (fromEnv) return parseKey(fromEnv);
	return keyFromFile(env.PINGYI_TOTP_KEY_FILE || DEFAULT_KEY_FILE, 'a TOTP encryption key');
}

/** `iv ‖ ciphertext ‖ tag`, the user id bound in as associated data (no swapping rows). */
export function encryptTotpKey(secret: Uint8Array, userId: number, key: Uint8Array): Uint8Array {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', secret, iv);
	cipher.setAAD(Buffer.from(`pingyi-totp:${userId}`));
	const body = Buffer.concat([cipher.update(key), cipher.final()]);
	return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
}

/** The key back; throws when the blob was altered, belongs to another user or another secret. */
export function decryptTotpKey(secret: Uint8Array, userId: number, blob: Uint8Array): Uint8Array {
	const b = Buffer.from(blob);
	const decipher = createDecipheriv('aes-256-gcm', secret, b.subarray(0, IV_BYTES));
	decipher.setAAD(Buffer.from(`pingyi-totp:${userId}`));
	decipher.setAuthTag(b.subarray(b.length - TAG_BYTES));
	return new Uint8Array(
		Buffer.concat([decipher.update(b.subarray(IV_BYTES, b.length - TAG_BYTES)), decipher.final()])
	);
}
