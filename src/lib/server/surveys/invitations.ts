// Personal invitations to answer a campaign (issue 8 §4): one per sample unit, each with an
// unguessable token in its address and a card number printed on its contact card (投诉联系卡).
//
// Why tokens are derived rather than random and forgotten: only SHA-256 of a token is stored, so
// a random token could be shown once, at creation, and never again — yet `export invitations
// CODE` and the printable cards are separate steps that must produce the same addresses later,
// without reissuing anything. So a token is HMAC-SHA256(server secret, card number), cut to 160
// bits: the database holds only its hash (a copy of the database alone gives no way to answer
// as anyone), and whoever holds the secret can print the cards again. The secret is 256 random
// bits from crypto.getRandomValues, kept outside the database: `INVITATION_SECRET`, else the key
// file `data/invitation.key` (INVITATION_KEY_FILE to move it), made on first use. Losing it
// makes every printed card useless; the app and the CLI must share it (README, Configuration).
import { hmac } from '@oslojs/crypto/hmac';
import { sha256, SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import {
	cardNoStem,
	formatCardNo,
	invitationUrl,
	isTokenShaped,
	TOKEN_BYTES
} from '$lib/domain/invitations';
import { maskName } from '$lib/domain/mask';
import { hasRole, ROLES } from '$lib/domain/roles';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import { blockedUntilMs, recordFailure, secondsUntil } from '$lib/server/auth/rate-limit';
import { rows, type Executor } from '$lib/server/db';
import {
	campaign,
	campaignSample,
	enterprise,
	invitation,
	invitationAnswer,
	sampleUnit,
	type Campaign
} from '$lib/server/db/schema';
import { resultsCsv } from '$lib/server/results/export';
import { keyFromFile } from '$lib/server/key-file';
import { getContactCardSettings } from '$lib/server/settings';

// --- Tokens -------------------------------------------------------------------------------------

const SECRET_MIN_LENGTH = 32;
const DEFAULT_KEY_FILE = 'data/invitation.key';

/** The secret invitation tokens are derived from (see the top of this file). */
export async function invitationSecret(env: NodeJS.ProcessEnv = process.env): Promise<Uint8Array> {
	const fromEnv = env.INVITATION_SECRET;
	if (fromEnv !== undefined && fromEnv !== '') {
		if (fromEnv.length < SECRET_MIN_LENGTH)
			throw new Error(`INVITATION_SECRET must be at least ${SECRET_MIN_LENGTH} characters long`);
		return new TextEncoder().encode(fromEnv);
	}
	return keyFromFile(env.INVITATION_KEY_FILE || DEFAULT_KEY_FILE, 'an invitation key');
}

/** The token of the invitation with this card number: 160 bits, base32 lower case (32 chars). */
export function invitationToken(secret: Uint8Array, cardNo: string): string {
	const mac = hmac(SHA256, secret, new TextEncoder().encode(`pingyi-invitation:${cardNo}`));
	return encodeBase32LowerCaseNoPadding(mac.subarray(0, TOKEN_BYTES));
}

/** What `invitation.token_hash` holds: SHA-256 of the token, hex. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

// --- Creating -----------------------------------------------------------------------------------

export interface IssuedInvitation {
	invitationId: number;
	sampleUnitId: number;
	position: number;
	enterpriseName: string;
	/** '' for a unit of an imported call list that is not in the enterprise register. */
	uscc: string;
	cardNo: string;
	token: string;
}

async function campaignOrRefuse(db: Executor, code: string): Promise<Campaign> {
	const [c] = await db.select().from(campaign).where(eq(campaign.code, code));
	if (!c) throw new DomainError('campaign_not_found', { params: { code } });
	return c;
}

/** Rows of a statement's VALUES per insert: well under PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 2_000;

/**
 * Invites every sample unit of the campaign that has no invitation yet, in one transaction with
 * one audit entry (the count; never a token). Returns the new invitations with their tokens.
 * Refused for an unknown or closed campaign and for one without a sample.
 */
