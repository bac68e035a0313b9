// The year computation (spec/scoring.md §§2–3): every input read by SQL aggregation in one
// consistent snapshot, the per-department arithmetic done by the pure rules of
// `$lib/domain/scoring`, and the result stored as a draft snapshot with its digest.
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import {
	DIMENSIONS,
	caseIndicator,
	complaintDeductions,
	complaintScore,
	convenienceScore,
	insufficientSample,
	outcomes,
	rankCategory,
	satisfactionRate,
	totalScore,
	weightedCampaignMean,
	workScore,
	type Category,
	type Dimension,
	type EvaluationSettings
} from '$lib/domain/scoring';
import {
	SNAPSHOT_FORMAT,
	type CampaignLine,
	type DepartmentResult,
	type FindingLine,
	type Problem,
	type SnapshotContent
} from '$lib/domain/snapshot';
import { canonicalJson } from '$lib/domain/canonical';
import { startOfDay } from '$lib/domain/time';
import { caseCutoff } from '$lib/domain/working-days';
import * as audit from '$lib/server/audit';
import { rows, type Database, type Executor, type Tx } from '$lib/server/db';
import { evaluationSnapshot } from '$lib/server/db/schema';
import { jsonDigest } from './digest';
import { DomainError } from '$lib/errors';
import type { Snapshot } from '$lib/server/results';
import { getYear } from './store';
import { COMPUTE_LOCK_CLASS, inProcess } from './lock';

/** Which driver a database handle runs on: PostgreSQL has a pool, PGlite one connection. */
export function isPostgres(db: Database): boolean {
	const client = (db as unknown as { $client?: { reserve?: unknown } }).$client;
	return typeof client?.reserve === 'function';
}

/** The instants a local (Asia/Shanghai) year begins and the next one begins. */
function yearBounds(year: number): { from: string; to: string } {
	return {
		from: startOfDay(`${year}-01-01`)!.toISOString(),
		to: startOfDay(`${year + 1}-01-01`)!.toISOString()
	};
}

/** A PostgreSQL `numeric` (or anything numeric) as it arrives from either driver. */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

interface ParticipantRow {
	id: number;
	code: string;
	name_zh: string;
	name_en: string;
	superior_authority: string | null;
	category: Category;
}

interface FindingAgg {
	department_id: number;
	deductions: string;
	bonus: string;
	disputed: number;
	recorded: number;
	lines: string;
}

interface CaseAgg {
	department_id: number;
	accepted: number;
	on_time: number;
	late: number;
	open_overdue: number;
	open_not_due: number;
}

interface ComplaintAgg {
	department_id: number;
	substantiated: number;
	partial: number;
	unfounded: number;
	late: number;
	open: number;
}

interface SurveyAgg {
	department_id: number;
	responses: number;
	answers: number;
	satisfied: number;
	campaigns: string;
}

interface CampaignAgg {
	code: string;
	kind: CampaignLine['kind'];
	weight: number;
	aResponses: number;
	aMean: number | null;
	cResponses: number;
	cMean: number | null;
}

export interface ComputationInputs {
	participants: ParticipantRow[];
	findings: FindingAgg[];
	cases: CaseAgg[];
	complaints: ComplaintAgg[];
	surveys: SurveyAgg[];
	/** Codes of departments criticised in the latest published revision of the year before. */
	criticisedLastYear: string[];
	/** The year before exists but has no published revision (the two-years rule cannot apply). */
	previousUnpublished: boolean;
}

