// TEMPORARY (main checkout only, replaced by the problems branch): raiseProblems for the visit form.
import { sql } from 'drizzle-orm';
import {
	formatProblemNo,
	type ProblemCategory,
	type ProblemScope
} from '$lib/domain/visit-problems';
import * as audit from '$lib/server/audit';
import { rows, type Tx } from '$lib/server/db';
import { visitProblem, visitProblemDepartment } from '$lib/server/db/schema';

export interface NewProblem {
	description: string;
	category: ProblemCategory;
	scope: ProblemScope;
	highImpact: boolean;
	departmentIds: number[];
}

export async function raiseProblems(
	tx: Tx,
	visit: { id: number; visitedOn: string },
	items: NewProblem[],
	actor: audit.Actor
): Promise<string[]> {
	if (items.length === 0) return [];
	await tx.execute(sql`select pg_advisory_xact_lock(74103103)`);
	const year = Number(visit.visitedOn.slice(0, 4));
	const [last] = await rows<{ n: number }>(
		tx,
		sql`select coalesce(max(substring(problem_no from 8)::int), 0)::int as n
			from visit_problem where problem_no ~ ${`^WT${year}-[0-9]{6}$`}`
	);
	let n = Number(last?.n ?? 0);
	const out: string[] = [];
	for (const p of items) {
		const problemNo = formatProblemNo(year, ++n);
		const [row] = await tx
			.insert(visitProblem)
			.values({
				problemNo,
				visitId: visit.id,
				description: p.description,
				category: p.category,
				scope: p.scope,
				highImpact: p.highImpact
			})
			.returning();
		await tx
			.insert(visitProblemDepartment)
			.values(p.departmentIds.map((d) => ({ problemId: row!.id, departmentId: d })));
		await audit.record(tx, actor, {
			action: 'problem.raise',
			entity: 'visit_problem',
			entityId: problemNo,
			changes: audit.diff(null, { description: p.description })
		});
		out.push(problemNo);
	}
	return out;
}