export async function createInvitations(
	db: Executor,
	campaignCode: string,
	actor: audit.Actor,
	userId: number | null = null
): Promise<{ campaign: Campaign; created: IssuedInvitation[]; total: number }> {
	const secret = await invitationSecret();
	return db.transaction(async (tx) => {
		// Card numbers are the year's highest plus one: creations take turns (reads go on).
		await tx.execute(sql`lock table ${invitation} in share row exclusive mode`);
		const c = await campaignOrRefuse(tx, campaignCode);
		if (c.state === 'closed')
			throw new DomainError('invitation_campaign_closed', { params: { code: c.code } });
		const [sample] = await tx
			.select({
				units: sql<number>`(select count(*) from ${sampleUnit}
				where ${sampleUnit.campaignId} = ${c.id})::int`
			})
			.from(campaignSample)
			.where(eq(campaignSample.campaignId, c.id));
		if (!sample || sample.units === 0)
			throw new DomainError('invitation_no_sample', { params: { code: c.code } });

		const pending = await tx
			.select({
				id: sampleUnit.id,
				position: sampleUnit.position,
				name: sampleUnit.name,
				uscc: sql<string>`coalesce(${enterprise.uscc}, '')`
			})
			.from(sampleUnit)
			.leftJoin(enterprise, eq(enterprise.id, sampleUnit.enterpriseId))
			.where(
				and(
					eq(sampleUnit.campaignId, c.id),
					sql`not exists (select 1 from ${invitation} where ${invitation.sampleUnitId} = ${sampleUnit.id})`
				)
			)
			.orderBy(asc(sampleUnit.position));

		const { cardPrefix } = await getContactCardSettings(tx);
		const stem = cardNoStem(cardPrefix, c.year);
		// `::int`: an untyped parameter would pick substring(text from pattern), the regex form.
		const tail = sql`substring(${invitation.cardNo} from ${stem.length + 1}::int)`;
		const [last] = await tx
			.select({ seq: sql<string>`coalesce(max(${tail}::bigint), 0)::text` })
			.from(invitation)
			.where(sql`starts_with(${invitation.cardNo}, ${stem}) and ${tail} ~ '^[0-9]+$'`);
		let seq = Number(last?.seq ?? 0);

		const issued = pending.map((u) => {
			const cardNo = formatCardNo(cardPrefix, c.year, ++seq);
			return { unit: u, cardNo, token: invitationToken(secret, cardNo) };
		});
		const created: IssuedInvitation[] = [];
		for (let i = 0; i < issued.length; i += INSERT_CHUNK) {
			const chunk = issued.slice(i, i + INSERT_CHUNK);
			const rows = await tx
				.insert(invitation)
				.values(
					chunk.map((x) => ({
						campaignId: c.id,
						sampleUnitId: x.unit.id,
						tokenHash: hashToken(x.token),
						cardNo: x.cardNo,
						createdBy: userId
					}))
				)
				.returning({ id: invitation.id, sampleUnitId: invitation.sampleUnitId });
			const ids = new Map(rows.map((r) => [r.sampleUnitId, r.id]));
			for (const x of chunk)
				created.push({
					invitationId: ids.get(x.unit.id)!,
					sampleUnitId: x.unit.id,
					position: x.unit.position,
					enterpriseName: x.unit.name,
					uscc: x.unit.uscc,
					cardNo: x.cardNo,
					token: x.token
				});
		}
		const before = sample.units - pending.length;
		await audit.record(tx, actor, {
			action: 'invitations.create',
			entity: 'campaign',
			entityId: c.code,
			changes: audit.diff({ invitations: before }, { invitations: sample.units })
		});
		return { campaign: c, created, total: sample.units };
	});
}

// --- Reading them back: the export and the cards ----------------------------------------------

export interface InvitationLine {
	invitationId: number;
	position: number;
	uscc: string;
	enterpriseName: string;
	township: string;
	cardNo: string;
	/** Departments it has answered about. */
	answered: number;
	url: string;
}

/** The number of departments an invitation (of the query's `invitation` row) has answered. */
export const answeredDepartments = () =>
	sql<number>`(select count(*) from ${invitationAnswer}
		where ${invitationAnswer.invitationId} = ${invitation.id})::int`;

/** A campaign's invitations with their units, in the sample's order (a query to page). */
function campaignInvitations(db: Executor, campaignId: number) {
	return db
		.select({
			invitationId: invitation.id,
			position: sampleUnit.position,
			uscc: sql<string>`coalesce(${enterprise.uscc}, '')`,
			enterpriseName: sampleUnit.name,
			township: sampleUnit.township,
			cardNo: invitation.cardNo,
			answered: answeredDepartments()
		})
		.from(invitation)
		.innerJoin(sampleUnit, eq(sampleUnit.id, invitation.sampleUnitId))
		.leftJoin(enterprise, eq(enterprise.id, sampleUnit.enterpriseId))
		.where(eq(invitation.campaignId, campaignId))
		.orderBy(asc(sampleUnit.position))
		.$dynamic();
}

/**
 * The campaign's invitations with their addresses, recomputed from the secret (nothing is
 * reissued), in the sample's order; one page of them when `range` is given.
 */
export async function invitationLines(
	db: Executor,
	campaignCode: string,
	origin: string,
	range?: { page: number; pageSize: number }
): Promise<{ campaign: Campaign; lines: InvitationLine[]; total: number }> {
	const c = await campaignOrRefuse(db, campaignCode);
	const query = campaignInvitations(db, c.id);
	const [rows, [total]] = await Promise.all([
		range ? query.limit(range.pageSize).offset((range.page - 1) * range.pageSize) : query,
		db.select({ n: count() }).from(invitation).where(eq(invitation.campaignId, c.id))
	]);
	const secret = rows.length > 0 ? await invitationSecret() : new Uint8Array();
	return {
		campaign: c,
		lines: rows.map((r) => ({
			...r,
			url: invitationUrl(origin, invitationToken(secret, r.cardNo))
		})),
		total: total?.n ?? 0
	};
}

