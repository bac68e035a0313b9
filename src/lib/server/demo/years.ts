// The demo's evaluation years through the evaluation module's own verbs: 2002 and 2003 computed
// and published at the start of the next year (publication opens the rectifications of the
// bottom three), 2004 computed as a draft awaiting publication. The rectifications are then
// followed as the city did: a leader assigned to each, the department's plan and a report, and
// closed — except the latest year's last two, still under way.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import { department, rectification } from '$lib/server/db/schema';
import * as evaluation from '$lib/server/evaluation';
import * as rectifications from '$lib/server/rectification';
import { at, OPENS } from './calendar';
import { DEMO_YEARS } from './figures';

export interface YearOutcome {
	year: number;
	published: boolean;
	errors: number;
	warnings: number;
	/** The departments the publication put in rectification, by code. */
	rectification: string[];
}

/** When each year was computed and, but for the last, published (the next January). */
const computedOn = (year: number) =>
	at(`${year + 1}-01-${year === DEMO_YEARS.at(-1) ? 10 : 15}`, OPENS);
const publishedOn = (year: number) => at(`${year + 1}-01-20`, OPENS);

export async function run(db: Database, actor: Actor, leaderId: number): Promise<YearOutcome[]> {
	const out: YearOutcome[] = [];
	for (const year of DEMO_YEARS) {
		await evaluation.createYear(db, { year }, actor);
		const draft = await evaluation.compute(db, year, actor, { now: computedOn(year) });
		const last = year === DEMO_YEARS.at(-1);
		if (!last)
			await evaluation.publish(
				db,
				year,
				{ note: `${year}年度机关效能考评结果`, draftId: draft.id },
				actor,
				{ now: publishedOn(year) }
			);
		const opened = await db
			.select({ id: rectification.id, code: department.code })
			.from(rectification)
			.innerJoin(department, eq(department.id, rectification.departmentId))
			.where(and(eq(rectification.year, year), isNull(rectification.cancelledAt)))
			.orderBy(asc(department.code));
		for (const [i, r] of opened.entries()) {
			const on = (days: number) => new Date(publishedOn(year).getTime() + days * 86_400_000);
			await rectifications.assignLeader(db, r.id, leaderId, actor, on(3));
			await rectifications.submitPlan(
				db,
				r.id,
				'一、召开专题会议查摆问题；二、修订窗口服务制度和办事指南；三、落实首问责任制和限时办结制；四、每月向挂点市领导报告整改进展。',
				actor,
				on(14)
			);
			await rectifications.addReport(
				db,
				r.id,
				'已完成问题查摆，制定整改措施，窗口服务制度已修订。',
				actor,
				on(45)
			);
			// The latest published year's last two are still under way.
			const underWay = year === DEMO_YEARS.at(-2) && i >= opened.length - 2;
			if (!underWay)
				await rectifications.close(
					db,
					r.id,
					'整改措施落实到位，经测评群众满意度明显提高，同意销号。',
					actor,
					on(80)
				);
		}
		out.push({
			year,
			published: !last,
			errors: draft.errorCount,
			warnings: draft.warningCount,
			rectification: opened.map((r) => r.code)
		});
	}
	return out;
}
