// The staff second factor's rules (issue 11): who must have one, when a session has passed its
// second step, and what a recovery code looks like. Pure: the keys, codes and rows are elsewhere.
import { isStaff, type AccountRole } from './roles';

/** The setting that extends the requirement beyond admins and leaders. */
export type SecondFactorSettings = {
	supervisors: boolean;
	liaisons: boolean;
};

/** Admins and leaders always; supervisors and liaisons when the setting says so; never others. */
export function secondFactorRequired(role: AccountRole, s: SecondFactorSettings): boolean {
	switch (role) {
		case 'admin':
		case 'leader':
			return true;
		case 'supervisor':
			return s.supervisors;
		case 'liaison':
			return s.liaisons;
		default:
			return false;
	}
}

/** Only staff accounts have a second factor: an enterprise account signs in with its password. */
export function mayHaveSecondFactor(role: AccountRole): boolean {
	return isStaff(role);
}

/**
 * Where a signed-in session stands: `done` may use the app; `verify` must give a code first;
 * `enrol` must set up a second factor first. A session counts as verified only if it passed the
 * step with the factor the account has now (verified at or after enrolment), so that enrolling
 * anew sends every other session of the account to the second step.
 */
export type SecondStep = 'done' | 'verify' | 'enrol';

export function secondStep(input: {
	role: AccountRole;
	enrolledAt: Date | null;
	verifiedAt: Date | null;
	settings: SecondFactorSettings;
}): SecondStep {
	if (!mayHaveSecondFactor(input.role)) return 'done';
	if (input.enrolledAt) {
		return input.verifiedAt && input.verifiedAt.getTime() >= input.enrolledAt.getTime()
			? 'done'
			: 'verify';
	}
	return secondFactorRequired(input.role, input.settings) ? 'enrol' : 'done';
}

// --- Recovery codes -----------------------------------------------------------------------------

/** Letters and digits that cannot be misread for one another: no 0/O, 1/I/L. */
export const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RECOVERY_CODE_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;

/** A code as shown: two groups of five, `ABCDE-FGHJK`. */
export function formatRecoveryCode(code: string): string {
	return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * What was typed, as stored codes are written: upper case, without spaces or hyphens; null when
 * it cannot be a recovery code.
 */
export function normaliseRecoveryCode(typed: string): string | null {
	const code = typed.replace(/[\s-]+/g, '').toUpperCase();
	if (code.length !== RECOVERY_CODE_LENGTH) return null;
	for (const ch of code) if (!RECOVERY_ALPHABET.includes(ch)) return null;
	return code;
}

/** A six-digit TOTP code as typed (spaces allowed between the digits), or null. */
export function normaliseTotpCode(typed: string): string | null {
	const code = typed.replace(/\s+/g, '');
	return /^\d{6}$/.test(code) ? code : null;
}
