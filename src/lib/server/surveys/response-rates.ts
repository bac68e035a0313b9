// A campaign's response rate (AAPOR RR1, `$lib/domain/response-rate`) beside its satisfaction,
// per target department. The sample and its calls belong to the campaign, not to a department:
// every sampled enterprise is asked about the departments it dealt with, in one interview. So a
// department's RR1 is its campaign's (the same units reached or not), and what differs per
// department is its counted responses and satisfaction rate (scoring.md §2.4), which come from
// the evaluation's own per-campaign aggregation (docs/consoles.md).
import { sql } from 'drizzle-orm';
import type { CallOutcome } from '$lib/domain/phone';
import {
	countDispositions,
	OUTCOME_PRIORITY,
	responseRate1,
	type DispositionCounts
} from '$lib/domain/response-rate';
import { MIN_GROUP_FOR_LIAISON } from '$lib/domain/explain';
import type { Role } from '$lib/domain/roles';
import { rows, type Executor } from '$lib/server/db';
import { withholdsSmallGroups } from './aggregates';
import {
	campaignSlotsQuery,
	surveysQuery,
	type SlotRow,
	type SurveyCampaign,
	type SurveyRow
} from '$lib/server/evaluation/compute/queries';

const PRIORITY = sql.raw(`array[${OUTCOME_PRIORITY.map((o) => `'${o}'`).join(', ')}]`);

/**
 * Each unit's final outcome, counted per campaign: a unit answered through its invitation is a
 * completed interview too; otherwise its most informative call (`OUTCOME_PRIORITY`), or none.
 */
export function finalOutcomesQuery(campaignIds: readonly number[]) {
	return sql`with f as (
			select su.campaign_id,
				case when exists (select 1 from invitation i
						join invitation_answer ia on ia.invitation_id = i.id
						where i.sample_unit_id = su.id) then 'completed'
					else (select a.outcome::text from call_attempt a where a.sample_unit_id = su.id
						order by array_position(${PRIORITY}, a.outcome::text) limit 1) end as outcome
			from sample_unit su
			where su.campaign_id in (${sql.join(
				campaignIds.map((id) => sql`${id}::int`),
				sql`, `
			)}))
		select campaign_id, outcome, count(*)::int as n from f group by campaign_id, outcome`;
}

export interface ResponseRate {
	/** Units of the sample by AAPOR disposition. */
	dispositions: DispositionCounts;
	units: number;
	/** RR1 as a fraction; null when no unit may be eligible (or there is no sample). */
	rr1: number | null;
}

/** RR1 of each campaign (by id) with its disposition counts. */
export async function responseRates(
	db: Executor,
	campaignIds: readonly number[]
): Promise<Map<number, ResponseRate>> {
	const out = new Map<number, ResponseRate>();
	if (campaignIds.length === 0) return out;
	const found = await rows<{ campaign_id: number; outcome: CallOutcome | null; n: number }>(
		db,
		finalOutcomesQuery(campaignIds)
	);
	for (const id of campaignIds) {
		const mine = found.filter((r) => Number(r.campaign_id) === id);
		const outcomes = mine.flatMap((r) => Array<CallOutcome | null>(Number(r.n)).fill(r.outcome));
		const dispositions = countDispositions(outcomes);
		out.set(id, { dispositions, units: outcomes.length, rr1: responseRate1(dispositions) });
	}
	return out;
}

export interface DepartmentSatisfaction {
	departmentId: number;
	/** Counted responses about the department in this campaign (scoring.md §2.4 step 1). */
	responses: number;
	/** The campaign mean m(c, d), 0–100; null without a counted response. */
	mean: number | null;
	/** Satisfaction rate: the share of counted appraisal answers at levels 3–5; null without any. */
	satisfactionRate: number | null;
	/** The group is too small for this reader: mean and rate are not given (anonymity rule). */
	withheld: boolean;
}

/**
 * Per department, the campaign's line of the year's §2.4 aggregation (the evaluation's query):
 * counted responses, campaign mean and satisfaction rate.
 */
export async function campaignSatisfaction(
	db: Executor,
	reader: { role: Role },
	c: { id: number; code: string }
): Promise<Map<number, DepartmentSatisfaction>> {
	// A leader reads aggregates of groups of MIN_GROUP_FOR_LIAISON responses or more only.
	const min = withholdsSmallGroups(reader.role) ? MIN_GROUP_FOR_LIAISON : 0;
	const out = new Map<number, DepartmentSatisfaction>();
	const query = surveysQuery(await rows<SlotRow>(db, campaignSlotsQuery(c.id)));
	if (!query) return out;
	for (const row of await rows<SurveyRow>(db, query)) {
		const line = (JSON.parse(row.campaigns) as SurveyCampaign[]).find((l) => l.code === c.code);
		if (!line) continue;
		const answers = Number(line.aAnswers);
		const responses = Number(line.aResponses);
		const withheld = responses > 0 && responses < min;
		out.set(Number(row.department_id), {
			departmentId: Number(row.department_id),
			responses,
			mean: withheld || line.aMean === null ? null : Number(line.aMean),
			satisfactionRate: !withheld && answers > 0 ? Number(line.aSatisfied) / answers : null,
			withheld
		});
	}
	return out;
}