/**
 * The origin invitation addresses start with: `ORIGIN` (the app's public address), else the
 * caller's best knowledge — the request's origin on a page, localhost on the command line.
 */
export function publicOrigin(fallback: string, env: NodeJS.ProcessEnv = process.env): string {
	return (env.ORIGIN || fallback).replace(/\/+$/, '');
}

/** The columns of `export invitations` and of the page's CSV download (docs/formats.md). */
export const INVITATION_COLUMNS = ['uscc', 'enterprise_name', 'card_no', 'url'] as const;

/** The invitations as CSV: UTF-8 with BOM, CRLF, text neutralised as in the results export. */
export function invitationsCsv(lines: readonly InvitationLine[]): string {
	return resultsCsv([
		[...INVITATION_COLUMNS],
		...lines.map((l) => [l.uscc, l.enterpriseName, l.cardNo, l.url])
	]);
}

// --- Listing ------------------------------------------------------------------------------------

export interface InvitationListRow {
	id: number;
	cardNo: string;
	enterpriseName: string;
	uscc: string;
	township: string;
	/** Departments this invitation has answered about. */
	answered: number;
}

export interface InvitationList {
	campaign: Campaign;
	rows: InvitationListRow[];
	total: number;
	/** Units of the campaign's sample, and how many of them have no invitation yet. */
	units: number;
	uninvited: number;
}

/**
 * One page of a campaign's invitations, for those who may see campaigns; anyone else is told
 * the campaign does not exist, as for a code that names none (campaigns are unannounced).
 */
export async function listInvitations(
	db: Executor,
	principal: Pick<Principal, 'role'>,
	campaignCode: string,
	opts: { page: number; pageSize: number }
): Promise<InvitationList> {
	if (!hasRole(principal.role, ROLES.viewCampaigns))
		throw new DomainError('campaign_not_found', { params: { code: campaignCode } });
	const c = await campaignOrRefuse(db, campaignCode);
	const [rows, [counts]] = await Promise.all([
		campaignInvitations(db, c.id)
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db
			.select({
				units: sql<number>`count(*)::int`,
				invited: sql<number>`count(*) filter (where exists (select 1 from ${invitation}
					where ${invitation.sampleUnitId} = ${sampleUnit.id}))::int`
			})
			.from(sampleUnit)
			.where(eq(sampleUnit.campaignId, c.id))
	]);
	const units = counts?.units ?? 0;
	const invited = counts?.invited ?? 0;
	// A leader sees survey responses as aggregates only, never who answered (roles.md: respondent
	// identity): beside each invitation's answers, the enterprise is masked as the sample masks it.
	const masked = principal.role === 'leader';
	return {
		campaign: c,
		rows: rows.map((r) => ({
			id: r.invitationId,
			cardNo: r.cardNo,
			enterpriseName: masked ? maskName(r.enterpriseName) : r.enterpriseName,
			uscc: masked ? maskName(r.uscc) : r.uscc,
			township: r.township,
			answered: r.answered
		})),
		total: invited,
		units,
		uninvited: units - invited
	};
}

// --- Resolving a token (the respondent page) ----------------------------------------------------

export interface ResolvedInvitation {
	ok: true;
	invitation: { id: number; cardNo: string };
	campaign: Pick<
		Campaign,
		| 'id'
		| 'code'
		| 'year'
		| 'kind'
		| 'nameZh'
		| 'nameEn'
		| 'questionnaireId'
		| 'targets'
		| 'channels'
	>;
	unit: { id: number; enterpriseId: number | null; name: string; township: string };
	/** The departments this invitation has already answered about. */
	answered: { id: number; code: string }[];
}

/**
 * Every refusal looks alike — an unknown token, one of a draft or closed campaign, a malformed
 * one — so that a guesser learns nothing of which campaigns exist; `retryAfterSeconds` is above 0
 * only while the client's address is throttled (then no token is even looked up).
 */
export interface RefusedInvitation {
	ok: false;
	retryAfterSeconds: number;
}

// Its own keys in the sign-in throttle's table: guessing tokens does not lock anyone out of
// signing in, and the same FREE_FAILURES and doubling delays apply.
const throttleKeys = (address: string) => [`invitation:${address}`];

/**
 * Looks a token up under the guessing throttle (invitations and open links share it), in ONE
 * statement that reads the client address's block beside the token's row: while the address is
 * throttled the row is not used; a malformed token, or one `accept` does not take, counts against
 * the address. A right token does not clear the count: otherwise one real card would let its
 * holder keep guessing for free.
 */
