// A campaign's open link (issue 8 §5): one non-personal address for an online campaign, shared
// on a website or in a newsletter. Anyone may answer through it; its responses are flagged
// unverified, and each browser answers once per department (a random identifier kept in a
// cookie, of which only SHA-256 is stored).
//
// The token is derived like an invitation's: HMAC-SHA256(the invitation secret, campaign and
// creation instant), so that the campaign page can show the address again later while the
// database holds only its hash. Replacing the link takes a new instant, hence a new token; the
// old address then answers like any unknown one.
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import { openLinkUrl, TOKEN_BYTES } from '$lib/domain/invitations';
import { hasRole, ROLES } from '$lib/domain/roles';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import type { Executor } from '$lib/server/db';
import { campaign, openLink, user, type Campaign } from '$lib/server/db/schema';
import {
	hashToken,
	invitationSecret,
	respondentCampaignOf,
	respondentCampaignSql,
	type RespondentCampaignRow,
	sameHash,
	throttledLookup,
	type RefusedInvitation,
	type ResolvedInvitation
} from './invitations';

/** The token of a campaign's open link made at `createdAt`: 160 bits, base32 (32 characters). */
export function openLinkToken(secret: Uint8Array, campaignId: number, createdAt: Date): string {
	const message = `pingyi-open-link:${campaignId}:${createdAt.toISOString()}`;
	const mac = hmac(SHA256, secret, new TextEncoder().encode(message));
	return encodeBase32LowerCaseNoPadding(mac.subarray(0, TOKEN_BYTES));
}

/** An open link may be made for an active campaign that takes online responses. */
const takesOpenLink = (c: Pick<Campaign, 'state' | 'channels'>) =>
	c.state === 'active' && c.channels.includes('online');

export interface OpenLinkView {
	campaign: Pick<Campaign, 'code' | 'nameZh' | 'nameEn' | 'state' | 'channels'>;
	/** Whether one may be made (or replaced) now. */
	available: boolean;
	/** `url` only for those who manage campaigns. */
	link: { url: string | null; createdAt: Date; createdBy: string | null } | null;
}

async function campaignOrRefuse(db: Executor, code: string): Promise<Campaign> {
	const [c] = await db.select().from(campaign).where(eq(campaign.code, code));
	if (!c) throw new DomainError('campaign_not_found', { params: { code } });
	return c;
}

/**
 * The campaign's open link: whether there is one, and its address for those who manage
 * campaigns (a leader may see that there is one, not answer through it as staff); anyone else
 * is told the campaign does not exist (campaigns are unannounced).
 */
export async function getOpenLink(
	db: Executor,
	principal: Pick<Principal, 'role'>,
	campaignCode: string,
	origin: string
): Promise<OpenLinkView> {
	if (!hasRole(principal.role, ROLES.viewCampaigns))
		throw new DomainError('campaign_not_found', { params: { code: campaignCode } });
	const showUrl = hasRole(principal.role, ROLES.manageCampaigns);
	const c = await campaignOrRefuse(db, campaignCode);
	const [row] = await db
		.select({ createdAt: openLink.createdAt, createdBy: user.displayName })
		.from(openLink)
		.leftJoin(user, eq(user.id, openLink.createdBy))
		.where(eq(openLink.campaignId, c.id));
	const secret = row && showUrl ? await invitationSecret() : null;
	return {
		campaign: {
			code: c.code,
			nameZh: c.nameZh,
			nameEn: c.nameEn,
			state: c.state,
			channels: c.channels
		},
		available: takesOpenLink(c),
		link: row
			? {
					url: secret ? openLinkUrl(origin, openLinkToken(secret, c.id, row.createdAt)) : null,
					createdAt: row.createdAt,
					createdBy: row.createdBy
				}
			: null
	};
}

/**
 * Makes the campaign's open link, or replaces it (`replace` must then be confirmed: the old
 * address stops answering). Audited; the token is never written anywhere but in its address.
 */
export async function createOpenLink(
	db: Executor,
	campaignCode: string,
	opts: { replace: boolean; now?: Date },
	actor: audit.Actor,
	userId: number | null = null
): Promise<{ token: string; createdAt: Date; replaced: boolean }> {
	const secret = await invitationSecret();
	return db.transaction(async (tx) => {
		const c = await campaignOrRefuse(tx, campaignCode);
		const [before] = await tx
			.select({ createdAt: openLink.createdAt })
			.from(openLink)
			.where(eq(openLink.campaignId, c.id))
			.for('update');
		if (!takesOpenLink(c))
			throw new DomainError('open_link_unavailable', { params: { code: c.code } });
		if (before && !opts.replace) throw new DomainError('confirm_required', { field: 'confirm' });
		// Whole milliseconds: the instant is read back through a JavaScript Date to remake the token.
		const createdAt = new Date(Math.floor((opts.now ?? new Date()).getTime()));
		if (before && before.createdAt.getTime() >= createdAt.getTime())
			createdAt.setTime(before.createdAt.getTime() + 1);
		const token = openLinkToken(secret, c.id, createdAt);
		const values = { tokenHash: hashToken(token), createdBy: userId, createdAt };
		await tx
			.insert(openLink)
			.values({ campaignId: c.id, ...values })
			.onConflictDoUpdate({ target: openLink.campaignId, set: values });
		await audit.record(tx, actor, {
			action: before ? 'open_link.replace' : 'open_link.create',
			entity: 'campaign',
			entityId: c.code,
			changes: audit.diff(before ? { openLinkCreatedAt: before.createdAt.toISOString() } : null, {
				openLinkCreatedAt: createdAt.toISOString()
			})
		});
		return { token, createdAt, replaced: Boolean(before) };
	});
}

export interface ResolvedOpenLink {
	ok: true;
	campaign: ResolvedInvitation['campaign'];
}

/**
 * The campaign of an open link's token, when it is active and takes online responses. Refused
 * exactly like a wrong invitation token, under the same throttle.
 */
export function resolveOpenLink(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date }
): Promise<ResolvedOpenLink | RefusedInvitation> {
	return throttledLookup<RespondentCampaignRow & { token_hash: string }, ResolvedOpenLink>(
		db,
		token,
		opts,
		{
			query: (hash) => sql`select l.token_hash, ${respondentCampaignSql}
				from open_link l join campaign c on c.id = l.campaign_id
				where l.token_hash = ${hash}`,
			accept: (row, hash) => {
				const { state, campaign } = respondentCampaignOf(row);
				if (
					!sameHash(row.token_hash, hash) ||
					!takesOpenLink({ state, channels: campaign.channels })
				)
					return null;
				return { ok: true as const, campaign };
			}
		}
	);
}

/** What `open_link_answer.browser_hash` holds: SHA-256 of the browser's identifier, hex. */
export const hashBrowser = (browserId: string): string => hashToken(browserId);

/** A new browser identifier (the cookie's value): 160 random bits, base32. */
export function newBrowserId(): string {
	const bytes = new Uint8Array(TOKEN_BYTES);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}
