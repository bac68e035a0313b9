// Answering from an invitation (the respondent's page, and `POST /api/v1/responses` with an
// `invitation_token`) or from a campaign's open link (`/o/TOKEN`): one flow for both. The token
// is checked (throttled, and alike for every kind of wrong token), then the response goes
// through the one `submitResponse`, and the source records which departments it answered
// about — once each (an invitation; an open link per browser). Retries of the same response
// (same key) get the stored response back; another response about a department already
// answered is refused.
import { and, eq } from 'drizzle-orm';
import type { CampaignTargets } from '$lib/domain/campaigns';
import type { DepartmentCategory } from '$lib/domain/departments';
import type { QuestionKind } from '$lib/domain/questionnaires';
import { formatDateTime } from '$lib/domain/time';
import { DomainError } from '$lib/errors';
import { rows, type Executor } from '$lib/server/db';
import { department, invitationAnswer, openLinkAnswer } from '$lib/server/db/schema';
import { targetDepartmentsQuery } from './campaigns';
import { questionsOf } from './questionnaires';
import { resolveInvitation, type RefusedInvitation, type ResolvedInvitation } from './invitations';
import { hashBrowser, resolveOpenLink } from './open-links';
import { cached } from './reference-cache';
import { hasSqlState, submitResponse, type Provenance, type StoredResponse } from './responses';

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
	/** Who answers, and the claim that lets the source answer once per department. */
	provenance: Provenance;
	/** The codes of the departments answered from here, as read when the source was resolved. */
	known?: string[];
	/** The codes of the departments answered from here, read now. */
	answered(db: Executor): Promise<string[]>;
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
		provenance: {
			enterpriseId: inv.unit.enterpriseId,
			claim: { kind: 'invitation', invitationId: id }
		},
		known: inv.answered.map((a) => a.code),
		answered: async (tx) =>
			(
				await tx
					.select({ code: department.code })
					.from(invitationAnswer)
					.innerJoin(department, eq(department.id, invitationAnswer.departmentId))
					.where(eq(invitationAnswer.invitationId, id))
			).map((a) => a.code)
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
		provenance: { unverified: true, claim: { kind: 'open_link', campaignId, browserHash } },
		answered: async (tx) =>
			(
				await tx
					.select({ code: department.code })
					.from(openLinkAnswer)
					.innerJoin(department, eq(department.id, openLinkAnswer.departmentId))
					.where(
						and(
							eq(openLinkAnswer.campaignId, campaignId),
							eq(openLinkAnswer.browserHash, browserHash)
						)
					)
			).map((a) => a.code)
	};
}

type TargetedCampaign = {
	id: number;
	year: number;
	targets: CampaignTargets;
	questionnaireId: number;
};

/** A campaign's target departments, by code (through this process's reference cache). */
const targetsOf = (db: Executor, c: TargetedCampaign) =>
	cached(db, 'targets', `${c.id}:${c.year}:${c.targets}`, async () =>
		(
			await rows<{ code: string; name_zh: string; name_en: string; category: DepartmentCategory }>(
				db,
				targetDepartmentsQuery(c)
			)
		).map((d): RespondentDepartment => ({
			code: d.code,
			nameZh: d.name_zh,
			nameEn: d.name_en,
			category: d.category
		}))
	);

/** A questionnaire's questions as a form shows them (through the reference cache). */
const formQuestions = (db: Executor, questionnaireId: number) =>
	cached(db, 'questionnaires', String(questionnaireId), async () =>
		(await questionsOf(db, questionnaireId)).map(
			({ code, kind, textZh, textEn, required, options }): RespondentQuestion => ({
				code,
				kind,
				textZh,
				textEn,
				required,
				options
			})
		)
	);

/**
 * A campaign's questions, in order, and its target departments: what a form of answers to it
 * shows (the respondent's page and the consoles). The arrays are shared (cached): not to be
 * changed.
 */
export async function questionsAndTargets(
	db: Executor,
	c: TargetedCampaign
): Promise<{ questions: RespondentQuestion[]; departments: RespondentDepartment[] }> {
	const [questions, departments] = await Promise.all([
		formQuestions(db, c.questionnaireId),
		targetsOf(db, c)
	]);
	return { questions, departments };
}

