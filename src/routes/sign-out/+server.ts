import { redirect } from '@sveltejs/kit';
import { actorOf, pendingActor, requireRole } from '$lib/server/auth/guard';
import { signOut } from '$lib/server/auth/sign-in';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db/app-db';
import { ROLES } from '$lib/domain/roles';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	// A session half signed in (owing its second step) may sign out too.
	const pending = event.locals.secondStep;
	if (pending) {
		await signOut(db(), pending.sessionId, pendingActor(event, pending));
	} else {
		const p = requireRole(event, ROLES.signedIn);
		if (event.locals.session) await signOut(db(), event.locals.session.id, actorOf(event, p));
	}
	deleteSessionCookie(event.cookies, event.url);
	redirect(303, '/sign-in');
};
