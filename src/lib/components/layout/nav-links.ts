// Which main-navigation entries a role sees; the server guards every page regardless.
import { ROLES, type AccountRole } from '$lib/domain/roles';

export interface NavLink {
	href: '/departments' | '/users' | '/audit' | '/settings' | '/account';
	label: 'nav_departments' | 'nav_users' | 'nav_audit' | 'nav_settings' | 'nav_account';
	roles: readonly AccountRole[];
}

export const NAV_LINKS: NavLink[] = [
	{ href: '/departments', label: 'nav_departments', roles: ROLES.viewDepartments },
	{ href: '/users', label: 'nav_users', roles: ROLES.viewUsers },
	{ href: '/audit', label: 'nav_audit', roles: ROLES.auditLog },
	{ href: '/settings', label: 'nav_settings', roles: ROLES.viewSettings },
	{ href: '/account', label: 'nav_account', roles: ROLES.signedIn }
];

export function linksFor(role: AccountRole): NavLink[] {
	return NAV_LINKS.filter((l) => l.roles.includes(role));
}
