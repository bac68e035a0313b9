// The campaign summary of the thousand-enterprise visits (通报总结, issue 9 §8,
// docs/visit-summary.md): visits done against the sample, the materials handed out, investor
// cards and the departments that did not honour them, the problems raised by department,
// category, scope and state, and satisfaction by department. Each block is one SQL statement;
// who may read it (ROLES.visitSummary) and which campaigns have one (enterprise_visit) is
// decided here, so the page, the print view and the download refuse alike.
import { eq, sql, type SQL } from 'drizzle-orm';
import {
	OPEN_PROBLEM_STATES,
	PROBLEM_CATEGORIES,
	type ProblemScope,
	type ProblemState
} from '$lib/domain/visit-problems';
import { hasRole, ROLES, type Role } from '$lib/domain/roles';
import { formatDate } from '$lib/domain/time';
import { DomainError } from '$lib/errors';
import { rows, type Executor } from '$lib/server/db';
import { campaign, type Campaign } from '$lib/server/db/schema';
import { campaignSatisfaction } from '$lib/server/surveys/response-rates';
import { overdueSql } from './problems';

/** Who reads: a signed-in user by its role. */
export interface SummaryReader {
	role: Role;
}

export function mayReadVisitSummary(reader: SummaryReader): boolean {
	return hasRole(reader.role, ROLES.visitSummary);
}

interface Named {
	code: string;
	nameZh: string;
	nameEn: string;
}

export interface VisitProgress {
	/** The enterprises to visit: the units of the campaign's drawn sample; null: none drawn. */
	target: number | null;
	/** Visits recorded for the campaign (an enterprise visited twice counts twice). */
	visits: number;
	/** Distinct enterprises visited. */
	enterprises: number;
	/** Of those, the enterprises of the sample. */
	sampledVisited: number;
}

export interface MaterialsHandedOut {
	/** Visits that handed out the contact card (a card number recorded). */
	contactCards: number;
	instructions: number;
	handbooks: number;
	/** Visits that handed out all three. */
	all: number;
}

export interface InvestorCards {
	/** Enterprises visited, by what their latest visit that asked found. */
	holders: number;
	nonHolders: number;
	/** Enterprises no visit asked. */
	notAsked: number;
	/** Visits that found a department not honouring the card. */
	breachVisits: number;
	/** The departments that did not honour it, most visits first. */
	breaches: (Named & { visits: number; enterprises: number })[];
}

export interface ProblemCounts {
	total: number;
	/** Being handled (OPEN_PROBLEM_STATES). */
	open: number;
	/** Open, and due before today. */
	overdue: number;
	closed: number;
	highImpact: number;
}

export interface ProblemFigures extends ProblemCounts {
	/** The departments problems involve (named or assigned), most problems first. */
	departments: (Named & ProblemCounts)[];
	/** Every category of PROBLEM_CATEGORIES (also with 0), then any other stored text. */
	categories: (ProblemCounts & { key: string })[];
	/** Every scope, also with 0. */
	scopes: (ProblemCounts & { key: ProblemScope })[];
	/** Every state, also with 0. */
	states: (ProblemCounts & { key: ProblemState })[];
}

export interface DepartmentSatisfactionLine extends Named {
	/** Counted appraisal responses about it in the campaign (scoring.md §2.4). */
	responses: number;
	/** The appraisal satisfaction rate as a fraction; null: no answer, or withheld. */
	satisfactionRate: number | null;
	/** Too few responses for this reader (a leader): the rate is not given. */
	withheld: boolean;
	/** Return visits of the problems involving it, and how many found the enterprise satisfied. */
	returnVisits: number;
	returnSatisfied: number;
}

export interface VisitSummary {
	campaign: Pick<
		Campaign,
		'code' | 'year' | 'nameZh' | 'nameEn' | 'state' | 'opensOn' | 'closesOn'
	>;
	/** The local day the figures were read on (overdue is before it). */
	today: string;
	progress: VisitProgress;
	materials: MaterialsHandedOut;
	investorCards: InvestorCards;
	problems: ProblemFigures;
	/** Return visits of all the campaign's problems (each counted once). */
	returnVisits: { total: number; satisfied: number };
	/** Departments with appraisal responses or return visits in the campaign, by code. */
	satisfaction: DepartmentSatisfactionLine[];
}

/** A text[] of constants, bound as parameters. */
const textArray = (values: readonly string[]) =>
	sql`array[${sql.join(
		values.map((v) => sql`${v}::text`),
		sql`, `
	)}]::text[]`;

const intArray = (values: readonly number[]) =>
	values.length === 0
		? sql`array[]::int[]`
		: sql`array[${sql.join(
				values.map((v) => sql`${v}::int`),
				sql`, `
			)}]`;

interface VisitsRow {
	visits: number;
	enterprises: number;
	sampled_visited: number;
	contact_cards: number;
	instructions: number;
	handbooks: number;
	all_materials: number;
	holders: number;
	non_holders: number;
	breach_visits: number;
	drawn: boolean;
	sample_units: number;
}

/**
 * Progress, materials and investor cards in one pass over the campaign's visits. An enterprise
 * visited more than once holds a card as its latest visit that asked says.
 */
