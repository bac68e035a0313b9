// The one guard every load, action and endpoint calls. A layout load is not a guard: a
// client-side navigation or a `__data.json` request can reach a page's load without it.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { hasRole, seesAllDepartments, type AccountRole, type Role } from '$lib/domain/roles';
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

type GuardEvent = Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress' | 'request'>;

/** Requires a signed-in user or API client whose role is in `roles`; 303 to sign-in or 403. */
export function requireRole(event: GuardEvent, roles: readonly AccountRole[]): Principal {
	const p = event.locals.principal;
	if (!p) {
		if (event.url.pathname.startsWith('/api/')) error(401, m.auth_sign_in_required());
		const next = event.url.pathname + event.url.search;
		redirect(303, `/sign-in?next=${encodeURIComponent(next)}`);
	}
	if (!hasRole(p.role, roles)) error(403, m.auth_forbidden());
	return p;
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
