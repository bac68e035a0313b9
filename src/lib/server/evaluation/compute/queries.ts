// The SQL of the year computation (spec/scoring.md §2): one aggregation per kind of record, each
// returning a few rows per department, and the row types they return.
import { sql, type SQL } from 'drizzle-orm';
import { startOfDay } from '$lib/domain/time';
import type { CaseStatus } from '$lib/domain/working-days';
import type { Category } from '$lib/domain/scoring';
import type { CampaignLine } from '$lib/domain/snapshot';
import { RESPONSE_CHANNELS, type ResponseChannel } from '$lib/domain/campaigns';
import {
	WORKING_DAY,
	caseStatusSql,
	workingDayCalendar
} from '$lib/server/calendar/working-days-sql';

/** The instants a local (Asia/Shanghai) year begins and the next one begins. */
function yearBounds(year: number): { from: string; to: string } {
	return {
		from: startOfDay(`${year}-01-01`)!.toISOString(),
		to: startOfDay(`${year + 1}-01-01`)!.toISOString()
	};
}

export interface ParticipantRow {
	id: number;
	code: string;
	name_zh: string;
	name_en: string;
	superior_authority: string | null;
	category: Category;
}

/** The departments taking part in `year`: active, not exempt, with their category of the year. */
export function participantsQuery(year: number): SQL {
	return sql`
		select d.id, d.code, d.name_zh, d.name_en, d.superior_authority, cat.category
		from department d
		cross join lateral (
			select h.category::text as category from department_category_history h
			where h.department_id = d.id and h.from_year <= ${year}::int
			order by h.from_year desc limit 1
		) cat
		where d.active
			and not exists (select 1 from department_exemption e
				where e.department_id = d.id and e.year = ${year}::int)
		order by d.code`;
}

export interface FindingRow {
	department_id: number;
	/** numeric, as text: exact until it is read. */
	deductions: string;
	bonus: string;
	disputed: number;
	recorded: number;
	/** The finding lines, as JSON text. */
	lines: string;
}

/** §2.1: per department D and B over confirmed findings, the counts to warn about, every line. */
export function findingsQuery(year: number): SQL {
	return sql`
		select f.department_id,
			coalesce(sum(-f.points) filter (where f.status = 'confirmed' and f.points < 0), 0)::text
				as deductions,
			coalesce(sum(f.points) filter (where f.status = 'confirmed' and f.points > 0), 0)::text
				as bonus,
			(count(*) filter (where f.status = 'disputed'))::int as disputed,
			(count(*) filter (where f.status = 'recorded'))::int as recorded,
			json_agg(json_build_object(
				'findingNo', f.finding_no, 'date', f.date::text, 'source', f.source::text,
				'points', f.points::text, 'status', f.status::text,
				'counted', f.status = 'confirmed', 'description', f.description
			) order by f.date, f.finding_no)::text as lines
		from finding f
		where f.date between make_date(${year}::int, 1, 1) and make_date(${year}::int, 12, 31)
		group by f.department_id`;
}

export interface CaseStatusRow {
	department_id: number;
	status: CaseStatus;
	n: number;
}

/**
 * §2.2: the cases accepted in the year, counted per department and status (a few hundred
 * groups), each case timed in working days by the calendar's SQL ($lib/server/calendar/
 * working-days-sql, the rule the cases list uses too), open cases measured to the cut-off.
 * The calendar's array spans the year and the cut-off; completions in a later year are exact
 * too.
 */
export function casesQuery(year: number, cutoff: string): SQL {
	const { from, to } = yearBounds(year);
	const cut = sql`${cutoff}::date`;
	const status = caseStatusSql(
		{
			accepted: sql.raw('c.accepted_at'),
			completed: sql.raw('c.completed_at'),
			promised: sql.raw('c.promised_working_days')
		},
		cut
	);
	const calendar = workingDayCalendar({
		from: sql`least(make_date(${year}::int, 1, 1), ${cut})`,
		to: sql`greatest(make_date(${year}::int, 12, 31), ${cut})`
	});
	return sql`
		with ${sql.raw(WORKING_DAY)} as (${calendar})
		select c.department_id, ${status} as status, count(*)::int as n
		from service_case c
		cross join ${sql.raw(WORKING_DAY)}
		where c.accepted_at >= ${from}::timestamptz and c.accepted_at < ${to}::timestamptz
		group by 1, 2`;
}

export interface ComplaintRow {
	department_id: number;
	substantiated: number;
	partial: number;
	unfounded: number;
	late: number;
	open: number;
}

