// Answering from an invitation (the respondent's page, and `POST /api/v1/responses` with an
// `invitation_token`) or from a campaign's open link (`/o/TOKEN`): one flow for both. The token
// is checked (throttled, and alike for every kind of wrong token), then the response goes
// through the one `submitResponse`, and the source records which departments it answered
// about — once each (an invitation; an open link per browser). Retries of the same response
// (same key) get the stored response back; another response about a department already
// answered is refused.
import { and, eq, inArray } from 'drizzle-orm';
import type { CampaignTargets } from '$lib/domain/campaigns';
import type { DepartmentCategory } from '$lib/domain/departments';
import type { QuestionKind } from '$lib/domain/questionnaires';
import { formatDateTime } from '$lib/domain/time';
import { DomainError } from '$lib/errors';
import { rows, type Executor } from '$lib/server/db';
import {
	department,
	invitation,
	invitationAnswer,
	openLinkAnswer,
	surveyResponse
} from '$lib/server/db/schema';
import { targetDepartmentsQuery } from './campaigns';
import { questionsOf } from './questionnaires';
import { resolveInvitation, type RefusedInvitation, type ResolvedInvitation } from './invitations';
import { hashBrowser, resolveOpenLink } from './open-links';
import { getResponse, submitResponse, type Provenance, type StoredResponse } from './responses';

export interface RespondentQuestion {
	code: string;
	kind: QuestionKind;
	textZh: string;
	textEn: string;
	required: boolean;
	/** A choice question's options, in order. */
	options: { code: string; textZh: string; textEn: string }[];
}

export interface RespondentDepartment {
	code: string;
	nameZh: string;
	nameEn: string;
	category: DepartmentCategory;
}

type RespondentCampaign = ResolvedInvitation['campaign'];

export interface RespondentForm {
	campaign: RespondentCampaign;
	/** The invited enterprise's name; null for an open link (anyone). */
	respondent: string | null;
	questions: RespondentQuestion[];
	/** The campaign's target departments not answered from here yet. */
	open: RespondentDepartment[];
	/** Those that have been. */
	answered: string[];
}

/** Where a respondent answers from: a personal invitation, or an open link in one browser. */
interface Source {
	campaign: RespondentCampaign;
	respondent: string | null;
	provenance: Provenance;
	/** The departments answered from here, with the key of the response that did. */
	answered(db: Executor): Promise<{ code: string; key: string }[]>;
	/** First in the answer's transaction: answers from the same source take turns. */
	lock(tx: Executor): Promise<void>;
	/** Records the departments a response answered; the number of them not recorded before. */
	record(tx: Executor, responseId: number, departmentIds: number[]): Promise<number>;
}

/** The refusal of a wrong token as a DomainError (404 alike, or 429 throttled). */
function accepted<T>(r: T | RefusedInvitation): T {
	if ((r as RefusedInvitation).ok === false) {
		const wait = (r as RefusedInvitation).retryAfterSeconds;
		throw wait > 0
			? new DomainError('invitation_throttled', { params: { seconds: wait } })
			: new DomainError('invitation_invalid');
	}
	return r as T;
}

const answeredColumns = { code: department.code, key: surveyResponse.responseKey };

async function invitationSource(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date }
): Promise<Source> {
	const inv = accepted(await resolveInvitation(db, token, opts));
	const id = inv.invitation.id;
	return {
		campaign: inv.campaign,
		respondent: inv.unit.name,
		provenance: { enterpriseId: inv.unit.enterpriseId },
		answered: (tx) =>
			tx
				.select(answeredColumns)
				.from(invitationAnswer)
				.innerJoin(department, eq(department.id, invitationAnswer.departmentId))
				.innerJoin(surveyResponse, eq(surveyResponse.id, invitationAnswer.responseId))
				.where(eq(invitationAnswer.invitationId, id)),
		// Two tabs, or a double click, wait for each other.
		lock: async (tx) => {
			await tx
				.select({ id: invitation.id })
				.from(invitation)
				.where(eq(invitation.id, id))
				.for('update');
		},
		record: async (tx, responseId, departmentIds) =>
			(
				await tx
					.insert(invitationAnswer)
					.values(departmentIds.map((d) => ({ invitationId: id, departmentId: d, responseId })))
					.onConflictDoNothing()
					.returning({ d: invitationAnswer.departmentId })
			).length
	};
}

async function openLinkSource(
	db: Executor,
	token: string,
	browserId: string,
	opts: { address: string; now?: Date }
): Promise<Source> {
	const link = accepted(await resolveOpenLink(db, token, opts));
	const campaignId = link.campaign.id;
	const browserHash = hashBrowser(browserId);
	return {
		campaign: link.campaign,
		respondent: null,
		provenance: { unverified: true },
		answered: (tx) =>
			tx
				.select(answeredColumns)
				.from(openLinkAnswer)
				.innerJoin(department, eq(department.id, openLinkAnswer.departmentId))
				.innerJoin(surveyResponse, eq(surveyResponse.id, openLinkAnswer.responseId))
				.where(
					and(
						eq(openLinkAnswer.campaignId, campaignId),
						eq(openLinkAnswer.browserHash, browserHash)
					)
				),
		// Nothing to lock per browser: two answers at once about one department collide on
		// open_link_answer's key, and the later one is refused (see `record`).
		lock: async () => {},
		record: async (tx, responseId, departmentIds) =>
			(
				await tx
					.insert(openLinkAnswer)
					.values(
						departmentIds.map((d) => ({ campaignId, browserHash, departmentId: d, responseId }))
					)
					.onConflictDoNothing()
					.returning({ d: openLinkAnswer.departmentId })
			).length
	};
}