function visitsQuery(campaignId: number): SQL {
	return sql`with v as (select * from visit where campaign_id = ${campaignId}::int),
		card as (
			select distinct on (enterprise_id) enterprise_id, investor_card from v
			where investor_card is not null
			order by enterprise_id, visited_on desc, id desc)
		select count(*)::int as visits,
			count(distinct v.enterprise_id)::int as enterprises,
			count(distinct v.enterprise_id) filter (where exists (select 1 from sample_unit su
				where su.campaign_id = v.campaign_id and su.enterprise_id = v.enterprise_id))::int
				as sampled_visited,
			count(*) filter (where coalesce(trim(v.contact_card_no), '') <> '')::int as contact_cards,
			count(*) filter (where v.gave_instructions)::int as instructions,
			count(*) filter (where v.gave_handbook)::int as handbooks,
			count(*) filter (where coalesce(trim(v.contact_card_no), '') <> ''
				and v.gave_instructions and v.gave_handbook)::int as all_materials,
			(select count(*) from card where investor_card)::int as holders,
			(select count(*) from card where not investor_card)::int as non_holders,
			count(*) filter (where exists (select 1 from visit_investor_breach b
				where b.visit_id = v.id))::int as breach_visits,
			exists (select 1 from campaign_sample s where s.campaign_id = ${campaignId}::int) as drawn,
			(select count(*) from sample_unit su where su.campaign_id = ${campaignId}::int)::int
				as sample_units
		from v`;
}

interface BreachRow {
	code: string;
	name_zh: string;
	name_en: string;
	visits: number;
	enterprises: number;
}

function breachesQuery(campaignId: number): SQL {
	return sql`select d.code, d.name_zh, d.name_en, count(*)::int as visits,
			count(distinct v.enterprise_id)::int as enterprises
		from visit_investor_breach b
		join visit v on v.id = b.visit_id
		join department d on d.id = b.department_id
		where v.campaign_id = ${campaignId}::int
		group by d.code, d.name_zh, d.name_en
		order by visits desc, enterprises desc, d.code collate "C"`;
}

type Dimension = 'total' | 'department' | 'category' | 'scope' | 'state';

interface ProblemRow {
	dimension: Dimension;
	key: string;
	name_zh: string | null;
	name_en: string | null;
	total: number;
	open: number;
	overdue: number;
	closed: number;
	high_impact: number;
}

/**
 * The campaign's problems counted by every dimension in one statement. Overdue: open
 * (OPEN_PROBLEM_STATES) with a due date before `today`: overdueSql, problemOverdue's twin. A problem counts
 * for each department it involves, named when raised or assigned by a leader.
 */
function problemsQuery(campaignId: number, today: string): SQL {
	const counts = sql`count(p.id)::int as total,
		count(p.id) filter (where p.open)::int as open,
		count(p.id) filter (where p.overdue)::int as overdue,
		count(p.id) filter (where p.state = 'closed')::int as closed,
		count(p.id) filter (where p.high_impact)::int as high_impact`;
	const categories = textArray(PROBLEM_CATEGORIES);
	return sql`with p as (
			select vp.id, vp.category, vp.scope::text as scope, vp.state::text as state, vp.high_impact,
				vp.state::text = any(${textArray(OPEN_PROBLEM_STATES)}) as open,
				${overdueSql(today)} as overdue
			from visit_problem vp join visit v on v.id = vp.visit_id
			where v.campaign_id = ${campaignId}::int
		)
		select * from (
		select 'total' as dimension, '' as key, null as name_zh, null as name_en, 0::bigint as ord,
			${counts}
		from p
		union all
		select 'department', d.code, d.name_zh, d.name_en, 0, ${counts}
		from p join visit_problem_department pd on pd.problem_id = p.id
		join department d on d.id = pd.department_id
		group by d.code, d.name_zh, d.name_en
		union all
		select 'category', k.key, null, null, k.ord, ${counts}
		from (select u.key, u.ord from unnest(${categories}) with ordinality as u(key, ord)
			union select distinct p.category, 1000 from p where p.category <> all(${categories})) k
		left join p on p.category = k.key
		group by k.key, k.ord
		union all
		select 'scope', k.key, null, null, k.ord, ${counts}
		from unnest(enum_range(null::problem_scope)::text[]) with ordinality as k(key, ord)
		left join p on p.scope = k.key
		group by k.key, k.ord
		union all
		select 'state', k.key, null, null, k.ord, ${counts}
		from unnest(enum_range(null::problem_state)::text[]) with ordinality as k(key, ord)
		left join p on p.state = k.key
		group by k.key, k.ord
		) f
		order by dimension, ord, total desc, key collate "C"`;
}

interface ReturnRow {
	id: number | null;
	code: string;
	name_zh: string;
	name_en: string;
	return_visits: number;
	return_satisfied: number;
}

/**
 * Return visits per department involved in the returned problem, for the departments that have
 * any or whose ids are given (those with appraisal responses); and a first row (id null) of
 * the campaign's return visits each counted once.
 */
