// A supervisor's home: the calls and visits waiting for them in active campaigns, progress
// against quotas, and the complaints and problems by deadline (overdue first). Each block is
// read through the module that owns it, which decides what the supervisor sees.
import type { Principal } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import type { Executor } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import * as visits from '$lib/server/visits';
import { HOME_CAMPAIGNS, HOME_HEAD } from './limits';

export async function supervisorHome(db: Executor, p: Principal, now: Date = new Date()) {
	const head = { page: 1, pageSize: HOME_HEAD };
	const [calls, visitsToMake, quotas, complaintList, problems, escalated] = await Promise.all([
		surveys.phoneWork(db, p, { now, head: HOME_HEAD, campaigns: HOME_CAMPAIGNS }),
		visits.visitWork(db, p, { head: HOME_HEAD, campaigns: HOME_CAMPAIGNS }),
		surveys.quotaProgress(db, p, { campaigns: HOME_CAMPAIGNS }),
		// Those assigned to them and those nobody has accepted yet, longest overdue first.
		complaints.worklist(db, p, head, now),
		// The problems the Brigade settles that are assigned to them.
		visits.problemList(db, p, { ...head, mine: true }, now),
		// Escalated problems waiting for a city leader's instruction.
		visits.problemList(db, p, { ...head, state: 'escalated' }, now)
	]);
	return {
		role: 'supervisor' as const,
		calls: calls.filter((c) => c.total > 0),
		visits: visitsToMake,
		quotas,
		complaints: complaintList,
		problems,
		escalated
	};
}
