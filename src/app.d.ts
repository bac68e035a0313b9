// See https://svelte.dev/docs/kit/types#app.d.ts
import type { PendingSecondStep, Principal } from '$lib/server/auth/guard';
import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Shown to the user so that support can find the log line. */
			id?: string;
		}
		interface Locals {
			principal: Principal | null;
			user?: SessionUser;
			session: { id: string; expiresAt: Date; sudoUntil: Date | null } | null;
			/**
			 * A staff session signed in by password that still owes its second step (a code, or
			 * enrolment): no principal, no user; it reaches only that step's page and sign-out.
			 */
			secondStep: PendingSecondStep | null;
			/** Set by handleError when the request failed for want of the database (503). */
			databaseLost?: boolean;
			/** The request's id (request-log.ts): on every log line it writes and in X-Request-Id. */
			requestId?: string;
			/** Set by handleError when no pooled connection came free in time (db/pool-wait.ts). */
			databaseBusy?: boolean;
		}
	}
}

export {};