function returnsQuery(campaignId: number, departmentIds: readonly number[]): SQL {
	return sql`with r as (
			select pr.problem_id, pr.satisfied from visit_problem_return pr
			join visit_problem p on p.id = pr.problem_id
			join visit v on v.id = p.visit_id
			where v.campaign_id = ${campaignId}::int
		),
		by_department as (
			select pd.department_id, count(*)::int as return_visits,
				count(*) filter (where r.satisfied)::int as return_satisfied
			from r join visit_problem_department pd on pd.problem_id = r.problem_id
			group by pd.department_id
		)
		select * from (
		select null::int as id, '' as code, '' as name_zh, '' as name_en,
			count(*)::int as return_visits, count(*) filter (where r.satisfied)::int as return_satisfied
		from r
		union all
		select d.id, d.code, d.name_zh, d.name_en, coalesce(b.return_visits, 0),
			coalesce(b.return_satisfied, 0)
		from department d left join by_department b on b.department_id = d.id
		where b.department_id is not null or d.id = any(${intArray(departmentIds)})
		) f
		order by id is not null, code collate "C"`;
}

const counts = (r: ProblemRow): ProblemCounts => ({
	total: Number(r.total),
	open: Number(r.open),
	overdue: Number(r.overdue),
	closed: Number(r.closed),
	highImpact: Number(r.high_impact)
});

/**
 * The summary of visit campaign `code` on the local day of `now`: refused to anyone but admin,
 * supervisor and leader (`visit_summary_forbidden`), `campaign_not_found` without such a
 * campaign, `visit_campaign_not_found` when it is no enterprise-visit campaign. A leader reads
 * the appraisal satisfaction of small groups withheld, as everywhere (campaignSatisfaction).
 */
export async function visitSummary(
	db: Executor,
	code: string,
	reader: SummaryReader,
	now = new Date()
): Promise<VisitSummary> {
	if (!mayReadVisitSummary(reader)) throw new DomainError('visit_summary_forbidden');
	const [c] = await db.select().from(campaign).where(eq(campaign.code, code));
	if (!c) throw new DomainError('campaign_not_found', { params: { code } });
	if (c.kind !== 'enterprise_visit')
		throw new DomainError('visit_campaign_not_found', { params: { code } });
	const today = formatDate(now);
	const [[v], breaches, problemRows, appraisal] = await Promise.all([
		rows<VisitsRow>(db, visitsQuery(c.id)),
		rows<BreachRow>(db, breachesQuery(c.id)),
		rows<ProblemRow>(db, problemsQuery(c.id, today)),
		campaignSatisfaction(db, reader, c)
	]);
	const returns = await rows<ReturnRow>(db, returnsQuery(c.id, [...appraisal.keys()]));
	const n = (x: number | string | undefined) => Number(x ?? 0);
	const enterprises = n(v?.enterprises);
	const holders = n(v?.holders);
	const nonHolders = n(v?.non_holders);
	const of = (d: Dimension) => problemRows.filter((r) => r.dimension === d);
	const total = of('total')[0];
	const [all, ...departments] = returns;
	return {
		campaign: {
			code: c.code,
			year: c.year,
			nameZh: c.nameZh,
			nameEn: c.nameEn,
			state: c.state,
			opensOn: c.opensOn,
			closesOn: c.closesOn
		},
		today,
		progress: {
			target: v?.drawn ? n(v.sample_units) : null,
			visits: n(v?.visits),
			enterprises,
			sampledVisited: n(v?.sampled_visited)
		},
		materials: {
			contactCards: n(v?.contact_cards),
			instructions: n(v?.instructions),
			handbooks: n(v?.handbooks),
			all: n(v?.all_materials)
		},
		investorCards: {
			holders,
			nonHolders,
			notAsked: enterprises - holders - nonHolders,
			breachVisits: n(v?.breach_visits),
			breaches: breaches.map((b) => ({
				code: b.code,
				nameZh: b.name_zh,
				nameEn: b.name_en,
				visits: n(b.visits),
				enterprises: n(b.enterprises)
			}))
		},
		problems: {
			...(total ? counts(total) : { total: 0, open: 0, overdue: 0, closed: 0, highImpact: 0 }),
			departments: of('department').map((r) => ({
				code: r.key,
				nameZh: r.name_zh ?? '',
				nameEn: r.name_en ?? '',
				...counts(r)
			})),
			categories: of('category').map((r) => ({ key: r.key, ...counts(r) })),
			scopes: of('scope').map((r) => ({ key: r.key as ProblemScope, ...counts(r) })),
			states: of('state').map((r) => ({ key: r.key as ProblemState, ...counts(r) }))
		},
		returnVisits: { total: n(all?.return_visits), satisfied: n(all?.return_satisfied) },
		satisfaction: departments.map((d) => {
			const a = appraisal.get(Number(d.id));
			return {
				code: d.code,
				nameZh: d.name_zh,
				nameEn: d.name_en,
				responses: a?.responses ?? 0,
				satisfactionRate: a?.satisfactionRate ?? null,
				withheld: a?.withheld ?? false,
				returnVisits: n(d.return_visits),
				returnSatisfied: n(d.return_satisfied)
			};
		})
	};
}
