// A campaign's aggregates per department (roles.md, anonymity): how many responded, how the
// answers spread over the levels of each rating question, the satisfaction rate and campaign
// mean as the year computation takes them, the channels, and the free-text comments. Who may
// read what is decided here, not in the routes:
// - admin and supervisor: every target department of any campaign, every figure;
// - leader: the same aggregates, with small groups withheld;
// - liaison: only a closed campaign that targeted its own department, only that department,
//   with small groups withheld; any other campaign reads exactly as one that does not exist;
// - anyone else: nothing.
// No aggregate carries who answered: no respondent, enterprise, phone or response id leaves
// this module, and comments come as texts in alphabetical order.
import { asc, eq, sql } from 'drizzle-orm';
import { mayLearnOf, RESPONSE_CHANNELS, type ResponseChannel } from '$lib/domain/campaigns';
import { maskPersonalData } from '$lib/domain/mask';
import {
	MIN_GROUP_FOR_LIAISON,
	MIN_TEXT_GROUP_FOR_LIAISON,
	SHOWN_LEVELS as LEVELS,
	withheldParts,
	type ShownLevel as Level
} from '$lib/domain/explain';
import { hasRole, ROLES, type Role } from '$lib/domain/roles';
import { satisfactionRate } from '$lib/domain/scoring';
import { rows, type Executor } from '$lib/server/db';
import { campaign, question, type Campaign } from '$lib/server/db/schema';
import {
	campaignSlotsQuery,
	surveysQuery,
	type SlotRow,
	type SurveyCampaign,
	type SurveyRow
} from '$lib/server/evaluation/compute/queries';
import { targetDepartmentsQuery } from './campaigns';

/** Who reads: its role and, for a liaison, its department. */
export interface AggregateReader {
	role: Role;
	departmentId: number | null;
}

/** A count, or null where the group is too small to be shown ("too few responses"). */
export type Shown = number | null;

export interface QuestionAggregate {
	code: string;
	textZh: string;
	textEn: string;
	dimension: 'appraisal' | 'convenience';
	/** Responses that answered it (any level, "don't know" included), or null: too few. */
	answered: Shown;
	/** Answers per level, 5 … 1 and 0; null where the group is too small. */
	levels: Record<Level, number> | null;
}

export interface CommentGroup {
	code: string;
	textZh: string;
	textEn: string;
	/** The texts in alphabetical order, or null where fewer than the minimum were written. */
	texts: string[] | null;
}

export interface DepartmentAggregate {
	code: string;
	nameZh: string;
	nameEn: string;
	/** Not voided responses about the department, or null: too few. */
	responses: Shown;
	/** §2.4 satisfaction rate (percent) over this campaign's answers; null: none or too few. */
	satisfactionRate: number | null;
	/** §2.4 campaign mean m(c, d) of the appraisal answers; null: none or too few. */
	mean: number | null;
	/** Convenience mean of the same kind; null: none or too few. */
	convenienceMean: number | null;
	questions: QuestionAggregate[];
	channels: { channel: ResponseChannel; responses: Shown }[];
	/** Only when one department is asked for. */
	comments: CommentGroup[] | null;
}

export interface CampaignAggregates {
	campaign: Pick<
		Campaign,
		'code' | 'year' | 'kind' | 'nameZh' | 'nameEn' | 'state' | 'channels' | 'closedAt'
	>;
	/** The channel the figures are filtered to, if any (the channel table is never filtered). */
	channel: ResponseChannel | null;
	/** Whether small groups are withheld for this reader. */
	withheld: boolean;
	minGroup: number;
	minTextGroup: number;
	/** The departments the reader may see, by code (a liaison: its own only). */
	departments: DepartmentAggregate[];
}

/** Whether small groups are withheld from this role (roles.md: liaisons and leaders). */
export function withholdsSmallGroups(role: Role): boolean {
	return role === 'liaison' || role === 'leader';
}

function seesAllDepartments(role: Role): boolean {
	return role === 'admin' || role === 'supervisor' || role === 'leader';
}

/** Not voided rows of `survey_rating` of a campaign (optionally one department, one channel). */
const ratings = (
	campaignId: number,
	departmentId: number | null,
	channel: ResponseChannel | null
) => sql`
	select sr.* from survey_rating sr
	where sr.campaign_id = ${campaignId}
		and (${departmentId}::int is null or sr.department_id = ${departmentId}::int)
		and (${channel}::text is null or exists (select 1 from survey_response resp
			where resp.id = sr.response_id and resp.channel::text = ${channel}::text))
		and not exists (select 1 from survey_response_void v where v.response_id = sr.response_id)`;

