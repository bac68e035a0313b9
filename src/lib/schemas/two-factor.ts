// Inputs of the second factor's forms: a TOTP code, a recovery code, the sudo confirmation.
import { z } from 'zod';
import { normaliseRecoveryCode, normaliseTotpCode } from '$lib/domain/two-factor';

/** Six digits (spaces allowed between them). */
export const totpCodeSchema = z.object({
	code: z
		.string()
		.max(20)
		.transform((v) => normaliseTotpCode(v))
		.refine((v): v is string => v !== null, 'two_factor_code_format')
});

/** Ten letters and digits, hyphens and spaces ignored, case too. */
export const recoveryCodeSchema = z.object({
	recovery: z
		.string()
		.max(40)
		.transform((v) => normaliseRecoveryCode(v))
		.refine((v): v is string => v !== null, 'two_factor_recovery_format')
});

export const sudoPasswordSchema = z.object({ password: z.string().min(1).max(256) });
