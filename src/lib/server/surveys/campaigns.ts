// Campaigns (测评活动): a year's enterprise visits, public and online evaluations, each with its
// questionnaire and its weight in the appraisal score (scoring.md §2.4). Creation is audited.
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import {
	editable,
	mayLearnOf,
	openProblem,
	transition,
	type CampaignAction,
	type CampaignState,
	type CampaignTargets,
	type ResponseChannel
} from '$lib/domain/campaigns';
import type { DepartmentCategory } from '$lib/domain/departments';
import type { Role } from '$lib/domain/roles';
import type {
	CampaignKind,
	CampaignPlanInput,
	CreateCampaignInput,
	QuotasInput,
	TargetChoice
} from '$lib/schemas/campaigns';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import { rows, type Executor, type Tx } from '$lib/server/db';
import {
	campaign,
	campaignQuota,
	campaignTarget,
	department,
	questionnaire,
	type Campaign
} from '$lib/server/db/schema';
import { participantsQuery } from '$lib/server/evaluation/compute/queries';
import { invalidateCampaigns } from './reference-cache';

export interface QuestionnaireOption {
	id: number;
	code: string;
	version: number;
	titleZh: string;
	titleEn: string;
}

/** Every questionnaire version, newest version of each code first. */
export async function listQuestionnaires(db: Executor): Promise<QuestionnaireOption[]> {
	return db
		.select({
			id: questionnaire.id,
			code: questionnaire.code,
			version: questionnaire.version,
			titleZh: questionnaire.titleZh,
			titleEn: questionnaire.titleEn
		})
		.from(questionnaire)
		.orderBy(asc(questionnaire.code), desc(questionnaire.version));
}

export interface CampaignListRow {
	id: number;
	code: string;
	year: number;
	kind: CampaignKind;
	weight: string;
	nameZh: string;
	nameEn: string;
	questionnaireCode: string;
	questionnaireVersion: number;
	state: CampaignState;
	/** Stored responses that are not voided. */
	responses: number;
}

/** One page of campaigns, newest year first, optionally of one year, with response counts. */
export async function listCampaigns(
	db: Executor,
	opts: { year?: number; page: number; pageSize: number }
): Promise<{ rows: CampaignListRow[]; total: number }> {
	const where = opts.year === undefined ? undefined : eq(campaign.year, opts.year);
	const [rows, [total]] = await Promise.all([
		db
			.select({
				id: campaign.id,
				code: campaign.code,
				year: campaign.year,
				kind: campaign.kind,
				weight: campaign.weight,
				nameZh: campaign.nameZh,
				nameEn: campaign.nameEn,
				questionnaireCode: questionnaire.code,
				questionnaireVersion: questionnaire.version,
				state: campaign.state,
				// Two index counts rather than an anti-join over a campaign's every response.
				responses: sql<number>`((select count(*) from survey_response r
						where r.campaign_id = ${campaign.id})
					- (select count(*) from survey_response_void v
						join survey_response r on r.id = v.response_id
						where r.campaign_id = ${campaign.id}))::int`
			})
			.from(campaign)
			.innerJoin(questionnaire, eq(questionnaire.id, campaign.questionnaireId))
			.where(where)
			.orderBy(desc(campaign.year), asc(campaign.code))
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db.select({ n: count() }).from(campaign).where(where)
	]);
	return { rows, total: total?.n ?? 0 };
}

/** The years that have campaigns, newest first (for the year filter). */
export async function campaignYears(db: Executor): Promise<number[]> {
	const rows = await db
		.selectDistinct({ year: campaign.year })
		.from(campaign)
		.orderBy(desc(campaign.year));
	return rows.map((r) => r.year);
}

export async function getCampaignByCode(db: Executor, code: string): Promise<Campaign | null> {
	const [c] = await db.select().from(campaign).where(eq(campaign.code, code));
	return c ?? null;
}

/** What the audit trail records of a campaign. */
function auditView(c: Campaign, questionnaireRef: string, selected: string[]) {
	return {
		code: c.code,
		year: c.year,
		kind: c.kind,
		questionnaire: questionnaireRef,
		weight: c.weight,
		nameZh: c.nameZh,
		nameEn: c.nameEn,
		state: c.state,
		targets: c.targets,
		...(selected.length > 0 ? { departments: selected.join(';') } : {})
	};
}

/**
 * Creates a campaign on the newest version of the named questionnaire (campaigns keep the
 * version they were made with, so a later version does not change a running campaign).
 */
