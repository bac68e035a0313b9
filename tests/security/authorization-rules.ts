// The authorization matrix of spec/roles.md as a table: for every request the route tree answers
// (tests/helpers/route-entries.ts), who may make it, in the named role sets of roles.ts, and the
// address that reaches it with the records authorization-matrix.test.ts seeds. A route, method or
// action without a row here fails the unit test (tests/unit/authorization-rules.test.ts); the
// security test makes every request as every role against the built app.
import { ROLES, type AccountRole } from '$lib/domain/roles';

export type Who = AccountRole | 'public';

/** Everyone, signed out included. */
export const PUBLIC: readonly Who[] = [
	'admin',
	'supervisor',
	'leader',
	'liaison',
	'enterprise',
	'public'
];

/**
 * What an allowed role must be answered: a status, or `any` for anything but 401, 403 and 5xx
 * (a 400 for an empty form, a 404 for a record that is not there, a 303 after a change).
 */
export type Expect = number | 'any';

export interface Rule {
	roles: readonly Who[];
	/** Default: 200 for GET, `any` otherwise; per role where roles differ. */
	expect?: Expect | Partial<Record<Who, Expect>>;
}

export interface RouteRules {
	/** The SvelteKit route id. */
	route: string;
	/**
	 * The address with the seeded records in place of the parameters; without parameters the
	 * route id itself (see `pathOf`).
	 */
	path?: string;
	/** By request: `GET`, `POST`, `POST ?/action`, an endpoint method, `LAYOUT`. */
	rules: Record<string, readonly Who[] | Rule>;
}

/** The records the security test seeds, by what the parameters name. */
export const SEED = {
	/** An example department every fresh database has; the liaison's own. */
	department: 'fgj',
	campaign: 'matrix-2026',
	year: 2026,
	complaint: 'K-MATRIX-1',
	finding: 'F-MATRIX-1',
	/** Records the test does not make: allowed roles get 404, the refused still 403. */
	/** The liaison's department's, of the published year (the first one made: id 1). */
	rectification: 1,
	/** A visit and the problem it raised about the liaison's department. */
	visit: 'ZF2026-000001',
	problem: 'WT2026-000001',
	missingToken: 'no-such-token-000000000000'
} as const;

const S = SEED;
const c = `/campaigns/${S.campaign}`;
/** The address a row's requests go to. */
export function pathOf(r: RouteRules): string {
	if (r.path) return r.path;
	if (r.route.includes('[')) throw new Error(`${r.route}: a route with parameters needs a path`);
	return (
		'/' +
		r.route
			.split('/')
			.filter((s) => s && !/^\(.*\)$/.test(s))
			.join('/')
	);
}

/** A page and its one form (a default action) for the same roles: a "new" or "import" page. */
const form = (route: string, roles: readonly Who[]): RouteRules => ({
	route,
	rules: { GET: roles, POST: roles }
});

/** For a page that redirects some roles elsewhere or answers 404 for a record not seeded. */
const any = (roles: readonly Who[]): Rule => ({ roles, expect: 'any' });