/**
 * The aggregates of campaign `code` that `reader` may see — for one department (`department`, a
 * code; a liaison's is always its own) or all the campaign's target departments — or null when
 * there is no such campaign or the reader may not learn of it: the same null either way, so the
 * caller's refusal cannot tell them apart.
 */
export async function campaignAggregates(
	db: Executor,
	reader: AggregateReader,
	code: string,
	department?: string | null,
	channel: ResponseChannel | null = null
): Promise<CampaignAggregates | null> {
	const [c] = await db.select().from(campaign).where(eq(campaign.code, code));
	if (!c || !mayLearnOf(reader.role, c.state)) return null;
	const all = seesAllDepartments(reader.role);
	if (!all && (reader.role !== 'liaison' || reader.departmentId === null)) return null;

	const targets = await rows<{ id: number; code: string; name_zh: string; name_en: string }>(
		db,
		sql`select t.id, t.code, t.name_zh, t.name_en from (${targetDepartmentsQuery(c)}) t
			where (${all ? null : reader.departmentId}::int is null or t.id = ${all ? null : reader.departmentId}::int)
				and (${department ?? null}::text is null or t.code = ${department ?? null}::text)
			order by t.code`
	);
	if (targets.length === 0) {
		// A liaison whose department the campaign did not target learns nothing of it.
		if (!all) return null;
		if (department) return null;
	}
	const one = department || !all ? (targets[0]?.id ?? null) : null;

	const questions = await db
		.select({
			id: question.id,
			code: question.code,
			kind: question.kind,
			textZh: question.textZh,
			textEn: question.textEn,
			dimension: question.dimension,
			slot: question.slot
		})
		.from(question)
		.where(eq(question.questionnaireId, c.questionnaireId))
		.orderBy(asc(question.position));
	const rating = questions.filter(
		(q): q is typeof q & { slot: number; dimension: 'appraisal' | 'convenience' } =>
			q.kind === 'rating' && q.slot !== null && q.dimension !== null
	);
	// The year computation's own aggregation (scoring.md §2.4), over this campaign alone.
	const scoresSql = surveysQuery(await rows<SlotRow>(db, campaignSlotsQuery(c.id)), { channel });
	const slotList = rating.length
		? sql.raw(
				rating
					.filter((q) => Number.isInteger(q.slot) && q.slot >= 1 && q.slot <= 12)
					.map((q) => `(${q.slot}, r.r${q.slot})`)
					.join(', ')
			)
		: null;

	const [totals, levels, channels, scores, texts] = await Promise.all([
		rows<{ department_id: number; n: number }>(
			db,
			sql`select r.department_id, count(*)::int as n from (${ratings(c.id, one, channel)}) r group by 1`
		),
		slotList
			? rows<{ department_id: number; slot: number; level: number; n: number }>(
					db,
					sql`select r.department_id, v.slot::int as slot, v.level::int as level, count(*)::int as n
						from (${ratings(c.id, one, channel)}) r
						cross join lateral (values ${slotList}) v(slot, level)
						where v.level is not null
						group by 1, 2, 3`
				)
			: Promise.resolve([]),
		rows<{ department_id: number; channel: ResponseChannel; n: number }>(
			db,
			sql`select r.department_id, resp.channel::text as channel, count(*)::int as n
				from (${ratings(c.id, one, null)}) r
				join survey_response resp on resp.id = r.response_id
				group by 1, 2`
		),
		scoresSql ? rows<SurveyRow>(db, scoresSql) : Promise.resolve([]),
		one === null
			? Promise.resolve([])
			: rows<{ question_id: number; n: number; texts: string[] }>(
					db,
					sql`select t.question_id, count(*)::int as n,
							array_agg(t.body order by t.body, t.response_id) as texts
						from survey_text_answer t
						join survey_response resp on resp.id = t.response_id
						where resp.campaign_id = ${c.id} and t.department_id = ${one}
							and (${channel}::text is null or resp.channel::text = ${channel}::text)
							and not exists (select 1 from survey_response_void v
								where v.response_id = t.response_id)
						group by 1`
				)
	]);

	const withheld = withholdsSmallGroups(reader.role);
	const min = withheld ? MIN_GROUP_FOR_LIAISON : 0;
	const minText = withheld ? MIN_TEXT_GROUP_FOR_LIAISON : 0;
	const seesIdentities = hasRole(reader.role, ROLES.seeRespondents);
	const departments = targets.map((t): DepartmentAggregate => {
		const total = totals.find((x) => x.department_id === t.id)?.n ?? 0;
		const score = scores.find((s) => Number(s.department_id) === t.id);
		const line = score
			? (JSON.parse(score.campaigns) as SurveyCampaign[]).find((l) => l.code === c.code)
			: undefined;
		const byChannel = c.channels.map(
			(ch) => channels.find((x) => x.department_id === t.id && x.channel === ch)?.n ?? 0
		);
		const hideChannel = withheld ? withheldParts(byChannel, min) : byChannel.map(() => false);
		// Filtered to a channel, the group is department × channel: shown only where the channel
		// table shows that channel, or the filter would give away what the table withholds.
		const at = channel === null ? -1 : c.channels.indexOf(channel);
		const big = total >= min && (channel === null || (at >= 0 ? !hideChannel[at] : !withheld));
		return {
			code: t.code,
			nameZh: t.name_zh,
			nameEn: t.name_en,
			responses: big ? total : null,
			satisfactionRate:
				big && score ? satisfactionRate(Number(score.satisfied), Number(score.answers)) : null,
			mean: big && line?.aMean != null ? Number(line.aMean) : null,
			convenienceMean: big && line?.cMean != null ? Number(line.cMean) : null,
			questions: rating.map((q) => {
				const cells = levels.filter((l) => l.department_id === t.id && l.slot === q.slot);
				const answered = cells.reduce((s, l) => s + l.n, 0);
				const visible = big && answered >= min;
				return {
					code: q.code,
					textZh: q.textZh,
					textEn: q.textEn,
					dimension: q.dimension,
					answered: visible ? answered : null,
					levels: visible
						? (Object.fromEntries(
								LEVELS.map((lv) => [lv, cells.find((l) => l.level === lv)?.n ?? 0])
							) as Record<Level, number>)
						: null
				};
			}),
			channels: c.channels.map((ch, i) => ({
				channel: ch,
				responses: hideChannel[i] ? null : byChannel[i]!
			})),
			comments:
				one === t.id
					? questions
							.filter((q) => q.kind === 'text' || q.kind === 'long_text')
							.map((q) => {
								const g = texts.find((x) => x.question_id === q.id);
								return {
									code: q.code,
									textZh: q.textZh,
									textEn: q.textEn,
									// Under a channel filter, the comments a liaison or leader reads
									// are the unfiltered ones or none: a filtered set beside the
									// whole would tell which came by that channel.
									// Phone and ID numbers typed into them are masked for
									// whoever may not see respondents (roles.md).
									texts:
										g && g.n >= Math.max(minText, 1) && !(withheld && channel)
											? g.texts.map((x) => (seesIdentities ? x : maskPersonalData(x)))
											: null
								};
							})
					: null
		};
	});

	return {
		campaign: {
			code: c.code,
			year: c.year,
			kind: c.kind,
			nameZh: c.nameZh,
			nameEn: c.nameEn,
			state: c.state,
			channels: [...RESPONSE_CHANNELS].filter((ch) => c.channels.includes(ch)),
			closedAt: c.closedAt
		},
		channel,
		withheld,
		minGroup: MIN_GROUP_FOR_LIAISON,
		minTextGroup: MIN_TEXT_GROUP_FOR_LIAISON,
		departments
	};
}

