// One problem raised on a visit: what the reader may see of it (decided by the visits module), its
// history for staff, and a form for each step the reader may take now. Every step is one action
// of the same shape: read its form with the step's schema, take the step, come back here.
import { error } from '@sveltejs/kit';
import { hasRole, ROLES } from '$lib/domain/roles';
import { PROBLEM_ACTIONS, type ProblemAction } from '$lib/domain/visit-problems';
import { isDomainError, messageOf } from '$lib/errors';
import { problemActionSchemas } from '$lib/schemas/problems';
import { actorOf, requireRole, type Principal } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { readForm, submit } from '$lib/server/forms';
import * as visits from '$lib/server/visits';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewProblems);
	const no = event.params.no;
	let problem: visits.ProblemView;
	try {
		problem = await visits.getProblem(db(), p, no);
	} catch (e) {
		if (isDomainError(e, 'problem_not_found')) error(404, messageOf('problem_not_found'));
		throw e;
	}
	const offers = (a: ProblemAction) => problem.actions.includes(a);
	const none = Promise.resolve([]);
	const [history, supervisors, leaders, departments] = await Promise.all([
		problem.history ? visits.problemHistory(db(), p, no) : none,
		offers('settle_by_brigade') ? visits.problemAssignees(db(), 'supervisor') : none,
		offers('escalate') ? visits.problemAssignees(db(), 'leader') : none,
		offers('instruct')
			? listOptions(db()).then((list) => list.filter((d) => d.active))
			: Promise.resolve([])
	]);
	const saved = event.url.searchParams.get('saved');
	return {
		problem,
		history,
		supervisors,
		leaders,
		departments,
		canSeeVisit: hasRole(p.role, ROLES.viewVisits),
		saved: PROBLEM_ACTIONS.find((a) => a === saved) ?? null
	};
};

/** A step's action (who may take it on this problem is the module's to check). */
async function step(event: RequestEvent, p: Principal, action: ProblemAction) {
	const no = event.params.no;
	const input = await readForm(event, problemActionSchemas[action], { form: action });
	if (!input.ok) return input.failure;
	return submit(
		input,
		() => visits.actOnProblem(db(), p, no, action, input.data as never, actorOf(event, p)),
		`/problems/${encodeURIComponent(no)}?saved=${action}`
	);
}

export const actions: Actions = {
	settle_by_brigade: (event) =>
		step(event, requireRole(event, ROLES.manageVisits), 'settle_by_brigade'),
	escalate: (event) => step(event, requireRole(event, ROLES.manageVisits), 'escalate'),
	// A city leader's decision (or an admin's).
	instruct: (event) => step(event, requireRole(event, ROLES.instructProblems), 'instruct'),
	// The department's report: its liaison.
	report: (event) => step(event, requireRole(event, ROLES.reportProblems), 'report'),
	settle: (event) => step(event, requireRole(event, ROLES.manageVisits), 'settle'),
	return_visit: (event) => step(event, requireRole(event, ROLES.manageVisits), 'return_visit'),
	to_complaint: (event) => step(event, requireRole(event, ROLES.manageVisits), 'to_complaint'),
	to_finding: (event) => step(event, requireRole(event, ROLES.manageVisits), 'to_finding')
};