export async function createCampaign(
	db: Executor,
	input: CreateCampaignInput,
	actor: audit.Actor,
	createdBy: number | null = null
): Promise<Campaign & { questionnaireCode: string; questionnaireVersion: number }> {
	return db.transaction(async (tx) => {
		const [q] = await tx
			.select({ id: questionnaire.id, code: questionnaire.code, version: questionnaire.version })
			.from(questionnaire)
			.where(eq(questionnaire.code, input.questionnaire))
			.orderBy(desc(questionnaire.version))
			.limit(1);
		if (!q)
			throw new DomainError('questionnaire_not_found', {
				params: { code: input.questionnaire },
				field: 'questionnaire'
			});
		// ON CONFLICT rather than a read first: two clerks creating one code cannot both succeed.
		const [row] = await tx
			.insert(campaign)
			.values({
				code: input.code,
				year: input.year,
				kind: input.kind,
				questionnaireId: q.id,
				weight: input.weight,
				nameZh: input.nameZh ?? '',
				nameEn: input.nameEn ?? '',
				targets: input.targets?.targets ?? 'all',
				createdBy
			})
			.onConflictDoNothing({ target: campaign.code })
			.returning();
		if (!row) throw new DomainError('campaign_code_taken', { field: 'code' });
		const selected = input.targets ? await writeTargets(tx, row.id, input.targets) : [];
		await invalidateCampaigns(tx);
		await audit.record(tx, actor, {
			action: 'campaign.create',
			entity: 'campaign',
			entityId: row.code,
			changes: audit.diff(null, auditView(row, `${q.code}@${q.version}`, selected))
		});
		return { ...row, questionnaireCode: q.code, questionnaireVersion: q.version };
	});
}

// --- A campaign's plan and life ----------------------------------------------------------------

/**
 * The departments a campaign asks about: those taking part in its year (active, not exempt,
 * with their category of the year) that its `targets` name — all, one category, or the
 * hand-picked `campaign_target` rows. One definition for the campaign page, its progress and
 * (later) the respondent's choice of departments.
 */
export function targetDepartmentsQuery(c: { id: number; year: number; targets: CampaignTargets }) {
	return sql`select p.id, p.code, p.name_zh, p.name_en, p.category
		from (${participantsQuery(c.year)}) p
		where ${c.targets}::text = 'all' or p.category = ${c.targets}::text
			or (${c.targets}::text = 'selected' and exists (select 1 from campaign_target t
				where t.campaign_id = ${c.id} and t.department_id = p.id))`;
}

/**
 * A campaign's target departments with their quota (their own, else their category's) and the
 * responses about them that are not voided: the campaign page's table and the quota progress.
 */
function departmentProgressQuery(c: { id: number; year: number; targets: CampaignTargets }) {
	return sql`with t as (${targetDepartmentsQuery(c)}),
		counted as (
			select r.department_id, count(*)::int as n from survey_rating r
			where r.campaign_id = ${c.id} and not exists (select 1 from survey_response_void v
				where v.response_id = r.response_id)
			group by r.department_id)
		select t.id, t.code, t.name_zh, t.name_en, t.category,
			coalesce(q.quota, qc.quota) as quota, q.quota as own_quota,
			coalesce(counted.n, 0) as responses
		from t
		left join campaign_quota q on q.campaign_id = ${c.id} and q.department_id = t.id
		left join campaign_quota qc on qc.campaign_id = ${c.id}
			and qc.category::text = t.category
		left join counted on counted.department_id = t.id`;
}

export interface CampaignDepartment {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	category: DepartmentCategory;
	/** Its own quota, else its category's; null when none is set. */
	quota: number | null;
	/** Its own quota, where one is set for it. */
	ownQuota: number | null;
	/** Responses about it that are not voided. */
	responses: number;
}

export interface CampaignDetail {
	campaign: Campaign;
	questionnaire: { code: string; version: number; titleZh: string; titleEn: string };
	/** The target departments with their quota and progress, by code. */
	departments: CampaignDepartment[];
	/** The hand-picked departments' codes (when `targets` is `selected`), by code. */
	selected: string[];
	/** Per-department quotas of a category, where set. */
	categoryQuotas: Partial<Record<DepartmentCategory, number>>;
	/** Responses that are not voided, in all and by channel. */
	responses: { total: number; byChannel: Partial<Record<ResponseChannel, number>> };
	editable: ReturnType<typeof editable>;
}

