// The one guard every load, action and endpoint calls. A layout load is not a guard: a
// client-side navigation or a `__data.json` request can reach a page's load without it.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { hasRole, ROLES, seesAllDepartments, type AccountRole, type Role } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '$lib/server/audit';

/** Whoever makes the request: a signed-in user or an API client, with its role. */
export interface Principal {
	kind: 'user' | 'api';
	id: number | null;
	label: string;
	role: AccountRole;
	/** A liaison's (or liaison token's) department; null for the roles that see all. */
	departmentId: number | null;
	departmentCode: string | null;
}

/** A session signed in by password whose second step is still owed (handle.ts). */
export interface PendingSecondStep {
	kind: 'verify' | 'enrol';
	sessionId: string;
	userId: number;
	username: string;
	role: AccountRole;
}

type GuardEvent = Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress' | 'request'>;

/** The page of each second step. */
export const SECOND_STEP_PAGES = { verify: '/two-factor', enrol: '/two-factor/setup' } as const;

/** Where to continue after signing in: this request's address, for a page of the app. */
function here(event: GuardEvent): string {
	return encodeURIComponent(event.url.pathname + event.url.search);
}

/**
 * Requires a signed-in user or API client whose role is in `roles`; 303 to sign-in (or to the
 * second step a half-signed-in session owes) or 403.
 */
export function requireRole(event: GuardEvent, roles: readonly AccountRole[]): Principal {
	const p = event.locals.principal;
	if (!p) {
		if (event.url.pathname.startsWith('/api/')) error(401, m.auth_sign_in_required());
		const pending = event.locals.secondStep;
		if (pending) redirect(303, `${SECOND_STEP_PAGES[pending.kind]}?next=${here(event)}`);
		redirect(303, `/sign-in?next=${here(event)}`);
	}
	if (!hasRole(p.role, roles)) error(403, m.auth_forbidden());
	return p;
}

/**
 * The guard of a second step's page: the half-signed-in session that owes `kind`. A session that
 * owes the other step goes there; a signed-in one, or nobody, goes to sign-in (which sends a
 * signed-in user on to `next`).
 */
export function requireSecondStep(
	event: GuardEvent,
	kind: PendingSecondStep['kind']
): PendingSecondStep {
	const pending = event.locals.secondStep;
	if (pending?.kind === kind) return pending;
	const next = encodeURIComponent(event.url.searchParams.get('next') ?? '/');
	if (pending) redirect(303, `${SECOND_STEP_PAGES[pending.kind]}?next=${next}`);
	redirect(303, `/sign-in?next=${next}`);
}

/**
 * The guard of the enrolment page: a session sent there to enrol before anything else (`forced`),
 * or a signed-in staff member setting one up from the account page.
 */
export function requireEnrolment(
	event: GuardEvent
): Omit<PendingSecondStep, 'kind'> & { forced: boolean } {
	if (event.locals.secondStep) return { ...requireSecondStep(event, 'enrol'), forced: true };
	const p = requireRole(event, ROLES.staff);
	const session = event.locals.session;
	if (p.kind !== 'user' || p.id === null || !session) error(403, m.auth_forbidden());
	return { sessionId: session.id, userId: p.id, username: p.label, role: p.role, forced: false };
}

/** Marks a route as open to the public; returns whoever is signed in, if anyone. */
export function allowPublic(event: GuardEvent): Principal | null {
	return event.locals.principal;
}

/** 403 unless the principal may see the given department's data. */
export function requireDepartmentAccess(p: Principal, departmentId: number): void {
	if (seesAllDepartments(p.role as Role)) return;
	if (p.departmentId !== departmentId) error(403, m.auth_forbidden());
}

/** The audit actor for a principal's change, with the client address. */
export function actorOf(event: GuardEvent, p: Principal): Actor {
	return { kind: p.kind, id: p.id, label: p.label, address: event.getClientAddress() };
}

/** The audit actor of a half-signed-in session's own change (a recovery code, enrolment). */
export function pendingActor(
	event: GuardEvent,
	s: Pick<PendingSecondStep, 'userId' | 'username'>
): Actor {
	return { kind: 'user', id: s.userId, label: s.username, address: event.getClientAddress() };
}
