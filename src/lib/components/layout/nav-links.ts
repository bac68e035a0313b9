// Which main-navigation entries a role sees; the server guards every page regardless.
import { ROLES, type AccountRole } from '$lib/domain/roles';

export interface NavLink {
	href:
		| '/departments'
		| '/users'
		| '/audit'
		| '/settings'
		| '/account'
		| '/findings'
		| '/enterprises'
		| '/calendar'
		| '/cases'
		| '/complaints'
		| '/tokens'
		| '/years'
		| '/rankings'
		| '/rectification'
		| '/campaigns'
		| '/questionnaires'
		| '/surveys';
	label:
		| 'nav_departments'
		| 'nav_users'
		| 'nav_audit'
		| 'nav_settings'
		| 'nav_account'
		| 'nav_findings'
		| 'nav_enterprises'
		| 'nav_calendar'
		| 'nav_cases'
		| 'nav_complaints'
		| 'nav_tokens'
		| 'nav_years'
		| 'nav_rankings'
		| 'nav_rectification'
		| 'nav_campaigns'
		| 'nav_questionnaires'
		| 'nav_surveys';
	roles: readonly AccountRole[];
}

export const NAV_LINKS: NavLink[] = [
	{ href: '/departments', label: 'nav_departments', roles: ROLES.viewDepartments },
	{ href: '/findings', label: 'nav_findings', roles: ROLES.viewFindings },
	{ href: '/enterprises', label: 'nav_enterprises', roles: ROLES.viewEnterprises },
	{ href: '/calendar', label: 'nav_calendar', roles: ROLES.viewCalendar },
	{ href: '/cases', label: 'nav_cases', roles: ROLES.viewCases },
	{ href: '/complaints', label: 'nav_complaints', roles: ROLES.viewComplaints },
	{ href: '/campaigns', label: 'nav_campaigns', roles: ROLES.viewCampaigns },
	{ href: '/questionnaires', label: 'nav_questionnaires', roles: ROLES.viewCampaigns },
	{ href: '/surveys', label: 'nav_surveys', roles: ROLES.departmentSurveys },
	{ href: '/years', label: 'nav_years', roles: ROLES.viewYears },
	{ href: '/rankings', label: 'nav_rankings', roles: ROLES.signedIn },
	{ href: '/rectification', label: 'nav_rectification', roles: ROLES.viewRectification },
	{ href: '/users', label: 'nav_users', roles: ROLES.viewUsers },
	{ href: '/tokens', label: 'nav_tokens', roles: ROLES.manageTokens },
	{ href: '/audit', label: 'nav_audit', roles: ROLES.auditLog },
	{ href: '/settings', label: 'nav_settings', roles: ROLES.viewSettings },
	{ href: '/account', label: 'nav_account', roles: ROLES.signedIn }
];

export function linksFor(role: AccountRole): NavLink[] {
	return NAV_LINKS.filter((l) => l.roles.includes(role));
}