/**
 * A campaign as its page shows it, or null when there is none with that code or the reader may
 * not learn of it (roles.md: a campaign is unannounced; a department's view of a closed one is
 * its own aggregates, not this page).
 */
export async function campaignDetail(
	db: Executor,
	reader: { role: Role },
	code: string
): Promise<CampaignDetail | null> {
	const [row] = await db
		.select({ c: campaign, q: questionnaire })
		.from(campaign)
		.innerJoin(questionnaire, eq(questionnaire.id, campaign.questionnaireId))
		.where(eq(campaign.code, code));
	if (!row || !mayLearnOf(reader.role, row.c.state) || reader.role === 'liaison') return null;
	const c = row.c;
	const [departments, selected, quotas, channels] = await Promise.all([
		rows<{
			id: number;
			code: string;
			name_zh: string;
			name_en: string;
			category: DepartmentCategory;
			quota: number | null;
			own_quota: number | null;
			responses: number;
		}>(db, sql`select x.* from (${departmentProgressQuery(c)}) x order by x.code`),
		targetCodes(db, c.id),
		db
			.select({ category: campaignQuota.category, quota: campaignQuota.quota })
			.from(campaignQuota)
			.where(and(eq(campaignQuota.campaignId, c.id), sql`${campaignQuota.category} is not null`)),
		rows<{ channel: ResponseChannel; n: number }>(
			db,
			sql`select r.channel, count(*)::int as n from survey_response r
				where r.campaign_id = ${c.id} and not exists (select 1 from survey_response_void v
					where v.response_id = r.id)
				group by r.channel`
		)
	]);
	const byChannel: Partial<Record<ResponseChannel, number>> = {};
	for (const ch of channels) byChannel[ch.channel] = Number(ch.n);
	return {
		campaign: c,
		questionnaire: {
			code: row.q.code,
			version: row.q.version,
			titleZh: row.q.titleZh,
			titleEn: row.q.titleEn
		},
		departments: departments.map((d) => ({
			id: d.id,
			code: d.code,
			nameZh: d.name_zh,
			nameEn: d.name_en,
			category: d.category,
			quota: d.quota === null ? null : Number(d.quota),
			ownQuota: d.own_quota === null ? null : Number(d.own_quota),
			responses: Number(d.responses)
		})),
		selected,
		categoryQuotas: Object.fromEntries(quotas.map((q) => [q.category!, q.quota])),
		responses: { total: channels.reduce((a, ch) => a + Number(ch.n), 0), byChannel },
		editable: editable(c.state)
	};
}

/** The campaign row, locked for a change, or campaign_not_found. */
async function lockCampaign(tx: Tx, code: string): Promise<Campaign> {
	const [c] = await tx.select().from(campaign).where(eq(campaign.code, code)).for('update');
	if (!c) throw new DomainError('campaign_not_found', { params: { code } });
	return c;
}

/** Department ids of these codes, or campaign_target_unknown naming the first unknown one. */
async function departmentIds(tx: Tx, codes: string[], field: string): Promise<Map<string, number>> {
	const found =
		codes.length === 0
			? []
			: await tx
					.select({ id: department.id, code: department.code })
					.from(department)
					.where(inArray(department.code, codes));
	const ids = new Map(found.map((d) => [d.code, d.id]));
	const unknown = codes.find((code) => !ids.has(code));
	if (unknown !== undefined)
		throw new DomainError('campaign_target_unknown', { params: { code: unknown }, field });
	return ids;
}

/** Replaces a campaign's hand-picked departments; their codes, sorted. */
async function writeTargets(tx: Tx, campaignId: number, choice: TargetChoice): Promise<string[]> {
	const codes = choice.targets === 'selected' ? [...new Set(choice.departments)].sort() : [];
	const ids = await departmentIds(tx, codes, 'departments');
	await tx.delete(campaignTarget).where(eq(campaignTarget.campaignId, campaignId));
	if (codes.length > 0)
		await tx
			.insert(campaignTarget)
			.values(codes.map((code) => ({ campaignId, departmentId: ids.get(code)! })));
	return codes;
}

/** The hand-picked departments' codes of a campaign, sorted. */
async function targetCodes(db: Executor, campaignId: number): Promise<string[]> {
	const r = await db
		.select({ code: department.code })
		.from(campaignTarget)
		.innerJoin(department, eq(department.id, campaignTarget.departmentId))
		.where(eq(campaignTarget.campaignId, campaignId))
		.orderBy(asc(department.code));
	return r.map((x) => x.code);
}

