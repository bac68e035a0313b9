// A liaison's home: its department's latest published result, and what is due from it —
// findings it may still dispute, complaints and problems to answer, the rectification when the
// department is in it, its service cases past their promise. Every block is read through the
// module that already keeps a liaison to its own department (and away from campaigns before
// they close, respondents and complainants).
import { formatDate } from '$lib/domain/time';
import type { Principal } from '$lib/server/auth/guard';
import * as cases from '$lib/server/cases';
import * as complaints from '$lib/server/complaints';
import type { Executor } from '$lib/server/db';
import * as findings from '$lib/server/findings';
import * as rectification from '$lib/server/rectification';
import * as results from '$lib/server/results';
import * as visits from '$lib/server/visits';
import { HOME_HEAD } from './limits';

/** The department's current rectification with its plan and reports, or null when none runs. */
async function currentRectification(db: Executor, departmentId: number, now: Date) {
	// Overdue and open first, then closed, newest year first: the first row is the current one.
	const { rows } = await rectification.list(db, { departmentId, page: 1, pageSize: 1, now });
	const line = rows[0];
	if (!line || line.state === 'cancelled') return null;
	const detail = await rectification.get(db, line.id, now);
	if (!detail) return null;
	return {
		id: detail.id,
		year: detail.year,
		deadline: detail.deadline,
		state: detail.state,
		planSubmittedAt: detail.planSubmittedAt,
		reports: detail.reportList.map((r) => r.submittedAt)
	};
}

export async function liaisonHome(db: Executor, p: Principal, now: Date = new Date()) {
	const departmentId = p.departmentId;
	const code = p.departmentCode;
	// A liaison is always bound to a department (needsDepartment); without one nothing is theirs.
	if (departmentId === null || code === null) return null;
	const head = { page: 1, pageSize: HOME_HEAD };
	const [standing, disputable, complaintList, problems, lateCases, rect] = await Promise.all([
		results.standing(db, p, code),
		findings.list(db, p, { ...head, departmentId, disputable: true }),
		// Its department's open complaints, those awaiting its response first.
		complaints.worklist(db, p, head, now),
		// Problems a leader assigned to it, not yet reported on.
		visits.problemList(db, p, { ...head, mine: true }, now),
		cases.list(
			db,
			{ departmentCode: code, status: 'open_overdue', today: formatDate(now) },
			1,
			HOME_HEAD
		),
		currentRectification(db, departmentId, now)
	]);
	return {
		role: 'liaison' as const,
		standing,
		findings: { rows: disputable.rows, total: disputable.total },
		complaints: complaintList,
		problems,
		cases: lateCases,
		rectification: rect
	};
}
