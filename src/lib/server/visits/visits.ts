// The visit record (issue 9 §5): a supervisor on a tablet records a visit to an enterprise — the
// team, the materials handed out, the investor-card check and the problems raised — in one
// transaction with its audit entry. The tablet sends the same visit again after a lost
// connection under the same key (`client_key`); the visit is stored once. Its number is what the
// field console records with the on-site appraisal, so the two stay linked.
// Who sees what: admins and supervisors everything; leaders the visits with the enterprise's
// contact masked (roles.md: respondent identity is for admin and supervisors).
import { and, asc, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { maskName, maskPersonalData, maskPhone } from '$lib/domain/mask';
import { hasRole, ROLES } from '$lib/domain/roles';
import { localDate } from '$lib/domain/working-days';
import { formatVisitNo, OPEN_PROBLEM_STATES } from '$lib/domain/visit-problems';
import { DomainError } from '$lib/errors';
import type { ProblemInput } from '$lib/schemas/problems';
import type { VisitInput } from '$lib/schemas/visits';
import * as audit from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import { rows, type Executor, type Tx } from '$lib/server/db';
import { containsAny } from '$lib/server/db/search';
import {
	campaign,
	department,
	enterprise,
	invitation,
	sampleUnit,
	surveyResponse,
	user,
	visit,
	visitInvestorBreach,
	visitMember,
	visitProblem,
	visitProblemDepartment
} from '$lib/server/db/schema';
import { enterpriseByUscc, sampleEnterprises } from '$lib/server/surveys/consoles';
import { raiseProblems } from './problems';

/** Two tablets saving at once must not draw one number. */
const NUMBER_LOCK_KEY = 7_410_3105;

export type VisitReader = Pick<Principal, 'role'>;

/** Department ids by code, for the codes a form named; an unknown one refused at `field`. */
async function departmentIds(tx: Tx, codes: readonly string[], field: string) {
	if (codes.length === 0) return new Map<string, number>();
	const found = await tx
		.select({ id: department.id, code: department.code })
		.from(department)
		.where(inArray(department.code, [...codes]));
	const byCode = new Map(found.map((d) => [d.code, d.id]));
	const unknown = codes.find((c) => !byCode.has(c));
	if (unknown) throw new DomainError('department_unknown', { params: { code: unknown }, field });
	return byCode;
}

/** The campaign a visit counts towards: an enterprise-visit campaign that is under way. */
async function visitCampaign(tx: Tx, code: string) {
	const [c] = await tx
		.select({ id: campaign.id, kind: campaign.kind, state: campaign.state })
		.from(campaign)
		.where(eq(campaign.code, code));
	if (!c) throw new DomainError('campaign_not_found', { params: { code }, field: 'campaign' });
	if (c.kind !== 'enterprise_visit')
		throw new DomainError('visit_campaign_kind', { field: 'campaign' });
	if (c.state !== 'active')
		throw new DomainError('visit_campaign_not_active', { field: 'campaign' });
	return c.id;
}

/** The contact card handed out must be one printed, and printed for this enterprise. */
async function checkCard(tx: Tx, cardNo: string, enterpriseId: number) {
	const [card] = await tx
		.select({ enterpriseId: sampleUnit.enterpriseId })
		.from(invitation)
		.innerJoin(sampleUnit, eq(sampleUnit.id, invitation.sampleUnitId))
		.where(eq(invitation.cardNo, cardNo));
	if (!card)
		throw new DomainError('visit_card_unknown', {
			params: { no: cardNo },
			field: 'contact_card_no'
		});
	if (card.enterpriseId !== enterpriseId)
		throw new DomainError('visit_card_other_enterprise', {
			params: { no: cardNo },
			field: 'contact_card_no'
		});
}

export interface RecordedVisit {
	visitNo: string;
	/** False when the same key had stored it already (a form sent again). */
	created: boolean;
	problemNos: string[];
}

/** Records a visit with its team, materials, investor-card check and problems. */
export async function recordVisit(
	db: Executor,
	input: VisitInput,
	actor: audit.Actor,
	now = new Date()
): Promise<RecordedVisit> {
	if (input.visitedOn > localDate(now))
		throw new DomainError('visit_date_future', { field: 'visited_on' });
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${NUMBER_LOCK_KEY})`);
		const [seen] = await tx
			.select({ visitNo: visit.visitNo })
			.from(visit)
			.where(eq(visit.clientKey, input.responseKey));
		if (seen) return { visitNo: seen.visitNo, created: false, problemNos: [] };

		const e = await enterpriseByUscc(tx, input.uscc);
		const campaignId = input.campaign ? await visitCampaign(tx, input.campaign) : null;
		if (input.contactCardNo) await checkCard(tx, input.contactCardNo, e.id);
		const breaches = await departmentIds(tx, input.breaches, 'breach');

		const year = Number(input.visitedOn.slice(0, 4));
		const [last] = await rows<{ n: number }>(
			tx,
			sql`select coalesce(max(substring(visit_no from 8)::int), 0)::int as n
				from visit where visit_no ~ ${`^ZF${year}-[0-9]{6}$`}`
		);
		const visitNo = formatVisitNo(year, Number(last?.n ?? 0) + 1);
		const [row] = await tx
			.insert(visit)
			.values({
				visitNo,
				clientKey: input.responseKey,
				campaignId,
				enterpriseId: e.id,
				visitedOn: input.visitedOn,
				contactCardNo: input.contactCardNo,
				gaveInstructions: input.gaveInstructions,
				gaveHandbook: input.gaveHandbook,
				investorCard: input.investorCard,
				notes: input.notes,
				createdBy: actor.kind === 'user' ? actor.id : null
			})
			.returning();
		await tx
			.insert(visitMember)
			.values(input.members.map((m, i) => ({ visitId: row!.id, position: i, ...m })));
		if (breaches.size > 0)
			await tx
				.insert(visitInvestorBreach)
				.values([...breaches.values()].map((departmentId) => ({ visitId: row!.id, departmentId })));
		await audit.record(tx, actor, {
			action: 'visit.record',
			entity: 'visit',
			entityId: visitNo,
			changes: audit.diff(null, {
				enterprise: e.uscc,
				visitedOn: input.visitedOn,
				campaign: input.campaign,
				team: input.members.map((m) => `${m.name} (${m.role})`).join(', '),
				contactCardNo: input.contactCardNo,
				gaveInstructions: input.gaveInstructions,
				gaveHandbook: input.gaveHandbook,
				investorCard: input.investorCard,
				breaches: [...breaches.keys()].join(', '),
				problems: input.problems.length
			})
		});
		const problemNos = await raiseProblems(
			tx,
			{ id: row!.id, visitedOn: input.visitedOn },
			input.problems,
			actor
		);
		return { visitNo, created: true, problemNos };
	});
}

/** Raises more problems on a visit already recorded (the enterprise called back, say). */
export async function addProblems(
	db: Executor,
	visitNo: string,
	problems: readonly ProblemInput[],
	actor: audit.Actor
): Promise<string[]> {
	return db.transaction(async (tx) => {
		const [v] = await tx
			.select({ id: visit.id, visitedOn: visit.visitedOn })
			.from(visit)
			.where(eq(visit.visitNo, visitNo));
		if (!v) throw new DomainError('visit_not_found');
		return raiseProblems(tx, v, problems, actor);
	});
}

// --- Reading --------------------------------------------------------------------------------

function mustView(p: VisitReader) {
	if (!hasRole(p.role, ROLES.viewVisits)) throw new DomainError('visit_forbidden');
}

/** Whether the reader sees the enterprise's contact person and number whole. */
const seesContacts = (p: VisitReader) => p.role === 'admin' || p.role === 'supervisor';

export interface VisitFilter {
	campaign?: string;
	/** Part of the visit number, or of the enterprise's name or USCC. */
	q?: string;
	from?: string;
	to?: string;
}

export interface VisitListRow {
	visitNo: string;
	visitedOn: string;
	enterpriseName: string;
	uscc: string;
	campaignCode: string | null;
	team: number;
	problems: number;
	openProblems: number;
}

/** One page of visits, the latest first. */
export async function listVisits(
	db: Executor,
	p: VisitReader,
	filter: VisitFilter,
	page: number,
	pageSize: number
): Promise<{ rows: VisitListRow[]; total: number }> {
	mustView(p);
	const where: (SQL | undefined)[] = [
		filter.campaign ? eq(campaign.code, filter.campaign) : undefined,
		filter.from ? gte(visit.visitedOn, filter.from) : undefined,
		filter.to ? lte(visit.visitedOn, filter.to) : undefined,
		containsAny(filter.q, [visit.visitNo, enterprise.name, enterprise.uscc])
	];
	const w = and(...where);
	const team = sql<number>`(select count(*) from ${visitMember} where ${visitMember.visitId} = ${visit.id})::int`;
	const problems = (open: boolean) =>
		sql<number>`(select count(*) from ${visitProblem} where ${visitProblem.visitId} = ${visit.id}
			${open ? sql`and ${visitProblem.state} in ${OPEN_PROBLEM_STATES}` : sql``})::int`;
	const [list, [total]] = await Promise.all([
		db
			.select({
				visitNo: visit.visitNo,
				visitedOn: visit.visitedOn,
				enterpriseName: enterprise.name,
				uscc: enterprise.uscc,
				campaignCode: campaign.code,
				team,
				problems: problems(false),
				openProblems: problems(true)
			})
			.from(visit)
			.innerJoin(enterprise, eq(enterprise.id, visit.enterpriseId))
			.leftJoin(campaign, eq(campaign.id, visit.campaignId))
			.where(w)
			.orderBy(desc(visit.visitedOn), desc(visit.visitNo))
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db
			.select({ n: count() })
			.from(visit)
			.innerJoin(enterprise, eq(enterprise.id, visit.enterpriseId))
			.leftJoin(campaign, eq(campaign.id, visit.campaignId))
			.where(w)
	]);
	return { rows: list, total: total?.n ?? 0 };
}

export interface VisitView {
	visitNo: string;
	visitedOn: string;
	campaign: { code: string; nameZh: string; nameEn: string; state: string } | null;
	enterprise: {
		uscc: string;
		name: string;
		address: string;
		township: string;
		contactName: string;
		contactPhone: string;
	};
	contactCardNo: string | null;
	gaveInstructions: boolean;
	gaveHandbook: boolean;
	investorCard: boolean | null;
	notes: string;
	members: { name: string; role: 'supervisor' | 'volunteer' }[];
	breaches: { code: string; nameZh: string; nameEn: string }[];
	problems: {
		problemNo: string;
		description: string;
		category: string;
		scope: string;
		highImpact: boolean;
		state: string;
		dueOn: string | null;
		departments: { code: string; nameZh: string; nameEn: string }[];
	}[];
	/** On-site appraisals the field console took on this visit. */
	appraisals: number;
	recordedBy: string | null;
	createdAt: Date;
}

/** One visit as its page shows it to `p`. */
export async function getVisit(db: Executor, p: VisitReader, visitNo: string): Promise<VisitView> {
	mustView(p);
	const [v] = await db
		.select({
			id: visit.id,
			visitNo: visit.visitNo,
			visitedOn: visit.visitedOn,
			campaignCode: campaign.code,
			campaignNameZh: campaign.nameZh,
			campaignNameEn: campaign.nameEn,
			campaignState: campaign.state,
			uscc: enterprise.uscc,
			name: enterprise.name,
			address: enterprise.address,
			township: enterprise.township,
			contactName: enterprise.contactName,
			contactPhone: enterprise.contactPhone,
			contactCardNo: visit.contactCardNo,
			gaveInstructions: visit.gaveInstructions,
			gaveHandbook: visit.gaveHandbook,
			investorCard: visit.investorCard,
			notes: visit.notes,
			recordedBy: user.displayName,
			createdAt: visit.createdAt
		})
		.from(visit)
		.innerJoin(enterprise, eq(enterprise.id, visit.enterpriseId))
		.leftJoin(campaign, eq(campaign.id, visit.campaignId))
		.leftJoin(user, eq(user.id, visit.createdBy))
		.where(eq(visit.visitNo, visitNo));
	if (!v) throw new DomainError('visit_not_found');
	const departmentOf = {
		code: department.code,
		nameZh: department.nameZh,
		nameEn: department.nameEn
	};
	const [members, breaches, problems, [appraisals]] = await Promise.all([
		db
			.select({ name: visitMember.name, role: visitMember.role })
			.from(visitMember)
			.where(eq(visitMember.visitId, v.id))
			.orderBy(asc(visitMember.position)),
		db
			.select(departmentOf)
			.from(visitInvestorBreach)
			.innerJoin(department, eq(department.id, visitInvestorBreach.departmentId))
			.where(eq(visitInvestorBreach.visitId, v.id))
			.orderBy(asc(department.code)),
		db
			.select({
				problemNo: visitProblem.problemNo,
				description: visitProblem.description,
				category: visitProblem.category,
				scope: visitProblem.scope,
				highImpact: visitProblem.highImpact,
				state: visitProblem.state,
				dueOn: visitProblem.dueOn,
				departments: sql<VisitView['problems'][number]['departments']>`coalesce((
					select json_agg(json_build_object('code', d.code, 'nameZh', d.name_zh, 'nameEn', d.name_en)
						order by d.code)
					from ${visitProblemDepartment} pd join ${department} d on d.id = pd.department_id
					where pd.problem_id = visit_problem.id and pd.involved), '[]'::json)`
			})
			.from(visitProblem)
			.where(eq(visitProblem.visitId, v.id))
			.orderBy(asc(visitProblem.problemNo)),
		db.select({ n: count() }).from(surveyResponse).where(eq(surveyResponse.visitId, v.visitNo))
	]);
	const whole = seesContacts(p);
	return {
		visitNo: v.visitNo,
		visitedOn: v.visitedOn,
		campaign: v.campaignCode
			? {
					code: v.campaignCode,
					nameZh: v.campaignNameZh ?? '',
					nameEn: v.campaignNameEn ?? '',
					state: v.campaignState ?? ''
				}
			: null,
		enterprise: {
			uscc: v.uscc,
			name: v.name,
			address: v.address,
			township: v.township,
			contactName: whole ? v.contactName : maskName(v.contactName),
			contactPhone: whole ? v.contactPhone : maskPhone(v.contactPhone)
		},
		contactCardNo: v.contactCardNo,
		gaveInstructions: v.gaveInstructions,
		gaveHandbook: v.gaveHandbook,
		investorCard: v.investorCard,
		notes: whole ? v.notes : maskPersonalData(v.notes),
		members,
		breaches,
		problems: problems.map((r) => ({
			...r,
			description: whole ? r.description : maskPersonalData(r.description),
			departments: typeof r.departments === 'string' ? JSON.parse(r.departments) : r.departments
		})),
		appraisals: appraisals?.n ?? 0,
		recordedBy: v.recordedBy,
		createdAt: v.createdAt
	};
}

/** What the visit form offers: the enterprise-visit campaigns under way, and a campaign's sample. */
export async function visitFormOptions(db: Executor, campaignCode: string | null) {
	const campaigns = await db
		.select({
			code: campaign.code,
			nameZh: campaign.nameZh,
			nameEn: campaign.nameEn,
			id: campaign.id
		})
		.from(campaign)
		.where(and(eq(campaign.kind, 'enterprise_visit'), eq(campaign.state, 'active')))
		.orderBy(desc(campaign.year), asc(campaign.code));
	const chosen = campaigns.find((c) => c.code === campaignCode) ?? null;
	const sample = chosen ? await sampleEnterprises(db, chosen.id) : [];
	return {
		campaigns: campaigns.map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn })),
		campaign: chosen?.code ?? null,
		sample
	};
}

// --- The visits still to make --------------------------------------------------------------------

export interface VisitWork {
	code: string;
	nameZh: string;
	nameEn: string;
	closesOn: string | null;
	/** The sample's enterprises assigned to the reader (every one, for an admin). */
	assigned: number;
	/** Of those, the ones with a visit recorded for the campaign. */
	visited: number;
	/** The first ones not yet visited, in draw order. */
	next: { position: number; name: string; township: string }[];
}

/**
 * The visits `p` still has to make in active enterprise-visit campaigns: the sample units
 * assigned to a supervisor (any unit, for an admin) without a visit to that enterprise recorded
 * for the campaign, counted in SQL; campaigns closing soonest first, at most `campaigns`.
 */
export async function visitWork(
	db: Executor,
	p: Pick<Principal, 'role' | 'id'>,
	opts: { head: number; campaigns: number }
): Promise<VisitWork[]> {
	if (!hasRole(p.role, ROLES.manageVisits)) return [];
	const mine = p.role === 'admin' ? sql`true` : sql`su.assigned_to = ${p.id ?? -1}::int`;
	const found = await rows<{
		code: string;
		name_zh: string;
		name_en: string;
		closes_on: string | null;
		assigned: number;
		visited: number;
		next: { position: number; name: string; township: string }[];
	}>(
		db,
		sql`with u as (
				select su.campaign_id, su.position, su.name, su.township,
					exists (select 1 from visit v where v.campaign_id = su.campaign_id
						and v.enterprise_id = su.enterprise_id) as visited
				from sample_unit su join campaign c on c.id = su.campaign_id
				where c.state = 'active' and c.kind = 'enterprise_visit' and ${mine})
			select c.code, c.name_zh, c.name_en, to_char(c.closes_on, 'YYYY-MM-DD') as closes_on,
				count(*)::int as assigned, (count(*) filter (where u.visited))::int as visited,
				coalesce((select jsonb_agg(jsonb_build_object('position', n.position, 'name', n.name,
						'township', n.township) order by n.position)
					from (select * from u n where n.campaign_id = c.id and not n.visited
						order by n.position limit ${opts.head}::int) n), '[]'::jsonb) as next
			from u join campaign c on c.id = u.campaign_id
			group by c.id
			order by c.closes_on asc nulls last, c.code
			limit ${opts.campaigns}::int`
	);
	return found.map((c) => ({
		code: c.code,
		nameZh: c.name_zh,
		nameEn: c.name_en,
		closesOn: c.closes_on,
		assigned: Number(c.assigned),
		visited: Number(c.visited),
		next: typeof c.next === 'string' ? JSON.parse(c.next) : c.next
	}));
}