function datesProblem(year: number, dates: (string | undefined | null)[], field: string) {
	if (dates.some((d) => d && Number(d.slice(0, 4)) !== year))
		throw new DomainError('campaign_dates_year', { params: { year }, field });
}

const planView = (c: Campaign, selected: string[]) => ({
	nameZh: c.nameZh,
	nameEn: c.nameEn,
	weight: c.weight,
	opensOn: c.opensOn,
	closesOn: c.closesOn,
	channels: c.channels.join(','),
	targets: c.targets,
	departments: selected.join(';')
});

/** Changes a draft's plan: names, weight, dates, channels and targets. Audited. */
export async function updatePlan(
	db: Executor,
	code: string,
	input: CampaignPlanInput,
	actor: audit.Actor
): Promise<Campaign> {
	return db.transaction(async (tx) => {
		const before = await lockCampaign(tx, code);
		if (before.state === 'closed') throw new DomainError('campaign_closed');
		if (!editable(before.state).settings) throw new DomainError('campaign_not_draft');
		datesProblem(before.year, [input.opensOn, input.closesOn], 'closesOn');
		const selectedBefore = await targetCodes(tx, before.id);
		const selected = await writeTargets(tx, before.id, input);
		const [after] = await tx
			.update(campaign)
			.set({
				nameZh: input.nameZh ?? '',
				nameEn: input.nameEn ?? '',
				weight: input.weight,
				opensOn: input.opensOn ?? null,
				closesOn: input.closesOn ?? null,
				channels: input.channels,
				targets: input.targets,
				updatedAt: new Date()
			})
			.where(eq(campaign.id, before.id))
			.returning();
		const changes = audit.diff(planView(before, selectedBefore), planView(after!, selected));
		if (Object.keys(changes).length > 0) await invalidateCampaigns(tx);
		await audit.record(tx, actor, {
			action: 'campaign.update',
			entity: 'campaign',
			entityId: code,
			changes
		});
		return after!;
	});
}

/** Moves the closing date of a draft or running campaign. Audited. */
export async function setClosingDate(
	db: Executor,
	code: string,
	closesOn: string | null,
	actor: audit.Actor
): Promise<Campaign> {
	return db.transaction(async (tx) => {
		const before = await lockCampaign(tx, code);
		if (!editable(before.state).closesOn) throw new DomainError('campaign_closed');
		datesProblem(before.year, [closesOn], 'closesOn');
		if (closesOn && before.opensOn && before.opensOn > closesOn)
			throw new DomainError('campaign_dates', { field: 'closesOn' });
		const [after] = await tx
			.update(campaign)
			.set({ closesOn, updatedAt: new Date() })
			.where(eq(campaign.id, before.id))
			.returning();
		if (before.closesOn !== after!.closesOn) await invalidateCampaigns(tx);
		await audit.record(tx, actor, {
			action: 'campaign.update',
			entity: 'campaign',
			entityId: code,
			changes: audit.diff({ closesOn: before.closesOn }, { closesOn: after!.closesOn })
		});
		return after!;
	});
}

/** Quotas by department code and by category, as text for the audit trail. */
async function quotaView(tx: Tx, campaignId: number): Promise<Record<string, number>> {
	const r = await tx
		.select({ code: department.code, category: campaignQuota.category, quota: campaignQuota.quota })
		.from(campaignQuota)
		.leftJoin(department, eq(department.id, campaignQuota.departmentId))
		.where(eq(campaignQuota.campaignId, campaignId));
	return Object.fromEntries(
		r
			.map((q) => [q.code ?? `category:${q.category}`, q.quota] as const)
			.sort(([a], [b]) => (a < b ? -1 : 1))
	);
}

/** Replaces a campaign's quotas (per department and per category). Audited. */
export async function setQuotas(
	db: Executor,
	code: string,
	input: QuotasInput,
	actor: audit.Actor
): Promise<void> {
	await db.transaction(async (tx) => {
		const c = await lockCampaign(tx, code);
		if (!editable(c.state).quotas) throw new DomainError('campaign_closed');
		const codes = Object.keys(input.departments);
		const ids = await departmentIds(tx, codes, '_form');
		const before = await quotaView(tx, c.id);
		await tx.delete(campaignQuota).where(eq(campaignQuota.campaignId, c.id));
		const values = [
			...codes.map((d) => ({
				campaignId: c.id,
				departmentId: ids.get(d)!,
				quota: input.departments[d]!
			})),
			...Object.entries(input.categories).map(([category, quota]) => ({
				campaignId: c.id,
				category: category as DepartmentCategory,
				quota: quota!
			}))
		];
		if (values.length > 0) await tx.insert(campaignQuota).values(values);
		const changes = audit.diff({ quotas: before }, { quotas: await quotaView(tx, c.id) });
		if (Object.keys(changes).length > 0)
			await audit.record(tx, actor, {
				action: 'campaign.quotas',
				entity: 'campaign',
				entityId: code,
				changes
			});
	});
}