/** §2.3: complaints received in the year, by verdict; those without one are still open. */
export function complaintsQuery(year: number): SQL {
	const { from, to } = yearBounds(year);
	return sql`
		select c.department_id,
			(count(*) filter (where c.verdict = 'substantiated'))::int as substantiated,
			(count(*) filter (where c.verdict = 'partial'))::int as partial,
			(count(*) filter (where c.verdict = 'unfounded'))::int as unfounded,
			(count(*) filter (where c.verdict is not null and c.response_late))::int as late,
			(count(*) filter (where c.verdict is null))::int as open
		from complaint c
		where c.received_at >= ${from}::timestamptz and c.received_at < ${to}::timestamptz
		group by c.department_id`;
}

export interface PreviousYearRow {
	exists: boolean;
	published: number;
	criticised: string[] | null;
}

/** "Two years running" reads the published results of the year before: its latest revision. */
export function previousYearQuery(year: number): SQL {
	return sql`select exists (select 1 from evaluation_year where year = ${year - 1}::int) as exists,
			(select count(*)::int from evaluation_snapshot
				where year = ${year - 1}::int and kind = 'published') as published,
			(select array_agg(d->>'code' order by d->>'code')
				from evaluation_snapshot s
				cross join jsonb_array_elements(s.content->'departments') d
				where s.id = (select max(id) from evaluation_snapshot
					where year = ${year - 1}::int and kind = 'published')
					and d->'outcomes' ? 'criticism') as criticised`;
}

export interface SlotRow {
	questionnaire_id: number;
	campaign_ids: number[];
	slot: number;
	dimension: 'appraisal' | 'convenience';
	/** Whether any response of the year's campaigns is voided (the same on every row). */
	voids: boolean;
}

/** The rating slots of the questionnaires of the year's campaigns, and those campaigns. */
export function slotsQuery(year: number): SQL {
	return sql`select q.questionnaire_id, q.slot, q.dimension::text as dimension,
			(select array_agg(c.id order by c.id) from campaign c
				where c.year = ${year}::int and c.questionnaire_id = q.questionnaire_id) as campaign_ids,
			exists (select 1 from survey_response_void v
				join survey_response r on r.id = v.response_id
				join campaign c on c.id = r.campaign_id
				where c.year = ${year}::int) as voids
		from question q
		where q.kind = 'rating'
			and q.questionnaire_id in (select c.questionnaire_id from campaign c where c.year = ${year}::int)
		order by q.questionnaire_id, q.slot`;
}

/**
 * The rating slots of one campaign's questionnaire, shaped as `slotsQuery` gives a year's: with
 * them `surveysQuery` is the year's aggregation over that campaign alone (its page, its
 * aggregates for departments).
 */
export function campaignSlotsQuery(campaignId: number): SQL {
	return sql`select q.questionnaire_id, q.slot, q.dimension::text as dimension,
			array[c.id] as campaign_ids,
			exists (select 1 from survey_response_void v
				join survey_response r on r.id = v.response_id
				where r.campaign_id = c.id) as voids
		from campaign c
		join question q on q.questionnaire_id = c.questionnaire_id
		where c.id = ${campaignId}::int and q.kind = 'rating'
		order by q.slot`;
}

export interface SurveyRow {
	department_id: number;
	responses: number;
	answers: number;
	satisfied: number;
	/** The campaign lines, as JSON text of `SurveyCampaign`s. */
	campaigns: string;
}

/** One (campaign, department) of a `SurveyRow`, as JSON numbers (means in full precision). */
export interface SurveyCampaign {
	code: string;
	kind: CampaignLine['kind'];
	weight: number;
	aResponses: number;
	aMean: number | null;
	/** Counted appraisal answers (levels 1–5), and those at levels 3–5 (the satisfaction rate). */
	aAnswers: number;
	aSatisfied: number;
	cResponses: number;
	cMean: number | null;
}

/**
 * Per rating answer `rN` (a level 0–5, 0 "don't know", null when unanswered), as expressions
 * over the slots of a dimension, in integer arithmetic because the aggregation reads a million
 * rows: the counted answers (levels 1–5), their points in units of 25 (l − 1 each), and those
 * at levels 3–5. `num_nonnulls(nullif(…))` and `greatest(…)` are single function calls per
 * answer, cheaper than the equivalent CASE or `coalesce` arithmetic.
 */
function counted(slots: number[]): string {
	return slots.length ? `num_nonnulls(${slots.map((s) => `nullif(sr.r${s}, 0)`).join(', ')})` : '0';
}
function units(slots: number[]): string {
	return slots.length ? slots.map((s) => `greatest(sr.r${s} - 1, 0)`).join(' + ') : '0';
}
function satisfied(slots: number[]): string {
	return slots.length
		? `num_nonnulls(${slots.map((s) => `nullif(sr.r${s} >= 3, false)`).join(', ')})`
		: '0';
}

