// Reviewing a campaign's responses (issue 8, §9): the list a supervisor reads (channel, time,
// interviewer, flags, the departments answered), one response with its answers, and voiding a
// response with a reason, audited, never undone. Who may see what is decided here (roles.md):
// admins and supervisors review responses; a leader, a liaison or an enterprise never sees an
// individual response, and only an admin sees which enterprise answered.
import { sql, type SQL } from 'drizzle-orm';
import type { ResponseChannel } from '$lib/domain/campaigns';
import { hasRole, ROLES, type Role } from '$lib/domain/roles';
import { formatDateTime } from '$lib/domain/time';
import type { ReviewFlag } from '$lib/schemas/review';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import { rows, type Executor } from '$lib/server/db';
import { getCampaignByCode } from './campaigns';
import { getResponse, type StoredAnswer } from './responses';

/** Whoever reads or reviews responses: a role, and the account (for who voided). */
export interface ReviewReader {
	role: Role;
}

/** The command line: the server's operator, who has the database itself (as for results). */
export const REVIEW_OPERATOR: ReviewReader = { role: 'admin' };

/** Refuses anyone but the roles that review responses (the same refusal whatever exists). */
export function assertReviewer(reader: ReviewReader): void {
	if (!hasRole(reader.role, ROLES.recordResponses)) throw new DomainError('review_forbidden');
}

/** Whether the reader sees which enterprise gave a response (roles.md: identity, admin only). */
export const seesIdentity = (reader: ReviewReader) => reader.role === 'admin';

/**
 * The departments a response answered about: rating rows, text and choice answers (a response
 * may answer only a text or a choice question about a department). `responseId` is an SQL
 * expression; each branch is a lookup on its table's primary key.
 */
export function departmentsOfResponse(responseId: SQL): SQL {
	return sql`select department_id from survey_rating where response_id = ${responseId}
		union select department_id from survey_text_answer where response_id = ${responseId}
		union select department_id from survey_choice_answer where response_id = ${responseId}`;
}

/** The enterprise's columns for an admin; for anyone else none is even read. */
const identityColumns = (identity: boolean) =>
	identity
		? sql`e.uscc as uscc, e.name as enterprise_name`
		: sql`null::text as uscc, null::text as enterprise_name`;

export interface ReviewRow {
	key: string;
	channel: ResponseChannel;
	/** Local time, `YYYY-MM-DD HH:mm:ss`. */
	submittedAt: string;
	interviewer: string | null;
	visitId: string | null;
	unverified: boolean;
	voided: { reason: string; at: string; by: string | null } | null;
	/** Codes of the departments answered about, in code order. */
	departments: string[];
	/** Admins only: who answered, where known. */
	enterprise?: { uscc: string; name: string } | null;
}

export interface ReviewFilters {
	channel?: ResponseChannel;
	/** A department code: responses that answered about it. */
	department?: string;
	flag?: ReviewFlag;
	interviewer?: number;
}

function filterSql(campaignId: number, f: ReviewFilters): SQL {
	const parts: SQL[] = [sql`r.campaign_id = ${campaignId}`];
	if (f.channel) parts.push(sql`r.channel = ${f.channel}::response_channel`);
	if (f.interviewer !== undefined) parts.push(sql`r.interviewer_id = ${f.interviewer}`);
	if (f.flag === 'voided') parts.push(sql`v.response_id is not null`);
	if (f.flag === 'valid') parts.push(sql`v.response_id is null`);
	if (f.flag === 'unverified') parts.push(sql`r.unverified`);
	if (f.department)
		parts.push(
			sql`(select d.id from department d where d.code = ${f.department})
				in (${departmentsOfResponse(sql`r.id`)})`
		);
	return sql.join(parts, sql` and `);
}

interface ReviewSqlRow {
	key: string;
	channel: ResponseChannel;
	submitted_at: Date | string;
	interviewer: string | null;
	visit_id: string | null;
	unverified: boolean;
	void_reason: string | null;
	voided_at: Date | string | null;
	voided_by: string | null;
	departments: string[] | string;
	uscc: string | null;
	enterprise_name: string | null;
}