export const RULES: RouteRules[] = [
	// --- the shell, signing in and out, language, health
	// the start page sends each to its own: sign-in, a home, the dashboard
	{
		route: '/',
		rules: { LAYOUT: { roles: PUBLIC, expect: 303 }, GET: { roles: PUBLIC, expect: 303 } }
	},
	{ route: '/(public)/sign-in', rules: { GET: any(PUBLIC), POST: PUBLIC } },
	{ route: '/sign-out', rules: { POST: ROLES.signedIn } },
	{ route: '/language', path: '/language?to=en', rules: { GET: any(PUBLIC) } },
	{ route: '/healthz', rules: { GET: PUBLIC } },
	{ route: '/readyz', rules: { GET: PUBLIC } },
	{
		route: '/(app)/account',
		rules: {
			GET: ROLES.signedIn,
			'POST ?/password': ROLES.signedIn,
			// Sudo first: without it, sent to /sudo.
			'POST ?/regenerateCodes': ROLES.staff,
			'POST ?/removeSecondFactor': ROLES.staff
		}
	},
	// --- the second factor. The code step is only for a session signed in by password that owes
	// it: every other session, and the signed out, is sent on (303) whoever it is.
	{
		route: '/(public)/two-factor',
		rules: {
			GET: { roles: PUBLIC, expect: 303 },
			'POST ?/totp': { roles: PUBLIC, expect: 303 },
			'POST ?/recovery': { roles: PUBLIC, expect: 303 }
		}
	},
	// Setting one up: staff (from the account page), or a session made to enrol before anything.
	{ route: '/(public)/two-factor/setup', rules: { GET: any(ROLES.staff), POST: ROLES.staff } },
	{
		route: '/(app)/sudo',
		rules: { GET: any(ROLES.staff), 'POST ?/password': ROLES.staff, 'POST ?/code': ROLES.staff }
	},
	{ route: '/(app)/home', rules: { GET: ROLES.home } },
	{ route: '/(app)/help/[doc]', path: '/help/formats', rules: { GET: ROLES.staff } },

	// --- users, API tokens, settings, audit log: admin manages, leader views
	{ route: '/(app)/users', rules: { GET: ROLES.viewUsers } },
	form('/(app)/users/new', ROLES.manageUsers),
	{
		route: '/(app)/users/[id=id]',
		path: '/users/1',
		rules: {
			GET: ROLES.viewUsers,
			'POST ?/update': ROLES.manageUsers,
			'POST ?/status': ROLES.manageUsers,
			'POST ?/password': ROLES.manageUsers,
			// Sudo first (docs/second-factor.md): without it, sent to /sudo.
			'POST ?/resetSecondFactor': ROLES.manageUsers
		}
	},
	{
		route: '/(app)/tokens',
		rules: {
			GET: ROLES.manageTokens,
			'POST ?/issue': ROLES.manageTokens,
			'POST ?/revoke': ROLES.manageTokens
		}
	},
	{
		route: '/(app)/settings',
		rules: {
			GET: ROLES.viewSettings,
			'POST ?/sessions': ROLES.manageSettings,
			'POST ?/contactCard': ROLES.manageSettings,
			'POST ?/complaints': ROLES.manageSettings,
			'POST ?/secondFactor': ROLES.manageSettings
		}
	},
	{
		route: '/(app)/audit',
		rules: { GET: ROLES.auditLog, 'POST ?/verify': ROLES.auditLog }
	},
	{
		route: '/(app)/audit/download/[format]',
		path: '/audit/download/csv',
		rules: { GET: ROLES.auditLog }
	},

	// --- departments, enterprises, holidays
	{
		route: '/(app)/departments',
		// A liaison's list is its own department's page.
		rules: { GET: { roles: ROLES.viewDepartments, expect: { liaison: 303 } } }
	},
	form('/(app)/departments/new', ROLES.manageDepartments),
	form('/(app)/departments/import', ROLES.manageDepartments),
	{
		route: '/(app)/departments/[code]',
		path: `/departments/${S.department}`,
		rules: {
			GET: ROLES.viewDepartments,
			'POST ?/update': ROLES.manageDepartments,
			'POST ?/category': ROLES.manageDepartments,
			'POST ?/addExemption': ROLES.manageDepartments,
			'POST ?/removeExemption': ROLES.manageDepartments,
			'POST ?/remove': ROLES.manageDepartments
		}
	},
	{ route: '/(app)/enterprises', rules: { GET: ROLES.viewEnterprises } },
	form('/(app)/enterprises/import', ROLES.manageEnterprises),
	{
		route: '/(app)/calendar',
		rules: {
			GET: ROLES.viewCalendar,
			'POST ?/add': ROLES.manageCalendar,
			'POST ?/remove': ROLES.manageCalendar
		}
	},
	form('/(app)/calendar/import', ROLES.manageCalendar),
	{
		route: '/(app)/import-templates/[kind]',
		path: '/import-templates/departments',
		rules: { GET: ROLES.manageDepartments }
	},

	// --- service cases and the handbook of approval items
	{ route: '/(app)/cases', rules: { GET: ROLES.viewCases } },
	form('/(app)/cases/import', ROLES.manageCases),
	{
		route: '/(app)/handbook',
		rules: { GET: ROLES.viewHandbook, POST: ROLES.manageHandbook }
	},
	{
		route: '/(app)/handbook/[year=year]',
		path: `/handbook/${S.year}`,
		rules: { GET: any(ROLES.viewHandbook) }
	},
	{
		route: '/(app)/handbook/[year=year]/print',
		path: `/handbook/${S.year}/print`,
		rules: { GET: any(ROLES.viewHandbook) }
	},
	{ route: '/(app)/handbook/reform', rules: { GET: ROLES.viewHandbook } },

	// --- campaigns: admin and supervisor manage, leader views; a liaison never before it closes
	{ route: '/(app)/campaigns', rules: { GET: ROLES.viewCampaigns } },
	form('/(app)/campaigns/new', ROLES.manageCampaigns),
	{
		route: '/(app)/campaigns/[code]',
		path: c,
		rules: {
			GET: ROLES.viewCampaigns,
			'POST ?/plan': ROLES.manageCampaigns,
			'POST ?/closing': ROLES.manageCampaigns,
			'POST ?/quotas': ROLES.manageCampaigns,
			'POST ?/state': ROLES.manageCampaigns
		}
	},
	{
		route: '/(app)/campaigns/[code]/sample',
		path: `${c}/sample`,
		rules: {
			GET: ROLES.viewCampaigns,
			'POST ?/draw': ROLES.manageCampaigns,
			'POST ?/assign': ROLES.manageCampaigns,
			'POST ?/pick': ROLES.manageCampaigns,
			'POST ?/unpick': ROLES.manageCampaigns
		}
	},
	{
		route: '/(app)/campaigns/[code]/sample/call-list',
		path: `${c}/sample/call-list`,
		rules: { GET: ROLES.manageCampaigns, POST: ROLES.manageCampaigns }
	},
	{
		route: '/(app)/campaigns/[code]/invitations',
		path: `${c}/invitations`,
		rules: { GET: ROLES.viewCampaigns, 'POST ?/create': ROLES.manageCampaigns }
	},
	// the invitations' addresses, on cards or in a file: sudo first (those allowed are sent there)
	{
		route: '/(app)/campaigns/[code]/invitations/cards',
		path: `${c}/invitations/cards`,
		rules: { GET: { roles: ROLES.manageCampaigns, expect: 303 } }
	},
	{
		route: '/(app)/campaigns/[code]/invitations/csv',
		path: `${c}/invitations/csv`,
		rules: { GET: { roles: ROLES.manageCampaigns, expect: 303 } }
	},
	{
		route: '/(app)/campaigns/[code]/open-link',
		path: `${c}/open-link`,
		rules: { GET: ROLES.viewCampaigns, POST: ROLES.manageCampaigns }
	},
	// the visit campaign's summary: this campaign is no visit campaign, so 404 for those allowed
	{
		route: '/(app)/campaigns/[code]/summary',
		path: `${c}/summary`,
		rules: { GET: any(ROLES.visitSummary) }
	},
	{
		route: '/(app)/campaigns/[code]/summary/download',
		path: `${c}/summary/download`,
		rules: { GET: any(ROLES.visitSummary) }
	},
	{
		route: '/(app)/campaigns/[code]/summary/print',
		path: `${c}/summary/print`,
		rules: { GET: any(ROLES.visitSummary) }
	},
	{
		route: '/(app)/questionnaires',
		rules: { GET: ROLES.viewCampaigns }
	},
	form('/(app)/questionnaires/new', ROLES.manageQuestionnaires),
	{
		route: '/(app)/questionnaires/[code]/[version]',
		path: '/questionnaires/standard-appraisal/1',
		rules: { GET: ROLES.viewCampaigns, POST: ROLES.manageQuestionnaires }
	},
	{
		route: '/(app)/questionnaires/[code]/[version]/preview',
		path: '/questionnaires/standard-appraisal/1/preview',
		rules: { GET: ROLES.viewCampaigns }
	},

	// --- survey responses: supervisors record them (admins too), both view them
	{
		route: '/(app)/campaigns/[code]/field',
		path: `${c}/field`,
		rules: { GET: ROLES.recordResponses, POST: ROLES.recordResponses }
	},
	{
		route: '/(app)/campaigns/[code]/paper',
		path: `${c}/paper`,
		rules: { GET: ROLES.recordResponses, POST: ROLES.recordResponses }
	},
	{
		route: '/(app)/campaigns/[code]/phone',
		path: `${c}/phone`,
		rules: {
			GET: ROLES.recordResponses,
			'POST ?/reveal': ROLES.recordResponses,
			'POST ?/attempt': ROLES.recordResponses,
			'POST ?/interview': ROLES.recordResponses
		}
	},
	{
		route: '/(app)/campaigns/[code]/responses',
		path: `${c}/responses`,
		rules: { GET: ROLES.recordResponses }
	},
	{
		route: '/(app)/campaigns/[code]/responses/[key]',
		path: `${c}/responses/no-such-key`,
		rules: { GET: any(ROLES.recordResponses), 'POST ?/void': ROLES.recordResponses }
	},
	{
		route: '/(app)/campaigns/[code]/responses/download/[format]',
		path: `${c}/responses/download/csv`,
		rules: { GET: ROLES.recordResponses }
	},
	form('/(app)/responses/import', ROLES.recordResponses),
	{
		route: '/(app)/responses/import/upload',
		rules: { POST: ROLES.recordResponses }
	},
	// "surveys about my department": a liaison's; the aggregates of a running campaign: refused
	// to a liaison with the same 404 as a missing one
	{ route: '/(app)/surveys', rules: { GET: ROLES.departmentSurveys } },
	{
		route: '/(app)/surveys/[code]',
		path: `/surveys/${S.campaign}`,
		rules: { GET: { roles: ROLES.viewSurveyAggregates, expect: { liaison: 404 } } }
	},
	// public respondents: an invitation or an open link (a token that is not one: 404)
	{
		route: '/(public)/i/[token]',
		path: `/i/${S.missingToken}`,
		rules: { GET: any(PUBLIC), POST: PUBLIC }
	},
	{
		route: '/(public)/o/[token]',
		path: `/o/${S.missingToken}`,
		rules: { GET: any(PUBLIC), POST: PUBLIC }
	},

	// --- enterprise visits and reported problems
	{ route: '/(app)/visits', rules: { GET: ROLES.viewVisits } },
	form('/(app)/visits/new', ROLES.manageVisits),
	{
		route: '/(app)/visits/[no]',
		path: `/visits/${S.visit}`,
		rules: { GET: ROLES.viewVisits, 'POST ?/problem': ROLES.manageVisits }
	},
	{ route: '/(app)/problems', rules: { GET: ROLES.viewProblems } },
	{
		route: '/(app)/problems/[no]',
		path: `/problems/${S.problem}`,
		rules: {
			// an enterprise sees its own problems only, a liaison those a leader assigned to its
			// department (this one is not yet): for both the same 404 as for none
			GET: { roles: ROLES.viewProblems, expect: { enterprise: 404, liaison: 404 } },
			'POST ?/settle_by_brigade': ROLES.manageVisits,
			'POST ?/escalate': ROLES.manageVisits,
			'POST ?/instruct': ROLES.instructProblems,
			'POST ?/report': ROLES.reportProblems,
			'POST ?/settle': ROLES.manageVisits,
			'POST ?/return_visit': ROLES.manageVisits,
			'POST ?/to_complaint': ROLES.manageVisits,
			'POST ?/to_finding': ROLES.manageVisits
		}
	},

	// --- findings: admin and supervisor record, leader views, liaison its own and disputes once
	{ route: '/(app)/findings', rules: { GET: ROLES.viewFindings } },
	form('/(app)/findings/new', ROLES.manageFindings),
	form('/(app)/findings/import', ROLES.manageFindings),
	{
		route: '/(app)/findings/[no]',
		path: `/findings/${S.finding}`,
		rules: {
			GET: ROLES.viewFindings,
			'POST ?/confirm': ROLES.manageFindings,
			'POST ?/withdraw': ROLES.manageFindings,
			'POST ?/dispute': ROLES.disputeFindings
		}
	},

	// --- complaints: admin and supervisor handle, leader views, liaison its department's
	{ route: '/(app)/complaints', rules: { GET: ROLES.viewComplaints } },
	form('/(app)/complaints/new', ROLES.manageComplaints),
	form('/(app)/complaints/import', ROLES.manageComplaints),
	{
		route: '/(app)/complaints/statistics',
		rules: { GET: ROLES.complaintStats }
	},
	{
		route: '/(app)/complaints/worklist',
		rules: { GET: ROLES.complaintWorklist }
	},
	{
		route: '/(app)/complaints/[no]',
		path: `/complaints/${S.complaint}`,
		rules: {
			GET: ROLES.viewComplaints,
			'POST ?/accept': ROLES.manageComplaints,
			'POST ?/reject': ROLES.manageComplaints,
			'POST ?/assign': ROLES.manageComplaints,
			'POST ?/request_response': ROLES.manageComplaints,
			// the department's response: its liaison (an admin may enter it for them)
			'POST ?/respond': ['admin', 'liaison'],
			'POST ?/conclude': ROLES.manageComplaints,
			'POST ?/sanction': ROLES.manageComplaints,
			'POST ?/extend': ROLES.manageComplaints,
			'POST ?/give_feedback': ROLES.manageComplaints,
			'POST ?/close': ROLES.manageComplaints
		}
	},
	// a file sent with a complaint: signed-in users pass the guard, the rest is the same 404 for
	// a file that is not there and one they may not see
	{
		route: '/(app)/complaints/[no]/attachments/[id]',
		path: `/complaints/${S.complaint}/attachments/1`,
		rules: { GET: { roles: ROLES.signedIn, expect: 404 } }
	},
	{ route: '/(public)/complaint', rules: { GET: PUBLIC, POST: PUBLIC } },
	{
		route: '/(public)/complaint/track',
		rules: { GET: PUBLIC, POST: PUBLIC }
	},

	// --- years, rankings, results, rectification
	{ route: '/(app)/years', rules: { GET: ROLES.viewYears } },
	form('/(app)/years/new', ROLES.manageYears),
	{
		route: '/(app)/years/[year=year]',
		path: `/years/${S.year}`,
		rules: {
			GET: ROLES.viewYears,
			'POST ?/settings': ROLES.manageYears,
			'POST ?/compute': ROLES.computeYear
		}
	},
	{
		route: '/(app)/years/[year=year]/publish',
		path: `/years/${S.year}/publish`,
		rules: { GET: ROLES.publishYear, POST: ROLES.publishYear }
	},
	{ route: '/(app)/dashboard', rules: { GET: ROLES.dashboard } },
	{ route: '/(app)/rankings', rules: { GET: ROLES.signedIn } },
	{
		route: '/(app)/rankings/[year=year]',
		path: `/rankings/${S.year}`,
		rules: { GET: any(ROLES.signedIn) }
	},
	{
		route: '/(app)/rankings/[year=year]/[code]',
		path: `/rankings/${S.year}/${S.department}`,
		rules: { GET: any(ROLES.staff) }
	},
	{
		route: '/(app)/rankings/[year=year]/download/[format=format]',
		path: `/rankings/${S.year}/download/csv`,
		rules: { GET: any(ROLES.signedIn) }
	},
	{ route: '/(public)/results', rules: { GET: PUBLIC } },
	{
		route: '/(public)/results/[year=year]',
		path: `/results/${S.year}`,
		rules: { GET: any(PUBLIC) }
	},
	{
		route: '/(public)/results/[year=year]/announcement',
		path: `/results/${S.year}/announcement`,
		rules: { LAYOUT: any(PUBLIC), GET: any(PUBLIC) }
	},
	{
		route: '/(public)/results/[year=year]/announcement/print',
		path: `/results/${S.year}/announcement/print`,
		rules: { GET: any(PUBLIC) }
	},
	{
		route: '/(public)/results/[year=year]/announcement/pdf',
		path: `/results/${S.year}/announcement/pdf`,
		rules: { GET: any(PUBLIC) }
	},
	{
		route: '/(public)/results/[year=year]/snapshot',
		path: `/results/${S.year}/snapshot`,
		rules: { GET: any(PUBLIC) }
	},
	{
		route: '/(app)/rectification',
		rules: { GET: ROLES.viewRectification }
	},
	{
		route: '/(app)/rectification/[id=id]',
		path: `/rectification/${S.rectification}`,
		rules: {
			GET: ROLES.viewRectification,
			'POST ?/assign': ROLES.assignRectificationLeader,
			'POST ?/plan': ROLES.reportRectification,
			'POST ?/report': ROLES.reportRectification,
			'POST ?/close': ROLES.closeRectification
		}
	},

	// --- the JSON API (spec/exchange.md): by API token only, a session cookie is no credential
	// there (the security test expects 401 for every session where the rule is not PUBLIC)
	{
		route: '/api/[...path]',
		path: '/api/v1/no-such-endpoint',
		rules: { fallback: { roles: PUBLIC, expect: 404 } }
	},
	{ route: '/api/v1/openapi.json', rules: { GET: PUBLIC } },
	{
		route: '/api/v1/results/[year=year]',
		path: `/api/v1/results/${S.year}`,
		rules: { GET: any(PUBLIC) }
	},
	{ route: '/api/v1/cases', rules: { POST: ROLES.manageCases } },
	{
		route: '/api/v1/complaints',
		rules: { POST: ROLES.manageComplaints }
	},
	{
		route: '/api/v1/complaints/stats',
		path: `/api/v1/complaints/stats?year=${S.year}`,
		rules: { GET: ROLES.complaintStats }
	},
	{ route: '/api/v1/responses', rules: { POST: ROLES.recordResponses } }
];