/**
 * §2.4: per (campaign, department), over the not-voided responses of the campaigns of the year,
 * the campaign mean m(c, d) of the response scores s(r, d) for both dimensions, and per
 * department the campaign lines, the counted responses and the pooled appraisal answers at
 * levels 3–5. The rating columns of a questionnaire are named by its questions, so the per-row
 * expressions are built per questionnaire (there are few).
 *
 * Each `survey_rating` row is one (response, department) pair, so s(r, d) = 25 · units / n is
 * an expression of the row (n its counted answers, units their points in units of 25). The
 * rows are aggregated once, in parallel, grouped by (campaign, department, n_appraisal,
 * n_convenience) — n takes few values, so this is a few thousand groups and every per-row
 * expression is evaluated once — and within a group n is constant: Σ s = 25 · Σ_groups
 * units_g / n_g. With L the least common multiple of 1 … slots, units_g · (L / n_g) is an
 * integer, so the campaign's sum is one exact integer and the division (numeric) happens only
 * on the 180-odd (campaign, department) rows.
 */
export function surveysQuery(
	slots: SlotRow[],
	filter: { channel?: ResponseChannel | null } = {}
): SQL | null {
	const byQuestionnaire = new Map<
		number,
		{ campaigns: number[]; appraisal: number[]; convenience: number[] }
	>();
	for (const s of slots) {
		// Column names are built from these: only the integers the schema allows.
		if (!Number.isInteger(s.slot) || s.slot < 1 || s.slot > 12) continue;
		const entry = byQuestionnaire.get(s.questionnaire_id) ?? {
			campaigns: s.campaign_ids.map(Number).filter(Number.isInteger),
			appraisal: [],
			convenience: []
		};
		entry[s.dimension].push(s.slot);
		byQuestionnaire.set(s.questionnaire_id, entry);
	}
	const groups = [...byQuestionnaire.entries()]
		.sort(([a], [b]) => a - b)
		.map(([, g]) => g)
		.filter((g) => g.campaigns.length > 0);
	if (groups.length === 0) return null;
	const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
	const lcm = (n: number) =>
		Array.from({ length: n }, (_, i) => i + 1).reduce((x, y) => (x * y) / gcd(x, y), 1);
	// Voided responses are rare: without any, the per-row anti-join probe is left out.
	const voids = slots.some((s) => s.voids)
		? `\n\t\t\t\tand sr.response_id not in (select v.response_id from survey_response_void v)`
		: '';
	// A campaign's results per channel ($lib/server/surveys/aggregates); the year never filters.
	const channel = filter.channel;
	const byChannel =
		channel && (RESPONSE_CHANNELS as readonly string[]).includes(channel)
			? `\n\t\t\t\tand sr.response_id in (select r.id from survey_response r where r.channel = '${channel}')`
			: '';
	const parts = groups.map(({ campaigns, appraisal, convenience }) =>
		sql.raw(`
			select sr.campaign_id, sr.department_id,
				${counted(appraisal)} as a_n, ${counted(convenience)} as c_n,
				${lcm(Math.max(1, appraisal.length))} as a_lcm, ${lcm(Math.max(1, convenience.length))} as c_lcm,
				count(*) as k,
				sum(${units(appraisal)}) as a_u,
				sum(${satisfied(appraisal)}) as a_sat,
				sum(${units(convenience)}) as c_u
			from survey_rating sr
			where sr.campaign_id in (${campaigns.join(', ')})${voids}${byChannel}
			group by 1, 2, 3, 4`)
	);
	return sql`
		with by_count as (${sql.join(parts, sql` union all `)}),
		per_campaign as (
			select campaign_id, department_id,
				coalesce(sum(k) filter (where a_n > 0), 0) as a_responses,
				sum(a_u * (a_lcm / a_n)) filter (where a_n > 0) as a_scaled,
				max(a_lcm) as a_lcm,
				sum(a_n * k) as a_answers,
				sum(a_sat) as a_satisfied,
				coalesce(sum(k) filter (where c_n > 0), 0) as c_responses,
				sum(c_u * (c_lcm / c_n)) filter (where c_n > 0) as c_scaled,
				max(c_lcm) as c_lcm
			from by_count
			group by campaign_id, department_id
		)
		select pc.department_id,
			sum(pc.a_responses)::int as responses,
			sum(pc.a_answers)::int as answers,
			sum(pc.a_satisfied)::int as satisfied,
			json_agg(json_build_object(
				'code', c.code, 'kind', c.kind::text, 'weight', c.weight,
				'aResponses', pc.a_responses,
				'aMean', 25 * pc.a_scaled::numeric / (pc.a_lcm * nullif(pc.a_responses, 0)),
				'aAnswers', pc.a_answers, 'aSatisfied', pc.a_satisfied,
				'cResponses', pc.c_responses,
				'cMean', 25 * pc.c_scaled::numeric / (pc.c_lcm * nullif(pc.c_responses, 0))
			) order by c.code)::text as campaigns
		from per_campaign pc
		join campaign c on c.id = pc.campaign_id
		group by pc.department_id`;
}