/** The responses that `where` picks (over `r`, the response, and `v`, its void), as rows. */
async function reviewRows(
	db: Executor,
	identity: boolean,
	where: SQL,
	page: { limit: number; offset: number }
): Promise<ReviewRow[]> {
	const found = await rows<ReviewSqlRow>(
		db,
		sql`select r.response_key as key, r.channel::text as channel, r.submitted_at,
				iu.display_name as interviewer, r.visit_id, r.unverified,
				v.reason as void_reason, v.voided_at, vu.display_name as voided_by,
				array(select d.code from department d
					where d.id in (${departmentsOfResponse(sql`r.id`)})
					order by d.code collate "C") as departments,
				${identityColumns(identity)}
			from survey_response r
			left join survey_response_void v on v.response_id = r.id
			left join "user" iu on iu.id = r.interviewer_id
			left join "user" vu on vu.id = v.voided_by
			${identity ? sql`left join enterprise e on e.id = r.enterprise_id` : sql``}
			where ${where}
			order by r.submitted_at desc, r.id desc
			limit ${page.limit} offset ${page.offset}`
	);
	return found.map((r) => ({
		key: r.key,
		channel: r.channel,
		submittedAt: formatDateTime(new Date(r.submitted_at)),
		interviewer: r.interviewer,
		visitId: r.visit_id,
		unverified: r.unverified,
		voided:
			r.void_reason === null
				? null
				: { reason: r.void_reason, at: formatDateTime(new Date(r.voided_at!)), by: r.voided_by },
		departments: pgArray(r.departments),
		...(identity
			? { enterprise: r.uscc === null ? null : { uscc: r.uscc, name: r.enterprise_name! } }
			: {})
	}));
}

/**
 * One page of a campaign's responses, newest first, with the reader's filters; null when there
 * is no campaign with that code. Anyone but an admin or a supervisor is refused.
 */
export async function listResponses(
	db: Executor,
	reader: ReviewReader,
	code: string,
	opts: ReviewFilters & { page: number; pageSize: number }
): Promise<{ rows: ReviewRow[]; total: number } | null> {
	assertReviewer(reader);
	const c = await getCampaignByCode(db, code);
	if (!c) return null;
	const where = filterSql(c.id, opts);
	const [page, [counted]] = await Promise.all([
		reviewRows(db, seesIdentity(reader), where, {
			limit: opts.pageSize,
			offset: (opts.page - 1) * opts.pageSize
		}),
		rows<{ n: number }>(
			db,
			sql`select count(*)::int as n from survey_response r
				left join survey_response_void v on v.response_id = r.id
				where ${where}`
		)
	]);
	return { total: Number(counted?.n ?? 0), rows: page };
}

/** A text[] as the driver gives it: an array (postgres.js) or, from PGlite, maybe its literal. */
function pgArray(v: string[] | string): string[] {
	if (Array.isArray(v)) return v;
	const inner = v.replace(/^\{|\}$/g, '');
	return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
}

export interface ReviewedResponse extends ReviewRow {
	campaignCode: string;
	answers: StoredAnswer[];
}

/** One response of a campaign with its answers, or null when that campaign has none so keyed. */
export async function reviewResponse(
	db: Executor,
	reader: ReviewReader,
	campaignCode: string,
	key: string
): Promise<ReviewedResponse | null> {
	assertReviewer(reader);
	const c = await getCampaignByCode(db, campaignCode);
	if (!c) return null;
	const [[row], stored] = await Promise.all([
		reviewRows(db, seesIdentity(reader), sql`r.campaign_id = ${c.id} and r.response_key = ${key}`, {
			limit: 1,
			offset: 0
		}),
		getResponse(db, key)
	]);
	if (!row || !stored) return null;
	return { ...row, campaignCode, answers: stored.answers };
}

/**
 * Voids a response: a row of `survey_response_void` with the reason and who voided, and an audit
 * entry, in one transaction. A voided response stops counting at the next computation of its
 * year; it is never edited or deleted. Voiding it again is refused.
 */
export async function voidResponse(
	db: Executor,
	reader: ReviewReader,
	key: string,
	reason: string,
	actor: audit.Actor
): Promise<{ key: string; campaignCode: string }> {
	assertReviewer(reader);
	const text = reason.trim();
	if (text === '') throw new DomainError('required', { field: 'reason' });
	return db.transaction(async (tx) => {
		const [r] = await rows<{ id: string; campaign_code: string; voided: boolean }>(
			tx,
			sql`select r.id::text as id, c.code as campaign_code,
					exists (select 1 from survey_response_void v where v.response_id = r.id) as voided
				from survey_response r join campaign c on c.id = r.campaign_id
				where r.response_key = ${key}`
		);
		if (!r) throw new DomainError('review_response_not_found', { params: { key } });
		if (r.voided) throw new DomainError('review_already_voided', { params: { key } });
		// Two reviewers at once: the primary key lets one in; the other is told it is voided.
		const inserted = await rows<{ response_id: string }>(
			tx,
			sql`insert into survey_response_void (response_id, reason, voided_by)
				values (${r.id}::bigint, ${text}, ${actor.kind === 'user' ? actor.id : null})
				on conflict (response_id) do nothing
				returning response_id::text`
		);
		if (inserted.length === 0) throw new DomainError('review_already_voided', { params: { key } });
		await audit.record(tx, actor, {
			action: 'response.void',
			entity: 'survey_response',
			entityId: key,
			changes: { campaign: r.campaign_code, reason: text }
		});
		return { key, campaignCode: r.campaign_code };
	});
}
