// The roles of spec/roles.md and the named role sets every guard call uses.

export const ACCOUNT_ROLES = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
/** `public` is whoever is not signed in; it is never stored on an account. */
export type Role = AccountRole | 'public';

export const STAFF_ROLES: readonly AccountRole[] = ['admin', 'supervisor', 'leader', 'liaison'];

export function isStaff(role: Role): boolean {
	return (STAFF_ROLES as readonly Role[]).includes(role);
}

/** Roles that must be bound to a department (a liaison speaks for exactly one). */
export function needsDepartment(role: AccountRole): boolean {
	return role === 'liaison';
}

/** Named role sets, one per row of spec/roles.md that the pages use. */
export const ROLES = {
	signedIn: ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'],
	staff: ['admin', 'supervisor', 'leader', 'liaison'],
	/** users, API tokens, settings, years: admin manages, leader views */
	viewUsers: ['admin', 'leader'],
	manageUsers: ['admin'],
	viewSettings: ['admin', 'leader'],
	manageSettings: ['admin'],
	/** departments: admin and supervisor manage, leader views, liaison sees its own */
	viewDepartments: ['admin', 'supervisor', 'leader', 'liaison'],
	manageDepartments: ['admin', 'supervisor'],
	auditLog: ['admin'],
	/** enterprises and the holiday calendar: same row as departments */
	manageEnterprises: ['admin', 'supervisor'],
	viewEnterprises: ['admin', 'supervisor', 'leader'],
	manageCalendar: ['admin', 'supervisor'],
	viewCalendar: ['admin', 'supervisor', 'leader', 'liaison'],
	/** service cases (records of the service center): staff who manage the calendar import them */
	manageCases: ['admin', 'supervisor'],
	/** the read-only list of service cases: those who import them, and the city leader */
	viewCases: ['admin', 'supervisor', 'leader'],
	/** campaigns: admin and supervisor manage, leader views; a liaison never before it closes */
	manageCampaigns: ['admin', 'supervisor'],
	viewCampaigns: ['admin', 'supervisor', 'leader'],
	/** questionnaires are part of planning campaigns: those who manage campaigns build them */
	manageQuestionnaires: ['admin', 'supervisor'],
	/** a campaign's aggregates per department: staff who view campaigns; a liaison its own, once closed */
	viewSurveyAggregates: ['admin', 'supervisor', 'leader', 'liaison'],
	/** "surveys about my department": the closed campaigns that asked about a liaison's department */
	departmentSurveys: ['liaison'],
	/** survey responses: supervisors record them (and admins import them); both view them */
	recordResponses: ['admin', 'supervisor'],
	/** respondent identity (enterprise, phone number), and personal numbers typed into answers */
	seeRespondents: ['admin', 'supervisor'],
	/** findings: admin and supervisor record/confirm/withdraw, leader views, liaison own + dispute */
	manageFindings: ['admin', 'supervisor'],
	viewFindings: ['admin', 'supervisor', 'leader', 'liaison'],
	disputeFindings: ['liaison'],
	/** complaints: admin and supervisor handle (and import), leader views and reads statistics */
	manageComplaints: ['admin', 'supervisor'],
	/** the list of complaints: staff; a liaison only its own department's (never the complainant) */
	viewComplaints: ['admin', 'supervisor', 'leader', 'liaison'],
	complaintStats: ['admin', 'supervisor', 'leader'],
	/** the complaints being handled: the supervisors' (and admins'), a liaison's to answer */
	complaintWorklist: ['admin', 'supervisor', 'liaison'],
	/** evaluation years and their settings: admin manages, leader views (supervisors compute) */
	manageYears: ['admin'],
	viewYears: ['admin', 'supervisor', 'leader'],
	computeYear: ['admin', 'supervisor'],
	publishYear: ['admin', 'leader'],
	/** rankings: drafts for these; published results for everyone, the public included */
	viewDraftRankings: ['admin', 'supervisor', 'leader'],
	/** rectification: admin and supervisor manage; leader assigns the city leader and closes */
	manageRectification: ['admin', 'supervisor'],
	assignRectificationLeader: ['admin', 'supervisor', 'leader'],
	closeRectification: ['admin', 'supervisor', 'leader'],
	viewRectification: ['admin', 'supervisor', 'leader', 'liaison'],
	/** the liaison files its own department's plan and progress reports */
	reportRectification: ['liaison'],
	/** enterprise visits and problems: admin and supervisor manage, leader views */
	manageVisits: ['admin', 'supervisor'],
	viewVisits: ['admin', 'supervisor', 'leader'],
	/** problems: staff see them (a liaison those assigned to its department), an enterprise its own */
	viewProblems: ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'],
	/** a city leader decides an escalated problem (instruction, departments, deadline) */
	instructProblems: ['admin', 'leader'],
	/** a liaison reports back on a problem assigned to its department */
	reportProblems: ['liaison'],
	/** the visit campaign's summary (通报总结) */
	visitSummary: ['admin', 'supervisor', 'leader'],
	/** the handbook of approval items: those who import service cases keep it; staff read it */
	manageHandbook: ['admin', 'supervisor'],
	viewHandbook: ['admin', 'supervisor', 'leader', 'liaison'],
	/** API tokens are part of the users row */
	manageTokens: ['admin'],
	/** the year-end dashboard: those who see drafts and every department (leader, admin, supervisor) */
	dashboard: ['admin', 'supervisor', 'leader'],
	/** a home page of one's own work: the supervisor's worklist, the liaison's department, the enterprise's invitations and complaints */
	home: ['supervisor', 'liaison', 'enterprise']
} as const satisfies Record<string, readonly AccountRole[]>;

export type RoleSet = (typeof ROLES)[keyof typeof ROLES];

/** Whether a role belongs to a role set. */
export function hasRole(role: Role, set: readonly AccountRole[]): boolean {
	return (set as readonly Role[]).includes(role);
}

/** Whether a role sees every department, or only the one it is bound to. */
export function seesAllDepartments(role: Role): boolean {
	return role === 'admin' || role === 'supervisor' || role === 'leader';
}
