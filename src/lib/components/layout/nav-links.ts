// Which main-navigation entries a role sees; the server guards every page regardless.
import { ROLES, type AccountRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';

export interface NavLink {
	href:
		| '/home'
		| '/dashboard'
		| '/departments'
		| '/users'
		| '/audit'
		| '/settings'
		| '/account'
		| '/findings'
		| '/enterprises'
		| '/calendar'
		| '/cases'
		| '/handbook'
		| '/complaints'
		| '/problems'
		| '/tokens'
		| '/years'
		| '/rankings'
		| '/rectification'
		| '/campaigns'
		| '/visits'
		| '/questionnaires'
		| '/surveys';
	/** The entry's text: a message function named statically, so that the page's bundle holds
	 * only the messages it uses (an `m[key]` lookup would pull in the whole catalogue). */
	label: () => string;
	roles: readonly AccountRole[];
}

export const NAV_LINKS: NavLink[] = [
	{ href: '/home', label: m.nav_home, roles: ROLES.home },
	{ href: '/dashboard', label: m.nav_dashboard, roles: ROLES.dashboard },
	{ href: '/departments', label: m.nav_departments, roles: ROLES.viewDepartments },
	{ href: '/findings', label: m.nav_findings, roles: ROLES.viewFindings },
	{ href: '/enterprises', label: m.nav_enterprises, roles: ROLES.viewEnterprises },
	{ href: '/calendar', label: m.nav_calendar, roles: ROLES.viewCalendar },
	{ href: '/cases', label: m.nav_cases, roles: ROLES.viewCases },
	{ href: '/handbook', label: m.nav_handbook, roles: ROLES.viewHandbook },
	{ href: '/complaints', label: m.nav_complaints, roles: ROLES.viewComplaints },
	{ href: '/problems', label: m.nav_problems, roles: ROLES.viewProblems },
	{ href: '/campaigns', label: m.nav_campaigns, roles: ROLES.viewCampaigns },
	{ href: '/visits', label: m.nav_visits, roles: ROLES.viewVisits },
	{ href: '/questionnaires', label: m.nav_questionnaires, roles: ROLES.viewCampaigns },
	{ href: '/surveys', label: m.nav_surveys, roles: ROLES.departmentSurveys },
	{ href: '/years', label: m.nav_years, roles: ROLES.viewYears },
	{ href: '/rankings', label: m.nav_rankings, roles: ROLES.signedIn },
	{ href: '/rectification', label: m.nav_rectification, roles: ROLES.viewRectification },
	{ href: '/users', label: m.nav_users, roles: ROLES.viewUsers },
	{ href: '/tokens', label: m.nav_tokens, roles: ROLES.manageTokens },
	{ href: '/audit', label: m.nav_audit, roles: ROLES.auditLog },
	{ href: '/settings', label: m.nav_settings, roles: ROLES.viewSettings },
	{ href: '/account', label: m.nav_account, roles: ROLES.signedIn }
];

export function linksFor(role: AccountRole): NavLink[] {
	return NAV_LINKS.filter((l) => l.roles.includes(role));
}
