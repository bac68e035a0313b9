// The second step of signing in: a TOTP code, or one of the recovery codes. Only a session
// signed in by password that owes this step gets here (requireSecondStep), each action again.
import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { recoveryCodeSchema, totpCodeSchema } from '$lib/schemas/two-factor';
import { pendingActor, requireSecondStep } from '$lib/server/auth/guard';
import { nextPath } from '$lib/server/auth/next-path';
import * as twoFactor from '$lib/server/auth/two-factor';
import { db } from '$lib/server/db/app-db';
import { readForm, refuseAttempt } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireSecondStep(event, 'verify');
	return { next: event.url.searchParams.get('next') ?? '' };
};

export const actions: Actions = {
	totp: async (event) => {
		const pending = requireSecondStep(event, 'verify');
		const input = await readForm(event, totpCodeSchema, { form: 'totp' });
		if (!input.ok) return input.failure;
		const r = await twoFactor.verifyCode(db(), {
			userId: pending.userId,
			sessionId: pending.sessionId,
			code: input.data.code
		});
		if (!r.ok) return refuseAttempt('totp', 'code', r, m.two_factor_code_invalid());
		redirect(303, nextPath(input.formData.get('next')?.toString(), event.url));
	},

	recovery: async (event) => {
		const pending = requireSecondStep(event, 'verify');
		const input = await readForm(event, recoveryCodeSchema, { form: 'recovery' });
		if (!input.ok) return input.failure;
		const r = await twoFactor.useRecoveryCode(
			db(),
			{ userId: pending.userId, sessionId: pending.sessionId, code: input.data.recovery },
			pendingActor(event, pending)
		);
		if (!r.ok) return refuseAttempt('recovery', 'recovery', r, m.two_factor_recovery_invalid());
		// The account page says how many codes are left, and offers new ones.
		redirect(303, '/account?recovery=used');
	}
};
