// Visits, problems, return visits and investor-card breaches written straight into their tables,
// in any state: for the campaign summary's tests, which count what the other verbs leave behind.
import {
	formatProblemNo,
	formatVisitNo,
	type ProblemScope,
	type ProblemState
} from '$lib/domain/visit-problems';
import type { Database } from '$lib/server/db';
import {
	visit,
	visitInvestorBreach,
	visitProblem,
	visitProblemDepartment,
	visitProblemReturn
} from '$lib/server/db/schema';
import { unique } from './index';

let serial = Math.floor(Math.random() * 1_000_000);

export interface VisitRow {
	campaignId: number | null;
	enterpriseId: number;
	visitedOn: string;
	contactCardNo?: string | null;
	gaveInstructions?: boolean;
	gaveHandbook?: boolean;
	investorCard?: boolean | null;
	/** Departments that did not honour the investor card. */
	breaches?: number[];
}

export async function insertVisit(db: Database, v: VisitRow) {
	const [row] = await db
		.insert(visit)
		.values({
			visitNo: formatVisitNo(Number(v.visitedOn.slice(0, 4)), ++serial),
			clientKey: unique('visit'),
			campaignId: v.campaignId,
			enterpriseId: v.enterpriseId,
			visitedOn: v.visitedOn,
			contactCardNo: v.contactCardNo ?? null,
			gaveInstructions: v.gaveInstructions ?? false,
			gaveHandbook: v.gaveHandbook ?? false,
			investorCard: v.investorCard ?? null
		})
		.returning();
	if (v.breaches?.length)
		await db
			.insert(visitInvestorBreach)
			.values(v.breaches.map((departmentId) => ({ visitId: row!.id, departmentId })));
	return row!;
}

export interface ProblemRow {
	visitId: number;
	category: string;
	scope: ProblemScope;
	state: ProblemState;
	highImpact?: boolean;
	dueOn?: string | null;
	/** Departments named when it was raised, and those a leader assigned. */
	involved?: number[];
	assigned?: number[];
	/** Return visits: whether each found the enterprise satisfied. */
	returns?: boolean[];
}

export async function insertProblem(db: Database, p: ProblemRow) {
	const [row] = await db
		.insert(visitProblem)
		.values({
			problemNo: formatProblemNo(2026, ++serial),
			visitId: p.visitId,
			description: '审批材料反复退回',
			category: p.category,
			scope: p.scope,
			state: p.state,
			highImpact: p.highImpact ?? false,
			dueOn: p.dueOn ?? null,
			closedAt: p.state === 'closed' ? new Date() : null
		})
		.returning();
	const involved = p.involved ?? [];
	const assigned = p.assigned ?? [];
	const departments = [...new Set([...involved, ...assigned])];
	if (departments.length > 0)
		await db.insert(visitProblemDepartment).values(
			departments.map((departmentId) => ({
				problemId: row!.id,
				departmentId,
				involved: involved.includes(departmentId),
				assigned: assigned.includes(departmentId)
			}))
		);
	for (const [i, satisfied] of (p.returns ?? []).entries())
		await db.insert(visitProblemReturn).values({
			problemId: row!.id,
			visitedOn: `2026-04-0${i + 1}`,
			satisfied
		});
	return row!;
}