/** The departments taking part in `year`: active, not exempt, with their category of the year. */
function participantsQuery(year: number): SQL {
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

/** §2.1: per department D and B over confirmed findings, the counts to warn about, every line. */
function findingsQuery(year: number): SQL {
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

/**
 * §2.2: the cases accepted in the year, timed in working days. The calendar is built for the
 * whole range needed (the year, the cut-off and every completion, even in a later year):
 * Monday–Friday, minus the listed holidays, plus the listed adjusted workdays; a running count
 * gives each day its working-day ordinal, kept in one array indexed by the day's distance from
 * the range's first day, and the elapsed working days of a case are ord(end) − ord(accept), i.e.
 * the working days d with accept < d ≤ end. Each case's status (0 on time, 1 late, 2 open and
 * overdue, 3 open not due) is computed once per row and counted per department and status (a
 * few hundred groups, hashed), pivoted at the end.
 *
 * Local dates use the fixed +08:00 offset (Asia/Shanghai has had no daylight saving since
 * 1991, `$lib/domain/time`): the same dates as the zone name, without a time-zone lookup per row.
 */
function casesQuery(year: number, cutoff: string): SQL {
	const { from, to } = yearBounds(year);
	const local = (column: string) => sql.raw(`(c.${column} at time zone interval '+08:00')::date`);
	const ord = (day: SQL) => sql`cal.ord[${day} - cal.lo + 1]`;
	return sql`
		with bounds as (
			select least(make_date(${year}::int, 1, 1), ${cutoff}::date) as lo,
				greatest(make_date(${year}::int, 12, 31), ${cutoff}::date,
					((select max(c.completed_at) from service_case c
						where c.accepted_at >= ${from}::timestamptz and c.accepted_at < ${to}::timestamptz)
						at time zone interval '+08:00')::date) as hi
		),
		cal as (
			select b.lo, array_agg(o.n order by o.day) as ord
			from bounds b
			cross join lateral (
				select g::date as day,
					sum(case
						when cd.kind = 'workday' then 1
						when cd.kind = 'holiday' then 0
						when extract(isodow from g) < 6 then 1
						else 0
					end) over (order by g) as n
				from generate_series(b.lo, b.hi, interval '1 day') g
				left join calendar_day cd on cd.date = g::date
			) o
			group by b.lo
		),
		per_status as (
			select c.department_id,
				case
					when c.completed_at is not null then
						case when ${ord(local('completed_at'))} - ${ord(local('accepted_at'))}
							<= c.promised_working_days then 0 else 1 end
					when ${ord(sql`${cutoff}::date`)} - ${ord(local('accepted_at'))}
						> c.promised_working_days then 2
					else 3
				end as status,
				count(*) as n
			from service_case c
			cross join cal
			where c.accepted_at >= ${from}::timestamptz and c.accepted_at < ${to}::timestamptz
			group by 1, 2
		)
		select department_id,
			sum(n)::int as accepted,
			coalesce(sum(n) filter (where status = 0), 0)::int as on_time,
			coalesce(sum(n) filter (where status = 1), 0)::int as late,
			coalesce(sum(n) filter (where status = 2), 0)::int as open_overdue,
			coalesce(sum(n) filter (where status = 3), 0)::int as open_not_due
		from per_status
		group by department_id`;
}

/** §2.3: complaints received in the year, by verdict; those without one are still open. */
function complaintsQuery(year: number): SQL {
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

interface SlotRow {
	questionnaire_id: number;
	campaign_ids: number[];
	slot: number;
	dimension: 'appraisal' | 'convenience';
	/** Whether any response of the year's campaigns is voided (the same on every row). */
	voids: boolean;
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
export function surveysQuery(slots: SlotRow[]): SQL | null {
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
			where sr.campaign_id in (${campaigns.join(', ')})${voids}
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
				'cResponses', pc.c_responses,
				'cMean', 25 * pc.c_scaled::numeric / (pc.c_lcm * nullif(pc.c_responses, 0))
			) order by c.code)::text as campaigns
		from per_campaign pc
		join campaign c on c.id = pc.campaign_id
		group by pc.department_id`;
}

type RecordInputs = Omit<ComputationInputs, 'surveys'>;

/** The inputs other than the survey answers: participants, findings, cases, complaints, Y − 1. */
async function readRecords(tx: Executor, year: number, cutoff: string): Promise<RecordInputs> {
	const participants = await rows<ParticipantRow>(tx, participantsQuery(year));
	const findings = await rows<FindingAgg>(tx, findingsQuery(year));
	const cases = await rows<CaseAgg>(tx, casesQuery(year, cutoff));
	const complaints = await rows<ComplaintAgg>(tx, complaintsQuery(year));
	// "Two years running" reads the published results of the year before: its latest revision.
	const [previous] = await rows<{
		exists: boolean;
		published: number;
		criticised: string[] | null;
	}>(
		tx,
		sql`select exists (select 1 from evaluation_year where year = ${year - 1}::int) as exists,
			(select count(*)::int from evaluation_snapshot
				where year = ${year - 1}::int and kind = 'published') as published,
			(select array_agg(d->>'code' order by d->>'code')
				from evaluation_snapshot s
				cross join jsonb_array_elements(s.content->'departments') d
				where s.id = (select max(id) from evaluation_snapshot
					where year = ${year - 1}::int and kind = 'published')
					and d->'outcomes' ? 'criticism') as criticised`
	);
	return {
		participants,
		findings,
		cases,
		complaints,
		criticisedLastYear: previous?.criticised ?? [],
		previousUnpublished: previous?.exists === true && (previous?.published ?? 0) === 0
	};
}

/** §2.4 per department, from the rating slots of the questionnaires of the year's campaigns. */
async function readSurveys(tx: Executor, year: number): Promise<SurveyAgg[]> {
	const slots = await rows<SlotRow>(
		tx,
		sql`select q.questionnaire_id, q.slot, q.dimension::text as dimension,
				(select array_agg(c.id order by c.id) from campaign c
					where c.year = ${year}::int and c.questionnaire_id = q.questionnaire_id) as campaign_ids,
				exists (select 1 from survey_response_void v
					join survey_response r on r.id = v.response_id
					join campaign c on c.id = r.campaign_id
					where c.year = ${year}::int) as voids
			from question q
			where q.kind = 'rating'
				and q.questionnaire_id in (select c.questionnaire_id from campaign c where c.year = ${year}::int)
			order by q.questionnaire_id, q.slot`
	);
	const surveyQuery = surveysQuery(slots);
	return surveyQuery ? rows<SurveyAgg>(tx, surveyQuery) : [];
}

/** Reads every input of the year; run inside one (read-only, serializable) transaction. */
export async function readInputs(
	tx: Executor,
	year: number,
	cutoff: string
): Promise<ComputationInputs> {
	const records = await readRecords(tx, year, cutoff);
	return { ...records, surveys: await readSurveys(tx, year) };
}

/**
 * Session settings of a reading transaction, in one round trip: no statement timeout short of
 * ten minutes; no JIT (the calendar's generate_series is estimated at 1,000 rows, so the planner
 * would think the cases query huge and JIT-compile it: 0.3–0.6 s of compilation for a query
 * that takes a fraction of that, npm run bench, EXPLAIN ANALYZE); and room to hash the survey
 * aggregation's groups, whose keys (the counted answers, 0 … slots) have no statistics, so that
 * the planner guesses 100,000s of them where there are a few thousand.
 */
async function readerSettings(tx: Tx): Promise<void> {
	await tx.execute(sql`select set_config('statement_timeout', '10min', true),
		set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
}

/**
 * PostgreSQL: reads the inputs on two pooled connections at once, both in ONE snapshot. The
 * first transaction (SERIALIZABLE READ ONLY DEFERRABLE: a consistent snapshot that never aborts
 * or blocks writers) exports its snapshot, starts the second and aggregates the survey answers,
 * the longest read; the second (SERIALIZABLE READ ONLY) imports that snapshot as its first
 * statement and reads everything else meanwhile. An exported snapshot lives only as long as its
 * transaction, so the first waits for the import before it ends — unless the second has not
 * even got a connection by then (a busy pool): it is then told to stand down and the first
 * reads the rest itself. The second never holds a connection while it waits for the first, so
 * a full pool can slow a computation but never deadlock it.
 */
async function readInputsShared(
	db: Database,
	year: number,
	cutoff: string
): Promise<ComputationInputs> {
	let second: 'waiting' | 'started' | 'stood down' = 'waiting';
	let imported!: () => void;
	const importDone = new Promise<void>((resolve) => (imported = resolve));
	let rest: Promise<RecordInputs | null> = Promise.resolve(null);
	try {
		const main = await db.transaction(
			async (tx) => {
				await readerSettings(tx);
				const [row] = await rows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`);
				const id = row!.id;
				// Snapshot ids are hex groups and dashes (`00000003-0000001B-1`); SET takes no
				// parameters, so the id is checked before it is spliced in.
				if (!/^[0-9A-F]+(-[0-9A-F]+)+$/i.test(id)) throw new Error(`unexpected snapshot id ${id}`);
				rest = db.transaction(
					async (rtx) => {
						if (second === 'stood down') return null;
						second = 'started';
						try {
							await rtx.execute(sql.raw(`set transaction snapshot '${id}'`));
						} finally {
							imported();
						}
						await readerSettings(rtx);
						return readRecords(rtx, year, cutoff);
					},
					{ isolationLevel: 'serializable', accessMode: 'read only' }
				);
				// Awaited below whatever happens here; no unhandled rejection meanwhile.
				rest.catch(() => {});
				const surveys = await readSurveys(tx, year);
				if (second === 'waiting') {
					second = 'stood down';
					return { surveys, records: await readRecords(tx, year, cutoff) };
				}
				await importDone;
				return { surveys, records: null };
			},
			{ isolationLevel: 'serializable', accessMode: 'read only', deferrable: true }
		);
		const records = main.records ?? (await rest);
		if (!records) throw new Error('the inputs were not read');
		return { ...records, surveys: main.surveys };
	} finally {
		await rest.catch(() => null);
	}
}

const CATEGORY_ORDER: Record<Category, number> = { municipal: 0, vertical: 1 };

function campaignLines(campaigns: CampaignAgg[], dimension: 'a' | 'c'): CampaignLine[] {
	return campaigns
		.filter((c) => num(dimension === 'a' ? c.aResponses : c.cResponses) > 0)
		.map((c) => ({
			code: c.code,
			kind: c.kind,
			weight: num(c.weight),
			responses: num(dimension === 'a' ? c.aResponses : c.cResponses),
			mean: num(dimension === 'a' ? c.aMean : c.cMean)
		}));
}

const byKey = <T extends { department_id: number }>(list: T[]) =>
	new Map(list.map((r) => [r.department_id, r]));

/**
 * The snapshot content from the aggregated inputs: per department the arithmetic of
 * scoring.md, then ranks and outcomes per category, errors and warnings. Pure: the same inputs
 * give the same content.
 */
export function buildContent(
	year: number,
	settings: EvaluationSettings,
	cutoff: string,
	inputs: ComputationInputs
): SnapshotContent {
	const findings = byKey(inputs.findings);
	const cases = byKey(inputs.cases);
	const complaints = byKey(inputs.complaints);
	const surveys = byKey(inputs.surveys);
	const criticised = new Set(inputs.criticisedLastYear);
	const errors: Problem[] = [];
	const warnings: Problem[] = [];

	const departments: DepartmentResult[] = inputs.participants.map((p) => {
		const f = findings.get(p.id);
		const deductions = num(f?.deductions);
		const bonus = num(f?.bonus);
		const work = workScore({ deductions, bonus }, settings);

		const c = cases.get(p.id);
		const onTime = num(c?.on_time);
		const late = num(c?.late);
		const openOverdue = num(c?.open_overdue);
		const caseValue = caseIndicator({ onTime, completed: onTime + late, openOverdue });

		const s = surveys.get(p.id);
		const campaigns = s ? (JSON.parse(s.campaigns) as CampaignAgg[]) : [];
		const appraisalLines = campaignLines(campaigns, 'a');
		const convenienceLines = campaignLines(campaigns, 'c');
		const surveyValue = weightedCampaignMean(convenienceLines);
		const appraisal = weightedCampaignMean(appraisalLines);
		const convenience = convenienceScore(
			{ caseIndicator: caseValue, surveyIndicator: surveyValue },
			settings
		);

		const k = complaints.get(p.id);
		const counts = {
			substantiated: num(k?.substantiated),
			partial: num(k?.partial),
			unfounded: num(k?.unfounded),
			lateResponses: num(k?.late)
		};
		const deducted = complaintDeductions(counts, settings);
		const complaintsScore = complaintScore(counts, settings);

		const scores = { work, convenience, complaints: complaintsScore, appraisal };
		const responses = num(s?.responses);
		const answers = num(s?.answers);
		const satisfied = num(s?.satisfied);
		const flagged = insufficientSample(responses, settings);

		for (const dim of DIMENSIONS) {
			if (scores[dim] === null)
				errors.push({
					code: 'missing_dimension',
					departmentCode: p.code,
					category: p.category,
					dimension: dim
				});
		}
		if (num(k?.open) > 0)
			warnings.push({ code: 'open_complaints', departmentCode: p.code, count: num(k?.open) });
		if (flagged && appraisal !== null)
			warnings.push({ code: 'insufficient_sample', departmentCode: p.code, count: responses });
		if (num(f?.disputed) > 0)
			warnings.push({ code: 'disputed_findings', departmentCode: p.code, count: num(f?.disputed) });
		if (num(f?.recorded) > 0)
			warnings.push({ code: 'recorded_findings', departmentCode: p.code, count: num(f?.recorded) });

		const basis =
			caseValue !== null && surveyValue !== null
				? 'both'
				: caseValue !== null
					? 'case'
					: surveyValue !== null
						? 'survey'
						: 'missing';

		return {
			code: p.code,
			nameZh: p.name_zh,
			nameEn: p.name_en,
			category: p.category,
			superiorAuthority: p.superior_authority,
			scores: { ...scores, total: totalScore(scores, settings) },
			rank: null,
			rankFromBottom: null,
			outcomes: [],
			responses,
			insufficientSample: flagged,
			satisfactionRate: satisfactionRate(satisfied, answers),
			criticisedLastYear: criticised.has(p.code),
			inputs: {
				work: {
					deductions,
					bonus,
					bonusCounted: Math.min(bonus, settings.workBonusCap),
					findings: f ? (JSON.parse(f.lines) as FindingLine[]) : []
				},
				convenience: {
					cases: {
						accepted: num(c?.accepted),
						onTime,
						late,
						openOverdue,
						openNotDue: num(c?.open_not_due),
						indicator: caseValue
					},
					survey: { indicator: surveyValue, campaigns: convenienceLines },
					share: settings.convenienceCaseShare,
					basis
				},
				complaints: { ...counts, open: num(k?.open), deductions: deducted },
				appraisal: { campaigns: appraisalLines, answers, satisfied }
			}
		};
	});

	for (const category of ['municipal', 'vertical'] as const) {
		const members = departments.filter((d) => d.category === category);
		// An empty category has no quotas to fill; one too small for them would see its
		// commended and bottom groups overlap (README: "category too small").
		const needed = settings.commended[category] + settings.rectificationBottom;
		if (members.length > 0 && members.length < needed)
			errors.push({ code: 'category_too_small', category, count: members.length });
		const rankable = members.flatMap((d) => {
			const { work, convenience, complaints, appraisal, total } = d.scores;
			if (
				total === null ||
				work === null ||
				convenience === null ||
				complaints === null ||
				appraisal === null
			)
				return [];
			return [{ id: d.code, total, appraisal, work, complaints, convenience, d }];
		});
		for (const r of rankCategory(rankable)) {
			r.d.rank = r.rank;
			r.d.rankFromBottom = r.rankFromBottom;
			r.d.outcomes = outcomes(
				{
					category,
					rank: r.rank,
					rankFromBottom: r.rankFromBottom,
					criticisedLastYear: r.d.criticisedLastYear
				},
				settings
			);
		}
	}

	if (inputs.previousUnpublished) warnings.push({ code: 'no_previous_publication' });

	departments.sort(
		(a, b) =>
			CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] ||
			(a.rank ?? Infinity) - (b.rank ?? Infinity) ||
			(a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
	);
	return {
		format: SNAPSHOT_FORMAT,
		year,
		settings,
		cutoff,
		departments,
		errors: sortProblems(errors),
		warnings: sortProblems(warnings)
	};
}

const PROBLEM_ORDER: Record<Problem['code'], number> = {
	category_too_small: 0,
	missing_dimension: 1,
	no_previous_publication: 2,
	open_complaints: 3,
	disputed_findings: 4,
	recorded_findings: 5,
	insufficient_sample: 6
};

function sortProblems(list: Problem[]): Problem[] {
	const dims = (d?: Dimension) => (d ? DIMENSIONS.indexOf(d) : -1);
	return list.sort(
		(a, b) =>
			PROBLEM_ORDER[a.code] - PROBLEM_ORDER[b.code] ||
			(a.category ?? '').localeCompare(b.category ?? '') ||
			(a.departmentCode ?? '').localeCompare(b.departmentCode ?? '') ||
			dims(a.dimension) - dims(b.dimension)
	);
}

/**
 * Deletes the year's drafts no publication froze: a draft is a working copy, only the newest
 * matters, and one a revision froze stays for the record (published rows point at it).
 */
async function deleteDrafts(tx: Tx, year: number): Promise<void> {
	await tx.execute(sql`delete from evaluation_snapshot s
		where s.year = ${year}::int and s.kind = 'draft'
			and not exists (select 1 from evaluation_snapshot p where p.draft_id = s.id)`);
}

/** Stores a draft and audits the computation (earlier drafts deleted by the caller). */
async function storeDraft(
	tx: Tx,
	content: SnapshotContent,
	actor: audit.Actor,
	now: Date
): Promise<Snapshot> {
	// The canonical JSON is serialised once: hashed for the digest and sent as the content
	// (jsonb keeps no key order, so it stores the same value), and the content is not read back.
	const json = canonicalJson(content);
	const digest = jsonDigest(json);
	const { content: _content, ...summaryColumns } = getTableColumns(evaluationSnapshot);
	const [row] = await tx
		.insert(evaluationSnapshot)
		.values({
			year: content.year,
			kind: 'draft',
			content: sql`${json}::jsonb`,
			digest,
			errorCount: content.errors.length,
			warningCount: content.warnings.length,
			computedAt: now,
			computedBy: actor.label
		})
		.returning(summaryColumns);
	await audit.record(tx, actor, {
		action: 'evaluation.compute',
		entity: 'evaluation_snapshot',
		entityId: row!.id,
		changes: {
			year: content.year,
			digest,
			cutoff: content.cutoff,
			departments: content.departments.length,
			errors: content.errors.length,
			warnings: content.warnings.length
		}
	});
	const { createdAt: _createdAt, ...summary } = row!;
	return { ...summary, content, digestOk: true };
}

/** Takes the year's computation lock for the current transaction, or says one is running. */
export async function tryLockYear(tx: Tx, year: number): Promise<void> {
	const [r] = await rows<{ ok: boolean }>(
		tx,
		sql`select pg_try_advisory_xact_lock(${COMPUTE_LOCK_CLASS}::int, ${year}::int) as ok`
	);
	if (!r?.ok) throw new DomainError('computation_running', { params: { year } });
}

/**
 * Computes a draft of the year and stores it. On PostgreSQL the write transaction takes the
 * year's advisory lock first and holds it while the inputs are read on other connections in one
 * shared snapshot (`readInputsShared`), so a second computation of the year is refused at once.
 */
export async function compute(
	db: Database,
	year: number,
	actor: audit.Actor,
	opts: { now?: Date } = {}
): Promise<Snapshot> {
	const now = opts.now ?? new Date();
	const y = await getYear(db, year);
	if (!y) throw new DomainError('year_not_found', { params: { year } });
	const cutoff = caseCutoff(year, now);

	if (isPostgres(db)) {
		return db.transaction(async (tx) => {
			// The lock holder waits, idle, while the other connections read.
			await tx.execute(sql`set local idle_in_transaction_session_timeout = 0`);
			await tryLockYear(tx, year);
			// Settings read under the lock: an edit that commits after this is for the next run.
			const settings = (await currentSettings(tx, year)) ?? y.settings;
			// The old drafts are deleted on this connection while the others read (both are
			// waited for before anything else, and a failure rolls the deletion back).
			const [deleted, read] = await Promise.allSettled([
				deleteDrafts(tx, year),
				readInputsShared(db, year, cutoff)
			]);
			if (deleted.status === 'rejected') throw deleted.reason;
			if (read.status === 'rejected') throw read.reason;
			return storeDraft(tx, buildContent(year, settings, cutoff, read.value), actor, now);
		});
	}
	// PGlite: one connection in this process, so transactions are serial anyway; the guard keeps
	// two computations of a year from interleaving between their read and write.
	return inProcess(year, async () => {
		const inputs = await db.transaction((rtx) => readInputs(rtx, year, cutoff));
		return db.transaction(async (tx) => {
			const settings = (await currentSettings(tx, year)) ?? y.settings;
			await deleteDrafts(tx, year);
			return storeDraft(tx, buildContent(year, settings, cutoff, inputs), actor, now);
		});
	});
}

async function currentSettings(tx: Tx, year: number): Promise<EvaluationSettings | null> {
	const y = await getYear(tx, year);
	return y?.settings ?? null;
}
