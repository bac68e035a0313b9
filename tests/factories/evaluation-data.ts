// A small evaluation year over the example departments every fresh database has: one campaign,
// responses, a case and a finding per department, with different levels so that the ranks are
// spread out; and settings whose quotas fit the 7 municipal and 5 vertical examples. Used by the
// browser and security tests of the evaluation pages, which need a computed or published year.
import type { EvaluationSettings } from '$lib/domain/scoring';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import { inArray } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { department, departmentCategoryHistory } from '$lib/server/db/schema';
import { EXAMPLE_DEPARTMENTS } from '$lib/server/departments/examples';
import { makeCampaign, makeCase, makeFinding, makeResponses } from './records';

/** Quotas the 12 example departments can fill (7 municipal ≥ 2 + 2, 5 vertical ≥ 1 + 2). */
export const EXAMPLE_SETTINGS: EvaluationSettings = {
	...DEFAULT_SETTINGS,
	commended: { municipal: 2, vertical: 1 },
	rectificationBottom: 2,
	minimumResponses: 3
};

/**
 * The records of `year` for every example department (which takes part from `year` on): department i gets 3 responses rating the
 * appraisal questions at level 1 + (i × 3 mod 5) and speed of handling at 4, one case done on
 * time, and a confirmed deduction of i mod 4 points (none for i ≡ 0).
 */
export async function seedExampleYear(db: Database, year: number): Promise<void> {
	// The examples get their category from the year they were created; give them `year` too.
	const found = await db
		.select({ id: department.id, code: department.code })
		.from(department)
		.where(
			inArray(
				department.code,
				EXAMPLE_DEPARTMENTS.map((d) => d.code)
			)
		);
	await db
		.insert(departmentCategoryHistory)
		.values(
			found.map((d) => ({
				departmentId: d.id,
				fromYear: year,
				category: EXAMPLE_DEPARTMENTS.find((e) => e.code === d.code)!.category
			}))
		)
		.onConflictDoNothing();
	const campaign = await makeCampaign(db, {
		year,
		code: `public-${year}`,
		kind: 'public_evaluation'
	});
	for (const [i, d] of EXAMPLE_DEPARTMENTS.entries()) {
		const level = 1 + ((i * 3) % 5);
		await makeResponses(db, campaign.id, d.code, [level, level, level, level, level, 4], 3);
		await makeCase(db, {
			department: d.code,
			accepted: `${year}-03-03 09:00`,
			completed: `${year}-03-04 10:00`,
			promised: 3,
			caseNo: `${d.code}-${year}-1`
		});
		if (i % 4 !== 0)
			await makeFinding(db, {
				department: d.code,
				date: `${year}-05-06`,
				points: -(i % 4),
				findingNo: `${d.code}-${year}-F1`,
				source: 'undercover_visit',
				description: `窗口无人值守 ${d.code}`
			});
	}
}
