// Form field errors: one message per field, in the interface language, never zod's English.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { auditFilterOf, auditQuerySchema } from '$lib/schemas/audit';
import { z } from 'zod';
import { fieldErrors, issueCode, messageOf } from '$lib/errors';
import {
	changePasswordSchema,
	createUserSchema,
	resetPasswordSchema,
	setDisabledSchema
} from '$lib/schemas/users';
import { sessionSettingsSchema } from '$lib/server/settings';

function errorsOf(result: { success: boolean; error?: unknown }) {
	expect(result.success).toBe(false);
	return fieldErrors(result.error as Parameters<typeof fieldErrors>[0]);
}

describe('fieldErrors', () => {
	it('explains each bad field of a new user in the user’s language', () => {
		const errors = errorsOf(
			createUserSchema.safeParse({
				username: 'ab',
				displayName: '   ',
				role: 'root',
				password: 'short'
			})
		);
		expect(errors).toEqual({
			username: m.form_too_short({ min: 3 }),
			displayName: m.common_required(),
			role: m.form_choice({ choices: 'admin, supervisor, leader, liaison, enterprise' }),
			password: m.form_too_short({ min: 10 })
		});
		// zod's own English never reaches the page (the role's choices are codes, not words).
		expect(
			Object.values(errors)
				.join(' ')
				.replace(/admin|supervisor|leader|liaison|enterprise/g, '')
		).not.toMatch(/[A-Za-z]{4,}/);
	});

	it('reports a missing field as required', () => {
		expect(errorsOf(createUserSchema.safeParse({}))).toMatchObject({
			username: m.common_required(),
			password: m.common_required()
		});
	});

	it('needs the confirmation box ticked for destructive steps', () => {
		expect(errorsOf(resetPasswordSchema.safeParse({ password: 'long-enough-1' }))).toEqual({
			confirm: m.form_confirm_required()
		});
		expect(errorsOf(setDisabledSchema.safeParse({ disabled: 'true', confirm: 'on' }))).toEqual({
			confirm: m.form_confirm_required()
		});
		expect(setDisabledSchema.parse({ disabled: 'false', confirm: 'yes' }).disabled).toBe(false);
	});

	it('says when the repeated password differs', () => {
		const input = { current: 'old-password', password: 'new-password-1', repeat: 'new-password-2' };
		expect(errorsOf(changePasswordSchema.safeParse(input))).toEqual({
			repeat: m.account_password_mismatch()
		});
		expect(changePasswordSchema.safeParse({ ...input, repeat: input.password }).success).toBe(true);
	});

	it('gives number bounds for the session settings', () => {
		const errors = errorsOf(
			sessionSettingsSchema.safeParse({
				staffIdleMinutes: '2',
				staffAbsoluteHours: '1000',
				enterpriseIdleMinutes: 'abc',
				enterpriseAbsoluteHours: '1.5'
			})
		);
		expect(errors).toEqual({
			staffIdleMinutes: m.form_number_min({ min: 5 }),
			staffAbsoluteHours: m.form_number_max({ max: 168 }),
			enterpriseIdleMinutes: m.evaluation_settings_not_number(),
			enterpriseAbsoluteHours: m.form_whole_number()
		});
	});
});

describe('audit filters', () => {
	it('turns local days into an inclusive range of instants', () => {
		const q = auditQuerySchema.parse({ from: '2025-03-01', to: '2025-03-02', actor: ' admin ' });
		expect(auditFilterOf(q)).toEqual({
			actor: 'admin',
			action: undefined,
			entity: undefined,
			entityId: undefined,
			q: undefined,
			from: new Date('2025-02-28T16:00:00.000Z'),
			to: new Date('2025-03-02T15:59:59.999Z')
		});
	});

	it('refuses a day that does not exist, with a message', () => {
		expect(errorsOf(auditQuerySchema.safeParse({ from: '2025-02-30' }))).toEqual({
			from: m.form_invalid_date()
		});
	});
});

describe('the problem catalogue', () => {
	it('words every code in both languages, never as the code itself', async () => {
		const { PROBLEM_CODES } = await import('$lib/errors');
		for (const code of PROBLEM_CODES) {
			const params = { max: 9, min: 1, value: 'v', choices: 'a, b', code: 'c', year: 2025 };
			const zh = messageOf(code, params, 'zh-CN');
			const en = messageOf(code, params, 'en');
			expect(zh, code).not.toBe(code);
			expect(en, code).not.toBe(code);
			expect(zh, code).not.toBe(en);
			expect(`${zh}${en}`, code).not.toMatch(/\{\w+\}/);
		}
	});

	it('reports zod’s own issues as codes of the catalogue, from any schema', () => {
		const r = z.object({ n: z.coerce.number().int(), k: z.enum(['a', 'b']) }).safeParse({
			n: 'abc',
			k: 'c'
		});
		expect(r.success).toBe(false);
		if (r.success) return;
		expect(r.error.issues.map((i) => issueCode(i))).toEqual(['not_a_number', 'choice']);
	});
});