export async function throttledLookup<R, T extends { ok: true }>(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date },
	find: { query: (hash: string) => SQL; accept: (row: R, hash: string) => T | null }
): Promise<T | RefusedInvitation> {
	const now = opts.now ?? new Date();
	const keys = throttleKeys(opts.address);
	const hash = isTokenShaped(token) ? hashToken(token) : null;
	const [row] = await rows<R & { throttled_until: number | string | null; found: boolean | null }>(
		db,
		sql`select ${blockedUntilMs(keys)} as throttled_until, f.*
			from (select 1) as one
			left join lateral (${hash === null ? sql`select true as found where false` : sql`select true as found, q.* from (${find.query(hash)}) q`}) f on true`
	);
	const wait = secondsUntil(row?.throttled_until ?? null, now);
	if (wait > 0) return { ok: false, retryAfterSeconds: wait };
	const found = hash !== null && row?.found ? find.accept(row, hash) : null;
	if (found) return found;
	await recordFailure(db, keys, now);
	return { ok: false, retryAfterSeconds: 0 };
}

/** Whether a stored token hash is the one looked up (compared in constant time). */
export const sameHash = (stored: string, hash: string) =>
	constantTimeEqual(decodeHex(stored), decodeHex(hash));

/**
 * What a respondent's page needs of its campaign (and its state, to refuse all but active), as
 * columns of a lookup's row (`campaign c`), and that row's campaign.
 */
export const respondentCampaignSql = sql`c.id as campaign_id, c.code as campaign_code,
	c.year as campaign_year, c.kind::text as campaign_kind, c.name_zh as campaign_name_zh,
	c.name_en as campaign_name_en, c.questionnaire_id as campaign_questionnaire_id,
	c.targets::text as campaign_targets, array_to_string(c.channels, ',') as campaign_channels,
	c.state::text as campaign_state`;

export interface RespondentCampaignRow {
	campaign_id: number;
	campaign_code: string;
	campaign_year: number;
	campaign_kind: Campaign['kind'];
	campaign_name_zh: string;
	campaign_name_en: string;
	campaign_questionnaire_id: number;
	campaign_targets: Campaign['targets'];
	campaign_channels: string;
	campaign_state: Campaign['state'];
}

export const respondentCampaignOf = (r: RespondentCampaignRow) => ({
	state: r.campaign_state,
	campaign: {
		id: Number(r.campaign_id),
		code: r.campaign_code,
		year: Number(r.campaign_year),
		kind: r.campaign_kind,
		nameZh: r.campaign_name_zh,
		nameEn: r.campaign_name_en,
		questionnaireId: Number(r.campaign_questionnaire_id),
		targets: r.campaign_targets,
		channels: (r.campaign_channels === ''
			? []
			: r.campaign_channels.split(',')) as Campaign['channels']
	}
});

/** A JSON value as the driver hands it over: parsed already (postgres.js) or as text. */
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/**
 * The invitation of a token, when its campaign is active (see `throttledLookup`), with the
 * departments it has answered about: one statement.
 */
export function resolveInvitation(
	db: Executor,
	token: string,
	opts: { address: string; now?: Date }
): Promise<ResolvedInvitation | RefusedInvitation> {
	type Row = RespondentCampaignRow & {
		invitation_id: number;
		card_no: string;
		token_hash: string;
		unit_id: number;
		enterprise_id: number | null;
		unit_name: string;
		township: string;
		answered: { id: number; code: string }[] | string;
	};
	return throttledLookup<Row, ResolvedInvitation>(db, token, opts, {
		query: (hash) => sql`select i.id as invitation_id, i.card_no, i.token_hash,
				${respondentCampaignSql},
				u.id as unit_id, u.enterprise_id, u.name as unit_name, u.township,
				(select coalesce(json_agg(json_build_object('id', d.id, 'code', d.code)
						order by d.code collate "C"), '[]')
					from invitation_answer a join department d on d.id = a.department_id
					where a.invitation_id = i.id) as answered
			from invitation i
			join campaign c on c.id = i.campaign_id
			join sample_unit u on u.id = i.sample_unit_id
			where i.token_hash = ${hash}`,
		accept: (row, hash) => {
			const { state, campaign } = respondentCampaignOf(row);
			if (!sameHash(row.token_hash, hash) || state !== 'active') return null;
			return {
				ok: true as const,
				invitation: { id: Number(row.invitation_id), cardNo: row.card_no },
				campaign,
				unit: {
					id: Number(row.unit_id),
					enterpriseId: row.enterprise_id === null ? null : Number(row.enterprise_id),
					name: row.unit_name,
					township: row.township
				},
				answered: json(row.answered).map((a) => ({ id: Number(a.id), code: a.code }))
			};
		}
	});
}
