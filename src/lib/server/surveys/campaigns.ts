// Campaigns (测评活动): a year's enterprise visits, public and online evaluations, each with its
// questionnaire and its weight in the appraisal score (scoring.md §2.4). Creation is audited.
import { asc, count, desc, eq, sql } from 'drizzle-orm';
import type { CampaignKind, CreateCampaignInput } from '$lib/schemas/campaigns';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import type { Executor } from '$lib/server/db';
import { campaign, questionnaire, type Campaign } from '$lib/server/db/schema';

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
function auditView(c: Campaign, questionnaireRef: string) {
	return {
		code: c.code,
		year: c.year,
		kind: c.kind,
		questionnaire: questionnaireRef,
		weight: c.weight,
		nameZh: c.nameZh,
		nameEn: c.nameEn
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
				createdBy
			})
			.onConflictDoNothing({ target: campaign.code })
			.returning();
		if (!row) throw new DomainError('campaign_code_taken', { field: 'code' });
		await audit.record(tx, actor, {
			action: 'campaign.create',
			entity: 'campaign',
			entityId: row.code,
			changes: audit.diff(null, auditView(row, `${q.code}@${q.version}`))
		});
		return { ...row, questionnaireCode: q.code, questionnaireVersion: q.version };
	});
}
