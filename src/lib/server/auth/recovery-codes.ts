// Recovery codes of a second factor: random, from an alphabet that reads unambiguously, shown
// once and stored only as SHA-256 (a code has ~49 bits: enough against guessing behind the
// throttle, and a copy of the database gives none of them).
import { sha256 } from '@oslojs/crypto/sha2';
import {
	RECOVERY_ALPHABET,
	RECOVERY_CODE_COUNT,
	RECOVERY_CODE_LENGTH
} from '$lib/domain/two-factor';

function randomCode(): string {
	let code = '';
	// Rejection sampling: a byte above the largest multiple of the alphabet's size would make
	// the first letters likelier.
	const limit = 256 - (256 % RECOVERY_ALPHABET.length);
	while (code.length < RECOVERY_CODE_LENGTH) {
		const bytes = crypto.getRandomValues(new Uint8Array(RECOVERY_CODE_LENGTH * 2));
		for (const b of bytes) {
			if (b < limit && code.length < RECOVERY_CODE_LENGTH)
				code += RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length];
		}
	}
	return code;
}

/** A new set of codes, normalised (no hyphen): format them for display. */
export function newRecoveryCodes(): string[] {
	return Array.from({ length: RECOVERY_CODE_COUNT }, randomCode);
}

/** What `recovery_code.code_hash` holds for a normalised code. */
export function hashRecoveryCode(code: string): Uint8Array {
	return sha256(new TextEncoder().encode(code));
}