/** What the respondent's page shows for a source. */
async function formOf(db: Executor, source: Source): Promise<RespondentForm> {
	const c = source.campaign;
	const [{ questions, departments: targets }, done] = await Promise.all([
		questionsAndTargets(db, c),
		source.known ?? source.answered(db)
	]);
	const answered = new Set(done);
	return {
		campaign: c,
		respondent: source.respondent,
		questions,
		open: targets.filter((d) => !answered.has(d.code)),
		answered: [...answered].sort()
	};
}

/**
 * Stores a response from a source, in one statement with its claim (see `Provenance.claim`).
 * `body` is a response as the API takes it (the page builds one: channel online, submitted now);
 * its campaign must be the source's and its departments among the campaign's targets.
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
	const targets = new Set((await targetsOf(db, c)).map((d) => d.code));
	const outside = codes.find((code) => !targets.has(code));
	if (outside !== undefined)
		throw new DomainError('invitation_department', {
			params: { code: outside },
			field: 'department_code'
		});
	try {
		return await submitResponse(db, full, source.provenance);
	} catch (e) {
		// Its claim on a department met an earlier answer's (which may have committed meanwhile).
		if (!hasSqlState(e, '23505')) throw e;
		const answered = await source.answered(db);
		const earlier = codes.find((code) => answered.includes(code));
		if (earlier === undefined) throw e;
		throw new DomainError('invitation_answered', { params: { code: earlier } });
	}
}

/** A source resolved once, for a page's load or its action. */
export interface Responder {
	/** What the respondent's page shows. */
	form(): Promise<RespondentForm>;
	/** What the page's check needs: the questions, and every target department's code. */
	checks(): Promise<{ questions: RespondentQuestion[]; targets: string[] }>;
	/** Stores a response (see `answerFrom`). */
	answer(
		body: Record<string, unknown>,
		now?: Date
	): Promise<{ created: boolean; response: StoredResponse }>;
}

function responder(db: Executor, source: Source): Responder {
	return {
		form: () => formOf(db, source),
		checks: async () => {
			const { questions, departments } = await questionsAndTargets(db, source.campaign);
			return { questions, targets: departments.map((d) => d.code) };
		},
		answer: (body, now) => answerFrom(db, source, body, now)
	};
}

/** An invitation's token, resolved (refused with `invitation_invalid` or `_throttled`). */
export async function invitationResponder(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date }
): Promise<Responder> {
	return responder(db, await invitationSource(db, token, opts));
}

/** An open link's token in the browser `browserId` (its cookie), resolved. */
export async function openLinkResponder(
	db: Executor,
	token: string,
	browserId: string,
	opts: { address: string; now?: Date }
): Promise<Responder> {
	return responder(db, await openLinkSource(db, token, browserId, opts));
}

/** What the respondent's page shows for an invitation's token. */
export async function respondentForm(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date }
): Promise<RespondentForm> {
	return (await invitationResponder(db, token, opts)).form();
}

/** Stores a response from an invitation (see `answerFrom`). */
export async function answerInvitation(
	db: Executor,
	token: string,
	body: Record<string, unknown>,
	opts: { address: string; now?: Date }
): Promise<{ created: boolean; response: StoredResponse }> {
	return (await invitationResponder(db, token, opts)).answer(body, opts.now);
}

/** What the open link's page shows to the browser `browserId` (its cookie). */
export async function openLinkForm(
	db: Executor,
	token: string,
	browserId: string,
	opts: { address: string; now?: Date }
): Promise<RespondentForm> {
	return (await openLinkResponder(db, token, browserId, opts)).form();
}

/** Stores an unverified response through an open link, once per browser and department. */
export async function answerOpenLink(
	db: Executor,
	token: string,
	browserId: string,
	body: Record<string, unknown>,
	opts: { address: string; now?: Date }
): Promise<{ created: boolean; response: StoredResponse }> {
	return (await openLinkResponder(db, token, browserId, opts)).answer(body, opts.now);
}