export interface DepartmentSurvey {
	code: string;
	year: number;
	kind: Campaign['kind'];
	nameZh: string;
	nameEn: string;
	closedAt: Date | null;
}

/**
 * "Surveys about my department": the closed campaigns that targeted a liaison's department,
 * latest first. Nothing of a draft or running campaign, not even how many there are.
 */
export async function surveysAboutDepartment(
	db: Executor,
	reader: AggregateReader
): Promise<DepartmentSurvey[]> {
	if (reader.role !== 'liaison' || reader.departmentId === null) return [];
	const closed = await db
		.select()
		.from(campaign)
		.where(eq(campaign.state, 'closed'))
		.orderBy(sql`${campaign.year} desc, ${campaign.closedAt} desc nulls last, ${campaign.code}`);
	// Closed campaigns are a handful a year; each one's targets are its year's participants.
	const targeted = await Promise.all(
		closed.map(async (c) => {
			const [hit] = await rows<{ id: number }>(
				db,
				sql`select t.id from (${targetDepartmentsQuery(c)}) t where t.id = ${reader.departmentId}`
			);
			return hit !== undefined;
		})
	);
	return closed
		.filter((_, i) => targeted[i])
		.map((c) => ({
			code: c.code,
			year: c.year,
			kind: c.kind,
			nameZh: c.nameZh,
			nameEn: c.nameEn,
			closedAt: c.closedAt
		}));
}
