// What an enterprise account sees of surveys (roles.md: campaigns "only an invitation addressed
// to it"; survey responses "own submissions"): its invitations to campaigns that are running,
// with the address to answer them, and what it has answered through its invitations — the
// campaign, the department, when. Never anyone else's invitation or answer, nor what it
// answered (the levels): only that it did.
//
// The enterprise is the one linked to the signed-in account in the database, never one named
// by the request. The invitation's address is remade from the secret like the printed card's
// (invitations.ts): the account holder answers on the same page, under the same rules, as
// whoever holds the card.
import { and, desc, eq, sql } from 'drizzle-orm';
import { invitationUrl } from '$lib/domain/invitations';
import type { Principal } from '$lib/server/auth/guard';
import type { Executor } from '$lib/server/db';
import {
	campaign,
	department,
	enterprise,
	invitation,
	invitationAnswer,
	sampleUnit,
	surveyResponse,
	user
} from '$lib/server/db/schema';
import { answeredDepartments, invitationSecret, invitationToken } from './invitations';

export interface AccountInvitation {
	campaignNameZh: string;
	campaignNameEn: string;
	year: number;
	cardNo: string;
	/** Departments it has answered about so far. */
	answered: number;
	url: string;
}

export interface AccountAnswer {
	campaignNameZh: string;
	campaignNameEn: string;
	year: number;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
	answeredAt: Date;
}

export interface EnterpriseSurveys {
	/** The linked enterprise's name, or null when the account is not linked to one. */
	enterprise: string | null;
	invitations: AccountInvitation[];
	answers: AccountAnswer[];
	/** How many answers there are in all (`answers` holds the latest `limit`). */
	answerTotal: number;
}

/** The enterprise linked to a signed-in enterprise account, or null (any other principal). */
async function ownEnterprise(
	db: Executor,
	p: Pick<Principal, 'kind' | 'id' | 'role'>
): Promise<{ id: number; name: string } | null> {
	if (p.kind !== 'user' || p.id === null || p.role !== 'enterprise') return null;
	const [row] = await db
		.select({ id: enterprise.id, name: enterprise.name })
		.from(user)
		.innerJoin(enterprise, eq(enterprise.id, user.enterpriseId))
		.where(and(eq(user.id, p.id), eq(user.role, 'enterprise'), eq(user.disabled, false)));
	return row ?? null;
}

/**
 * The surveys of the signed-in enterprise account's enterprise: its invitations to active
 * campaigns (to answer) and its latest `limit` answers. Empty for an account not linked to an
 * enterprise, and for every other principal.
 */
export async function enterpriseSurveys(
	db: Executor,
	p: Pick<Principal, 'kind' | 'id' | 'role'>,
	opts: { origin: string; limit?: number }
): Promise<EnterpriseSurveys> {
	const own = await ownEnterprise(db, p);
	if (!own) return { enterprise: null, invitations: [], answers: [], answerTotal: 0 };
	const mine = eq(sampleUnit.enterpriseId, own.id);
	const answers = db
		.select({
			campaignNameZh: campaign.nameZh,
			campaignNameEn: campaign.nameEn,
			year: campaign.year,
			departmentCode: department.code,
			departmentNameZh: department.nameZh,
			departmentNameEn: department.nameEn,
			answeredAt: surveyResponse.submittedAt
		})
		.from(invitationAnswer)
		.innerJoin(invitation, eq(invitation.id, invitationAnswer.invitationId))
		.innerJoin(sampleUnit, eq(sampleUnit.id, invitation.sampleUnitId))
		.innerJoin(campaign, eq(campaign.id, invitation.campaignId))
		.innerJoin(department, eq(department.id, invitationAnswer.departmentId))
		.innerJoin(surveyResponse, eq(surveyResponse.id, invitationAnswer.responseId))
		.where(mine)
		.orderBy(desc(surveyResponse.submittedAt), department.code)
		.limit(opts.limit ?? 50);
	const [open, answered, [total]] = await Promise.all([
		db
			.select({
				campaignNameZh: campaign.nameZh,
				campaignNameEn: campaign.nameEn,
				year: campaign.year,
				cardNo: invitation.cardNo,
				answered: answeredDepartments()
			})
			.from(invitation)
			.innerJoin(sampleUnit, eq(sampleUnit.id, invitation.sampleUnitId))
			.innerJoin(campaign, eq(campaign.id, invitation.campaignId))
			.where(and(mine, eq(campaign.state, 'active')))
			.orderBy(desc(campaign.year), invitation.cardNo),
		answers,
		db
			.select({ n: sql<number>`count(*)::int` })
			.from(invitationAnswer)
			.innerJoin(invitation, eq(invitation.id, invitationAnswer.invitationId))
			.innerJoin(sampleUnit, eq(sampleUnit.id, invitation.sampleUnitId))
			.where(mine)
	]);
	const secret = open.length > 0 ? await invitationSecret() : new Uint8Array();
	return {
		enterprise: own.name,
		invitations: open.map((r) => ({
			...r,
			url: invitationUrl(opts.origin, invitationToken(secret, r.cardNo))
		})),
		answers: answered,
		answerTotal: total?.n ?? 0
	};
}
