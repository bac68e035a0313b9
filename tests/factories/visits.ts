// Visits for the problems' tests: an enterprise and a `visit` row inserted directly (the visit
// record's own verbs are another module's), then the problems raised on it through raiseProblems.
import { formatVisitNo } from '$lib/domain/visit-problems';
import type { Database } from '$lib/server/db';
import { enterprise, visit } from '$lib/server/db/schema';
import * as visits from '$lib/server/visits';
import { testActor, unique } from './index';
import { makeUscc } from './samples';

let serial = 0;

/** An enterprise with a contact person and phone. */
export async function makeEnterprise(
	db: Database,
	overrides: Partial<{ name: string; contactName: string; contactPhone: string }> = {}
) {
	const [e] = await db
		.insert(enterprise)
		.values({
			uscc: makeUscc(),
			name: overrides.name ?? `企业${unique('')}`,
			contactName: overrides.contactName ?? '王建国',
			contactPhone: overrides.contactPhone ?? '13912345678'
		})
		.returning();
	return e!;
}

/** A visit to the enterprise on `visitedOn`. */
export async function makeVisit(db: Database, enterpriseId: number, visitedOn = '2026-03-02') {
	const n = ++serial + Math.floor(Math.random() * 100_000) * 100;
	const [v] = await db
		.insert(visit)
		.values({
			visitNo: formatVisitNo(Number(visitedOn.slice(0, 4)), n),
			clientKey: unique('visit'),
			enterpriseId,
			visitedOn
		})
		.returning();
	return v!;
}

/** Problems raised on a visit (defaults: one narrow problem about the given departments). */
export async function raiseOn(
	db: Database,
	v: { id: number; visitedOn: string },
	departmentIds: number[],
	items: Partial<visits.NewProblem>[] = [{}]
): Promise<string[]> {
	return db.transaction((tx) =>
		visits.raiseProblems(
			tx,
			v,
			items.map((i) => ({
				description: '办理施工许可时多个部门互相推诿，三个月未办结',
				category: 'inaction',
				scope: 'single',
				highImpact: false,
				departmentIds,
				...i
			})),
			testActor
		)
	);
}
