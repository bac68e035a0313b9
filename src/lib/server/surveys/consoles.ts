// The supervisors' consoles (issue 8): phone interviews, on-site appraisals on a tablet during a
// visit, and paper questionnaires keyed in. Each takes responses only while its campaign is
// active and lists the console's channel; the response goes through the one `submitResponse`
// with who took it (and the visit, on site). Phone calls themselves are in ./phone.
import { asc, eq } from 'drizzle-orm';
import type { CampaignState, CampaignTargets } from '$lib/domain/campaigns';
import { formatDateTime } from '$lib/domain/time';
import { DomainError } from '$lib/errors';
import type { RespondentAnswers } from '$lib/domain/respondent-form';
import type { Principal } from '$lib/server/auth/guard';
import type { Executor } from '$lib/server/db';
import { campaign, enterprise, questionnaire, sampleUnit } from '$lib/server/db/schema';
import { questionsAndTargets, type RespondentDepartment, type RespondentQuestion } from './respond';
import { getResponse, submitResponse, type Provenance, type StoredResponse } from './responses';

export type ConsoleChannel = 'phone' | 'field' | 'paper';

export interface ConsoleCampaign {
	id: number;
	code: string;
	year: number;
	nameZh: string;
	nameEn: string;
	state: CampaignState;
	channels: string[];
	questionnaireId: number;
	targets: CampaignTargets;
	/** The questionnaire's title: the phone script opens with it. */
	titleZh: string;
	titleEn: string;
}

/**
 * The campaign a console takes `channel` responses for: refused unless it exists (for a reader
 * who may run consoles), is active, and allows the channel.
 */
export async function consoleCampaign(
	db: Executor,
	code: string,
	channel: ConsoleChannel
): Promise<ConsoleCampaign> {
	const [c] = await db
		.select({
			id: campaign.id,
			code: campaign.code,
			year: campaign.year,
			nameZh: campaign.nameZh,
			nameEn: campaign.nameEn,
			state: campaign.state,
			channels: campaign.channels,
			questionnaireId: campaign.questionnaireId,
			targets: campaign.targets,
			titleZh: questionnaire.titleZh,
			titleEn: questionnaire.titleEn
		})
		.from(campaign)
		.innerJoin(questionnaire, eq(questionnaire.id, campaign.questionnaireId))
		.where(eq(campaign.code, code));
	if (!c) throw new DomainError('sample_campaign_not_found');
	if (c.state !== 'active') throw new DomainError('console_not_active');
	if (!c.channels.includes(channel))
		throw new DomainError('console_channel', { params: { channel } });
	return c;
}

export interface ConsoleForm {
	campaign: ConsoleCampaign;
	questions: RespondentQuestion[];
	/** The campaign's target departments, by code. */
	departments: RespondentDepartment[];
}

/** What a console's answer form shows: the campaign's questions and target departments. */
export async function consoleForm(
	db: Executor,
	code: string,
	channel: ConsoleChannel
): Promise<ConsoleForm> {
	const c = await consoleCampaign(db, code, channel);
	return { campaign: c, ...(await questionsAndTargets(db, c)) };
}

/** A response as the consoles' forms give it (`respondentSchema`'s output). */
export type ConsoleAnswers = Pick<RespondentAnswers, 'response_key' | 'answers'>;

/** The API body of a console's response, submitted now. */
export function consoleBody(
	c: { code: string },
	channel: ConsoleChannel,
	input: ConsoleAnswers,
	now: Date
) {
	return {
		response_key: input.response_key,
		campaign_code: c.code,
		channel,
		submitted_at: formatDateTime(now),
		answers: input.answers
	};
}

/**
 * `submitResponse` for a console, whose page sends a response again (the same key) until the
 * server acknowledges it: the time of a response already stored under the key is the time of
 * the one sent again, so that the same answers are the same response and other ones a conflict.
 */
export async function submitOnce(
	db: Executor,
	body: ReturnType<typeof consoleBody>,
	provenance: Provenance
): Promise<{ created: boolean; response: StoredResponse }> {
	const stored = await getResponse(db, body.response_key);
	return submitResponse(
		db,
		stored ? { ...body, submitted_at: stored.submitted_at } : body,
		provenance
	);
}

/** Whether `p` takes responses on a console (ROLES.recordResponses) as a user with an id. */
function interviewerOf(p: Principal): number {
	if ((p.role !== 'admin' && p.role !== 'supervisor') || p.id === null)
		throw new DomainError('sample_reveal_forbidden');
	return p.id;
}

/** The register enterprise of a USCC, or a refusal beside the field. */
export async function enterpriseByUscc(db: Executor, uscc: string) {
	const [e] = await db
		.select({ id: enterprise.id, uscc: enterprise.uscc, name: enterprise.name })
		.from(enterprise)
		.where(eq(enterprise.uscc, uscc));
	if (!e) throw new DomainError('console_enterprise_unknown', { params: { uscc }, field: 'uscc' });
	return e;
}

/** The register enterprises in the campaign's sample, by name: the field console offers them. */
export async function sampleEnterprises(db: Executor, campaignId: number) {
	return db
		.select({ uscc: enterprise.uscc, name: enterprise.name })
		.from(sampleUnit)
		.innerJoin(enterprise, eq(enterprise.id, sampleUnit.enterpriseId))
		.where(eq(sampleUnit.campaignId, campaignId))
		.orderBy(asc(sampleUnit.position))
		.limit(SAMPLE_ENTERPRISES_MAX);
}
export const SAMPLE_ENTERPRISES_MAX = 2000;

/**
 * Stores an on-site appraisal taken on a visit (channel field): the visited enterprise (by USCC,
 * from the register) and the visit's id are kept with the response, and who took it. The same
 * response key again (a tablet resending after a lost connection) stores nothing more.
 */
export async function submitFieldResponse(
	db: Executor,
	p: Principal,
	input: ConsoleAnswers & { campaignCode: string; uscc: string; visitId: string },
	now = new Date()
): Promise<{ created: boolean; response: StoredResponse }> {
	const interviewerId = interviewerOf(p);
	const c = await consoleCampaign(db, input.campaignCode, 'field');
	const e = await enterpriseByUscc(db, input.uscc);
	return submitOnce(db, consoleBody(c, 'field', input, now), {
		interviewerId,
		enterpriseId: e.id,
		visitId: input.visitId
	});
}

/** The response key of a paper form: its number, within its campaign. */
export const paperResponseKey = (campaignCode: string, formNumber: string) =>
	`paper:${campaignCode}:${formNumber}`;

/**
 * Stores a paper questionnaire keyed in (channel paper) under its form number: keying the same
 * sheet twice with the same answers stores it once; with other answers it is refused as a
 * conflict (two sheets with one number, or a typing mistake to look at).
 */
export async function submitPaperResponse(
	db: Executor,
	p: Principal,
	input: ConsoleAnswers & { campaignCode: string },
	now = new Date()
): Promise<{ created: boolean; response: StoredResponse }> {
	const interviewerId = interviewerOf(p);
	const c = await consoleCampaign(db, input.campaignCode, 'paper');
	const key = paperResponseKey(c.code, input.response_key);
	return submitOnce(db, consoleBody(c, 'paper', { ...input, response_key: key }, now), {
		interviewerId
	});
}