/** Opens a draft (→ active) or closes a running campaign (→ closed). Audited. */
export async function changeState(
	db: Executor,
	code: string,
	action: CampaignAction,
	actor: audit.Actor
): Promise<Campaign> {
	return db.transaction(async (tx) => {
		const before = await lockCampaign(tx, code);
		const next = transition(before.state, action);
		if (!next.ok) throw new DomainError(next.code);
		if (action === 'open') {
			const problem = openProblem({
				targets: before.targets,
				selected: (await targetCodes(tx, before.id)).length
			});
			if (problem) throw new DomainError(problem);
		}
		const now = new Date();
		const [after] = await tx
			.update(campaign)
			.set({
				state: next.state,
				...(action === 'open' ? { openedAt: now } : { closedAt: now }),
				updatedAt: now
			})
			.where(eq(campaign.id, before.id))
			.returning();
		await invalidateCampaigns(tx);
		await audit.record(tx, actor, {
			action: `campaign.${action}`,
			entity: 'campaign',
			entityId: code,
			changes: audit.diff({ state: before.state }, { state: after!.state })
		});
		return after!;
	});
}

/** The departments a campaign of `year` may target (those taking part in that year), by code. */
export async function targetCandidates(
	db: Executor,
	year: number
): Promise<{ code: string; nameZh: string; nameEn: string; category: DepartmentCategory }[]> {
	const r = await rows<{
		code: string;
		name_zh: string;
		name_en: string;
		category: DepartmentCategory;
	}>(db, participantsQuery(year));
	return r.map((d) => ({
		code: d.code,
		nameZh: d.name_zh,
		nameEn: d.name_en,
		category: d.category
	}));
}

export interface QuotaCategoryProgress {
	category: DepartmentCategory;
	/** Target departments of the category, and those with a quota. */
	departments: number;
	withQuota: number;
	/** Departments with a quota whose responses have reached it. */
	reached: number;
	/** The quotas' sum, and the responses counted towards them (each department up to its quota). */
	quota: number;
	counted: number;
}

export interface QuotaProgress {
	code: string;
	kind: CampaignKind;
	nameZh: string;
	nameEn: string;
	closesOn: string | null;
	categories: QuotaCategoryProgress[];
}

/**
 * Progress against quotas of the active campaigns, by department category, for a reader who may
 * learn of running campaigns (none for anyone else): campaigns closing soonest first, at most
 * `campaigns` of them, each counted in SQL.
 */
export async function quotaProgress(
	db: Executor,
	reader: { role: Role },
	opts: { campaigns: number }
): Promise<QuotaProgress[]> {
	if (!mayLearnOf(reader.role, 'active')) return [];
	const active = await db
		.select()
		.from(campaign)
		.where(eq(campaign.state, 'active'))
		.orderBy(sql`${campaign.closesOn} asc nulls last`, asc(campaign.code))
		.limit(opts.campaigns);
	return Promise.all(
		active.map(async (c) => {
			const categories = await rows<{
				category: DepartmentCategory;
				departments: number;
				with_quota: number;
				reached: number;
				quota: number;
				counted: number;
			}>(
				db,
				sql`select x.category, count(*)::int as departments,
						(count(*) filter (where x.quota is not null))::int as with_quota,
						(count(*) filter (where x.responses >= x.quota))::int as reached,
						coalesce(sum(x.quota), 0)::int as quota,
						coalesce(sum(least(x.responses, x.quota)), 0)::int as counted
					from (${departmentProgressQuery(c)}) x
					group by x.category order by x.category`
			);
			return {
				code: c.code,
				kind: c.kind,
				nameZh: c.nameZh,
				nameEn: c.nameEn,
				closesOn: c.closesOn,
				categories: categories.map((r) => ({
					category: r.category,
					departments: Number(r.departments),
					withQuota: Number(r.with_quota),
					reached: Number(r.reached),
					quota: Number(r.quota),
					counted: Number(r.counted)
				}))
			};
		})
	);
}
