// Password hashing with argon2id (OWASP's recommended parameters) and the password policy.
import { hash, verify } from '@node-rs/argon2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export { MIN_PASSWORD_LENGTH } from '$lib/domain/password-policy';

export function hashPassword(password: string): Promise<string> {
	// @node-rs/argon2 defaults to Argon2id.
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// A fixed hash to verify against when the username is unknown, so that unknown and known
// usernames take the same time and cannot be told apart.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword('pingyi-dummy-password-for-timing');
	return dummyHash;
}

/** A password to print once for a new account (the first admin's, the demo's): 80 random bits. */
export function generatePassword(): string {
	const b = new Uint8Array(10);
	crypto.getRandomValues(b);
	return encodeBase32LowerCaseNoPadding(b);
}
