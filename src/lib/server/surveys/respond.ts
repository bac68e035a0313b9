// Answering from an invitation (the respondent's page, and `POST /api/v1/responses` with an
// `invitation_token`): the invitation is checked (throttled, and alike for every kind of wrong
// token), then the response goes through the one `submitResponse`, and the invitation records
// which departments it answered about — once each. Retries of the same response (same key) get
// the stored response back; another response about a department already answered is refused.
import { eq, inArray } from 'drizzle-orm';
import type { CampaignTargets } from '$lib/domain/campaigns';
import type { DepartmentCategory } from '$lib/domain/departments';
import type { QuestionKind } from '$lib/domain/questionnaires';
import { formatDateTime } from '$lib/domain/time';
import { DomainError } from '$lib/errors';
import { rows, type Executor } from '$lib/server/db';
import { department, invitation, invitationAnswer, surveyResponse } from '$lib/server/db/schema';
import { targetDepartmentsQuery } from './campaigns';
import { questionsOf } from './questionnaires';
import { resolveInvitation, type ResolvedInvitation } from './invitations';
import { getResponse, submitResponse, type StoredResponse } from './responses';

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

export interface RespondentForm {
	invitation: ResolvedInvitation;
	questions: RespondentQuestion[];
	/** The campaign's target departments this invitation has not answered about yet. */
	open: RespondentDepartment[];
	/** Those it has. */
	answered: string[];
}

/** The invitation of a token, or the refusal as a DomainError (404 alike, or 429 throttled). */
async function invited(db: Executor, token: string, address: string, now?: Date) {
	const r = await resolveInvitation(db, token, { address, now });
	if (!r.ok)
		throw r.retryAfterSeconds > 0
			? new DomainError('invitation_throttled', { params: { seconds: r.retryAfterSeconds } })
			: new DomainError('invitation_invalid');
	return r;
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

/** What the respondent's page shows for a token. */
export async function respondentForm(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date }
): Promise<RespondentForm> {
	const inv = await invited(db, token, opts.address, opts.now);
	const c = inv.campaign;
	const { questions, departments: targets } = await questionsAndTargets(db, c);
	const answered = new Set(inv.answered.map((a) => a.code));
	return {
		invitation: inv,
		questions,
		open: targets.filter((d) => !answered.has(d.code)),
		answered: [...answered]
	};
}

/**
 * Stores a response from an invitation. `body` is a response as the API takes it (the page
 * builds one: channel online, submitted now); its campaign must be the invitation's and its
 * departments among the campaign's targets.
 */
export async function answerInvitation(
	db: Executor,
	token: string,
	body: Record<string, unknown>,
	opts: { address: string; now?: Date }
): Promise<{ created: boolean; response: StoredResponse }> {
	const inv = await invited(db, token, opts.address, opts.now);
	const c = inv.campaign;
	if (body.campaign_code !== undefined && body.campaign_code !== c.code)
		throw new DomainError('invitation_invalid');
	const full = {
		channel: 'online',
		submitted_at: formatDateTime(opts.now ?? new Date()),
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
		// One answer at a time per invitation: two tabs, or a double click, wait for each other.
		await tx
			.select({ id: invitation.id })
			.from(invitation)
			.where(eq(invitation.id, inv.invitation.id))
			.for('update');
		const answered = await tx
			.select({ code: department.code, key: surveyResponse.responseKey })
			.from(invitationAnswer)
			.innerJoin(department, eq(department.id, invitationAnswer.departmentId))
			.innerJoin(surveyResponse, eq(surveyResponse.id, invitationAnswer.responseId))
			.where(eq(invitationAnswer.invitationId, inv.invitation.id));
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
		const result = await submitResponse(tx, full, { enterpriseId: inv.unit.enterpriseId });
		const ids = await tx
			.select({ id: department.id })
			.from(department)
			.where(inArray(department.code, codes));
		if (ids.length > 0)
			await tx
				.insert(invitationAnswer)
				.values(
					ids.map((d) => ({
						invitationId: inv.invitation.id,
						departmentId: d.id,
						responseId: result.response.id
					}))
				)
				.onConflictDoNothing();
		return result;
	});
}
