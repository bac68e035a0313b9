// Setting up a second factor: the key as a QR code and as text, confirmed with a code from the
// app; then the recovery codes, shown this once. A session whose role requires a second factor
// and has none is sent here before anything else (forced); staff may also come from /account.
import { m } from '$lib/paraglide/messages';
import { totpCodeSchema } from '$lib/schemas/two-factor';
import { pendingActor, requireEnrolment } from '$lib/server/auth/guard';
import { nextPath } from '$lib/server/auth/next-path';
import { enrolmentKey, keyForManualEntry, keyUri, totpEncryptionKey } from '$lib/server/auth/totp';
import * as twoFactor from '$lib/server/auth/two-factor';
import { db } from '$lib/server/db/app-db';
import { attempt, readForm, refuseAttempt } from '$lib/server/forms';
import { qrSvg } from '$lib/server/qr';
import type { Actions, PageServerLoad } from './$types';

const ISSUER = 'Pingyi';

export const load: PageServerLoad = async (event) => {
	const who = requireEnrolment(event);
	// Set up already (this page is loaded again after the confirmation, which shows the recovery
	// codes): no key offered any more.
	if (await twoFactor.isEnrolled(db(), who.userId))
		return { enrolled: true as const, forced: false, next: '', qr: '', manualKey: '' };
	const key = enrolmentKey(await totpEncryptionKey(), who.sessionId, who.userId);
	return {
		enrolled: false as const,
		forced: who.forced,
		next: event.url.searchParams.get('next') ?? '',
		qr: await qrSvg(keyUri(ISSUER, who.username, key)),
		manualKey: keyForManualEntry(key)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const who = requireEnrolment(event);
		const input = await readForm(event, totpCodeSchema);
		if (!input.ok) return input.failure;
		const key = enrolmentKey(await totpEncryptionKey(), who.sessionId, who.userId);
		const r = await attempt({}, () =>
			twoFactor.enrol(db(), { ...who, key, code: input.data.code }, pendingActor(event, who))
		);
		if (!r.ok) return r.failure;
		if (!r.result.ok)
			return refuseAttempt(undefined, 'code', r.result, m.two_factor_code_invalid());
		// The one exception to redirect-after-POST (as for API tokens): the recovery codes are
		// shown in the answer to the request that made them, and never again.
		return {
			recoveryCodes: r.result.recoveryCodes ?? [],
			continueTo: who.forced
				? nextPath(input.formData.get('next')?.toString(), event.url)
				: '/account'
		};
	}
};
