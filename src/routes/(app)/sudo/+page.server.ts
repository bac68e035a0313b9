// Sudo mode: confirm it is you (the password, or a code when a second factor is set up) before
// an action that discloses or hands out much at once (auth/sudo.ts says which); then back to
// `next`, where the user does the action again.
import { error, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { sudoPasswordSchema, totpCodeSchema } from '$lib/schemas/two-factor';
import { actorOf, requireRole, type Principal } from '$lib/server/auth/guard';
import { nextPath } from '$lib/server/auth/next-path';
import { grantSudo, SUDO_MINUTES } from '$lib/server/auth/sudo';
import * as twoFactor from '$lib/server/auth/two-factor';
import { db } from '$lib/server/db/app-db';
import { readForm, refuseAttempt } from '$lib/server/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Sudo is a person's, on their session: an API client has none. */
function sessionOf(event: RequestEvent, p: Principal) {
	if (p.kind !== 'user' || p.id === null || !event.locals.session) error(403, m.auth_forbidden());
	return { userId: p.id, sessionId: event.locals.session.id };
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.staff);
	const { userId } = sessionOf(event, p);
	return {
		minutes: SUDO_MINUTES,
		next: event.url.searchParams.get('next') ?? '',
		canUseCode: await twoFactor.isEnrolled(db(), userId)
	};
};

/** Back to where the user was, or the refusal (what was typed is not sent back). */
function answer(
	event: RequestEvent,
	form: string,
	field: string,
	r: Awaited<ReturnType<typeof grantSudo>>,
	wrong: string
) {
	if (r.ok) redirect(303, nextPath(event.url.searchParams.get('next'), event.url));
	return refuseAttempt(form, field, r, wrong);
}

export const actions: Actions = {
	password: async (event) => {
		const p = requireRole(event, ROLES.staff);
		const own = sessionOf(event, p);
		const input = await readForm(event, sudoPasswordSchema, { form: 'password' });
		if (!input.ok) return input.failure;
		const r = await grantSudo(
			db(),
			{ ...own, address: event.getClientAddress(), password: input.data.password },
			actorOf(event, p)
		);
		return answer(event, 'password', 'password', r, messageOf('password_wrong'));
	},

	code: async (event) => {
		const p = requireRole(event, ROLES.staff);
		const own = sessionOf(event, p);
		const input = await readForm(event, totpCodeSchema, { form: 'code' });
		if (!input.ok) return input.failure;
		const r = await grantSudo(
			db(),
			{ ...own, address: event.getClientAddress(), code: input.data.code },
			actorOf(event, p)
		);
		return answer(event, 'code', 'code', r, m.two_factor_code_invalid());
	}
};