/**
 * A campaign's questions, in order, and its target departments: what a form of answers to it
 * shows (the respondent's page and the consoles).
 */
export async function questionsAndTargets(
	db: Executor,
	c: { id: number; year: number; targets: CampaignTargets; questionnaireId: number }
): Promise<{ questions: RespondentQuestion[]; departments: RespondentDepartment[] }> {
	const [questions, departments] = await Promise.all([
		questionsOf(db, c.questionnaireId),
		rows<{ code: string; name_zh: string; name_en: string; category: DepartmentCategory }>(
			db,
			targetDepartmentsQuery(c)
		)
	]);
	return {
		questions: questions.map(({ code, kind, textZh, textEn, required, options }) => ({
			code,
			kind,
			textZh,
			textEn,
			required,
			options
		})),
		departments: departments.map((d) => ({
			code: d.code,
			nameZh: d.name_zh,
			nameEn: d.name_en,
			category: d.category
		}))
	};
}

/** What the respondent's page shows for a source. */
async function formOf(db: Executor, source: Source): Promise<RespondentForm> {
	const c = source.campaign;
	const [{ questions, departments: targets }, done] = await Promise.all([
		questionsAndTargets(db, c),
		source.answered(db)
	]);
	const answered = new Set(done.map((a) => a.code));
	return {
		campaign: c,
		respondent: source.respondent,
		questions,
		open: targets.filter((d) => !answered.has(d.code)),
		answered: [...answered].sort()
	};
}

/**
 * Stores a response from a source. `body` is a response as the API takes it (the page builds
 * one: channel online, submitted now); its campaign must be the source's and its departments
 * among the campaign's targets.
 */
async function answerFrom(
	db: Executor,
	source: Source,
	body: Record<string, unknown>,
	now: Date = new Date()
): Promise<{ created: boolean; response: StoredResponse }> {
	const c = source.campaign;
	if (body.campaign_code !== undefined && body.campaign_code !== c.code)
		throw new DomainError('invitation_invalid');
	const full = {
		channel: 'online',
		submitted_at: formatDateTime(now),
		...body,
		campaign_code: c.code
	};
	// The departments it answers about (what else the body holds is submitResponse's to check).
	const codes = [
		...new Set(
			(Array.isArray(body.answers) ? body.answers : []).flatMap((a: unknown) =>
				a &&
				typeof a === 'object' &&
				typeof (a as Record<string, unknown>).department_code === 'string'
					? [(a as { department_code: string }).department_code]
					: []
			)
		)
	];
	return db.transaction(async (tx) => {
		await source.lock(tx);
		const answered = await source.answered(tx);
		// The same response again (a retry whose answer was lost): what is stored.
		const key = body.response_key;
		if (typeof key === 'string' && answered.some((a) => a.key === key)) {
			const stored = await getResponse(tx, key);
			if (stored) return { created: false, response: stored };
		}
		const earlier = answered.find((a) => codes.includes(a.code));
		if (earlier) throw new DomainError('invitation_answered', { params: { code: earlier.code } });
		const targets = new Set(
			(await rows<{ code: string }>(tx, targetDepartmentsQuery(c))).map((d) => d.code)
		);
		const outside = codes.find((code) => !targets.has(code));
		if (outside !== undefined)
			throw new DomainError('invitation_department', {
				params: { code: outside },
				field: 'department_code'
			});
		const result = await submitResponse(tx, full, source.provenance);
		const ids = await tx
			.select({ id: department.id, code: department.code })
			.from(department)
			.where(inArray(department.code, codes));
		if (ids.length > 0) {
			const recorded = await source.record(
				tx,
				result.response.id,
				ids.map((d) => d.id)
			);
			// Another answer about one of them got in first (its transaction committed meanwhile).
			if (recorded < ids.length)
				throw new DomainError('invitation_answered', { params: { code: ids[0]!.code } });
		}
		return result;
	});
}

/** What the respondent's page shows for an invitation's token. */
export async function respondentForm(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date }
): Promise<RespondentForm> {
	return formOf(db, await invitationSource(db, token, opts));
}

/** Stores a response from an invitation (see `answerFrom`). */
export async function answerInvitation(
	db: Executor,
	token: string,
	body: Record<string, unknown>,
	opts: { address: string; now?: Date }
): Promise<{ created: boolean; response: StoredResponse }> {
	return answerFrom(db, await invitationSource(db, token, opts), body, opts.now);
}

/** What the open link's page shows to the browser `browserId` (its cookie). */
export async function openLinkForm(
	db: Executor,
	token: string,
	browserId: string,
	opts: { address: string; now?: Date }
): Promise<RespondentForm> {
	return formOf(db, await openLinkSource(db, token, browserId, opts));
}

/** Stores an unverified response through an open link, once per browser and department. */
export async function answerOpenLink(
	db: Executor,
	token: string,
	browserId: string,
	body: Record<string, unknown>,
	opts: { address: string; now?: Date }
): Promise<{ created: boolean; response: StoredResponse }> {
	return answerFrom(db, await openLinkSource(db, token, browserId, opts), body, opts.now);
}
