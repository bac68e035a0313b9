// The democratic appraisal of 2002–2004 and the visits it was taken on: each year the
// thousand-enterprise visits (an enterprise-visit campaign with a drawn sample, its contact-card
// invitations, a visit and an on-site appraisal per enterprise, the problems raised) and the
// thousand-person evaluation by telephone (a public-evaluation campaign). Campaigns, samples and
// invitations go through the survey modules (audited there); responses and their ratings, which
// the public creates in bulk, are inserted only (append-only), with one audit entry per kind.
import { eq } from 'drizzle-orm';
import { formatProblemNo, formatVisitNo } from '$lib/domain/visit-problems';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { drawSampleSchema } from '$lib/schemas/samples';
import {
	campaign,
	invitation,
	invitationAnswer,
	sampleUnit,
	surveyResponse,
	visit,
	visitInvestorBreach,
	visitMember,
	visitProblem,
	visitProblemDepartment,
	visitProblemReturn
} from '$lib/server/db/schema';
import { chunked } from '$lib/server/imports/records';
import * as campaigns from '$lib/server/surveys/campaigns';
import * as invitations from '$lib/server/surveys/invitations';
import * as samples from '$lib/server/surveys/samples';
import { copyRows, type Cell } from './bulk';
import { addDays, at, CLOSES, OPENS, weekdays } from './calendar';
import { PROBLEM_TEXTS } from './catalogue';
import { audited, type DemoContext, type DemoDepartmentRow } from './context';
import { DEMO_YEARS } from './figures';
import { personName } from './names';
import type { Random } from './prng';

/** Enterprises visited per year, and departments each appraises on the spot. */
export const VISITS_PER_YEAR = 300;
const DEPARTMENTS_PER_VISIT = 8;
/** Telephone respondents per year, and departments each rates. */
export const CALLS_PER_YEAR = 1000;
const DEPARTMENTS_PER_CALL = 5;
/** The standard questionnaire's rating slots: five appraisal questions, then speed of handling. */
const SLOTS = 6;

/** A level 1–5 around the department's quality, now and then "don't know" (0). */
function level(random: Random, d: DemoDepartmentRow): number {
	if (random.chance(0.03)) return 0;
	const mean = 2.4 + 2.4 * d.quality;
	const noise = (random.next() + random.next() - 1) * 1.6;
	return Math.min(5, Math.max(1, Math.round(mean + noise)));
}

interface Rated {
	key: string;
	submittedAt: Date;
	channel: 'field' | 'phone';
	enterpriseId: number | null;
	visitNo: string | null;
	departments: DemoDepartmentRow[];
	invitationId: number | null;
}

/** Inserts the responses, then their ratings by COPY; returns how many ratings. */
async function writeResponses(
	ctx: DemoContext,
	campaignId: number,
	list: readonly Rated[]
): Promise<number> {
	const ids = new Map<string, number>();
	for (const part of chunked([...list]))
		for (const r of await ctx.tx
			.insert(surveyResponse)
			.values(
				part.map((r) => ({
					responseKey: r.key,
					campaignId,
					channel: r.channel,
					submittedAt: r.submittedAt,
					enterpriseId: r.enterpriseId,
					interviewerId: ctx.supervisorId,
					visitId: r.visitNo
				}))
			)
			.returning({ id: surveyResponse.id, key: surveyResponse.responseKey }))
			ids.set(r.key, r.id);
	const ratings: Cell[][] = [];
	const answers: (typeof invitationAnswer.$inferInsert)[] = [];
	for (const r of list)
		for (const d of r.departments) {
			const responseId = ids.get(r.key)!;
			ratings.push([
				responseId,
				d.id,
				campaignId,
				...Array.from({ length: SLOTS }, () => level(ctx.random, d))
			]);
			if (r.invitationId !== null)
				answers.push({
					invitationId: r.invitationId,
					departmentId: d.id,
					responseId,
					answeredAt: r.submittedAt
				});
		}
	await copyRows(
		ctx.tx,
		'survey_rating',
		[
			'response_id',
			'department_id',
			'campaign_id',
			...Array.from({ length: SLOTS }, (_, i) => `r${i + 1}`)
		],
		ratings
	);
	for (const part of chunked(answers)) await ctx.tx.insert(invitationAnswer).values(part);
	return ratings.length;
}

/** The departments the `k`-th respondent rates: a window on a shuffled list, so all get as many. */
function rotation(list: readonly DemoDepartmentRow[], size: number) {
	return (k: number) => Array.from({ length: size }, (_, j) => list[(k * size + j) % list.length]!);
}

async function campaignOf(
	ctx: DemoContext,
	input: Record<string, unknown>,
	window: { opens: string; closes: string }
) {
	const c = await campaigns.createCampaign(ctx.tx, createCampaignSchema.parse(input), ctx.actor);
	// Its dates as they were, not the day the demo was loaded.
	await ctx.tx
		.update(campaign)
		.set({
			opensOn: window.opens,
			closesOn: window.closes,
			updatedAt: at(window.opens, OPENS)
		})
		.where(eq(campaign.id, c.id));
	return c;
}

/** Opens and closes a campaign, then dates both as they happened. */
async function runCampaign(
	ctx: DemoContext,
	code: string,
	id: number,
	window: { opens: string; closes: string },
	between: () => Promise<void>
) {
	await campaigns.changeState(ctx.tx, code, 'open', ctx.actor);
	await between();
	await campaigns.changeState(ctx.tx, code, 'close', ctx.actor);
	await ctx.tx
		.update(campaign)
		.set({ openedAt: at(window.opens, OPENS), closedAt: at(window.closes, CLOSES) })
		.where(eq(campaign.id, id));
}

/** The problems raised on a year's visits, in the states the year's end found them. */
function problemsOf(
	ctx: DemoContext,
	year: number,
	visits: readonly { id: number; visitedOn: string }[]
) {
	const { random } = ctx;
	const last = year === DEMO_YEARS.at(-1);
	const problems: {
		row: typeof visitProblem.$inferInsert;
		departments: (typeof visitProblemDepartment.$inferInsert)[];
		satisfiedOn: string | null;
	}[] = [];
	let n = 0;
	for (const v of visits) {
		if (!random.chance(0.12)) continue;
		const t = random.pick(PROBLEM_TEXTS);
		const involved = random
			.sample(ctx.departments.length, random.int(1, 2))
			.map((i) => ctx.departments[i]!);
		const high = random.chance(0.3);
		const raisedAt = at(v.visitedOn, CLOSES);
		// Handled after a few weeks; the latest of the last year are still under way.
		const age =
			(new Date(`${year}-12-31`).getTime() - new Date(v.visitedOn).getTime()) / 86_400_000;
		const state =
			!last || age > 60
				? 'closed'
				: age > 30
					? high
						? 'instructed'
						: 'brigade'
					: age > 10
						? high
							? 'escalated'
							: 'brigade'
						: 'raised';
		const due = addDays(v.visitedOn, 30);
		const handled = at(addDays(v.visitedOn, random.int(12, 28)), OPENS + 60);
		const row: typeof visitProblem.$inferInsert = {
			problemNo: formatProblemNo(year, ++n),
			visitId: v.id,
			description: t.text,
			category: t.category,
			scope: high ? 'widespread' : random.chance(0.5) ? 'several' : 'single',
			highImpact: high,
			state,
			createdBy: ctx.supervisorId,
			createdAt: raisedAt
		};
		if (state !== 'raised') {
			if (high) {
				Object.assign(row, {
					leaderId: ctx.leaderId,
					escalatedAt: at(addDays(v.visitedOn, 2), OPENS)
				});
				if (state !== 'escalated')
					Object.assign(row, {
						instruction: '请相关部门限期协调解决，并向企业反馈',
						instructedAt: at(addDays(v.visitedOn, 5), OPENS),
						dueOn: due
					});
			} else Object.assign(row, { assigneeId: ctx.supervisorId, dueOn: due });
		}
		if (state === 'closed')
			Object.assign(row, {
				settlement: high ? null : '效能监察大队协调有关部门解决，企业表示满意',
				settledAt: handled,
				closedAt: at(addDays(v.visitedOn, 35), OPENS)
			});
		const assigned = high && (state === 'instructed' || state === 'closed');
		problems.push({
			row,
			departments: involved.map((d) => ({
				problemId: 0,
				departmentId: d.id,
				involved: true,
				assigned,
				...(assigned && state === 'closed'
					? { report: '已按市领导批示办结并向企业反馈', reportedAt: handled }
					: {})
			})),
			satisfiedOn: state === 'closed' ? addDays(v.visitedOn, 33) : null
		});
	}
	return problems;
}

export async function write(
	ctx: DemoContext
): Promise<{ responses: number; ratings: number; visits: number; problems: number }> {
	const { tx, random } = ctx;
	let responses = 0;
	let ratings = 0;
	let visitCount = 0;
	let problemCount = 0;
	const shuffled = random.shuffle(ctx.departments);
	for (const year of DEMO_YEARS) {
		// The thousand-enterprise visits, April to November.
		const window = { opens: `${year}-04-01`, closes: `${year}-11-30` };
		const code = `zf-${year}`;
		const c = await campaignOf(
			ctx,
			{
				code,
				year,
				kind: 'enterprise_visit',
				nameZh: `${year}年走访千家民营企业`,
				nameEn: `${year} visits to a thousand private enterprises`
			},
			window
		);
		await samples.drawSample(
			tx,
			{
				...drawSampleSchema.parse({ size: VISITS_PER_YEAR, seed: year, stratify: 'township' }),
				campaignCode: code
			},
			ctx.actor
		);
		await runCampaign(ctx, code, c.id, window, async () => {
			await invitations.createInvitations(tx, code, ctx.actor);
			const units = await tx
				.select({
					enterpriseId: sampleUnit.enterpriseId,
					invitationId: invitation.id,
					cardNo: invitation.cardNo
				})
				.from(sampleUnit)
				.innerJoin(invitation, eq(invitation.sampleUnitId, sampleUnit.id))
				.where(eq(sampleUnit.campaignId, c.id))
				.orderBy(sampleUnit.position);
			const days = weekdays(window.opens, window.closes);
			const planned = units.map((u, i) => ({
				u,
				visitNo: formatVisitNo(year, i + 1),
				visitedOn: days[Math.floor((i * days.length) / units.length)]!
			}));
			const stored = new Map<string, number>();
			for (const part of chunked(planned))
				for (const r of await tx
					.insert(visit)
					.values(
						part.map((p) => ({
							visitNo: p.visitNo,
							clientKey: `demo-${p.visitNo}`,
							campaignId: c.id,
							enterpriseId: p.u.enterpriseId!,
							visitedOn: p.visitedOn,
							contactCardNo: p.u.cardNo,
							gaveInstructions: true,
							gaveHandbook: true,
							investorCard: random.chance(0.6),
							createdBy: ctx.supervisorId,
							createdAt: at(p.visitedOn, CLOSES)
						}))
					)
					.returning({ id: visit.id, visitNo: visit.visitNo }))
					stored.set(r.visitNo, r.id);
			const members = planned.flatMap((p) => [
				{
					visitId: stored.get(p.visitNo)!,
					position: 1,
					name: personName(random),
					role: 'supervisor' as const
				},
				{
					visitId: stored.get(p.visitNo)!,
					position: 2,
					name: personName(random),
					role: 'volunteer' as const
				}
			]);
			for (const part of chunked(members)) await tx.insert(visitMember).values(part);
			const breaches = planned
				.filter(() => random.chance(0.04))
				.map((p) => ({
					visitId: stored.get(p.visitNo)!,
					departmentId: random.pick(ctx.departments).id,
					note: '未落实客商证优先办理'
				}));
			if (breaches.length > 0) await tx.insert(visitInvestorBreach).values(breaches);

			const rate = rotation(shuffled, DEPARTMENTS_PER_VISIT);
			ratings += await writeResponses(
				ctx,
				c.id,
				planned.map((p, k) => ({
					key: `demo-${p.visitNo}`,
					submittedAt: at(p.visitedOn, random.int(OPENS, CLOSES)),
					channel: 'field',
					enterpriseId: p.u.enterpriseId,
					visitNo: p.visitNo,
					departments: rate(k + year),
					invitationId: p.u.invitationId
				}))
			);
			responses += planned.length;
			visitCount += planned.length;

			const problems = problemsOf(
				ctx,
				year,
				planned.map((p) => ({ id: stored.get(p.visitNo)!, visitedOn: p.visitedOn }))
			);
			for (const p of problems) {
				const [row] = await tx
					.insert(visitProblem)
					.values(p.row)
					.returning({ id: visitProblem.id });
				await tx
					.insert(visitProblemDepartment)
					.values(p.departments.map((d) => ({ ...d, problemId: row!.id })));
				if (p.satisfiedOn)
					await tx.insert(visitProblemReturn).values({
						problemId: row!.id,
						visitedOn: p.satisfiedOn,
						satisfied: true,
						note: '企业对处理结果表示满意',
						createdBy: ctx.supervisorId
					});
			}
			problemCount += problems.length;
		});

		// The thousand-person evaluation: unannounced telephone calls, September to November.
		const phoneWindow = { opens: `${year}-09-01`, closes: `${year}-11-30` };
		const phoneCode = `cp-${year}`;
		const p = await campaignOf(
			ctx,
			{
				code: phoneCode,
				year,
				kind: 'public_evaluation',
				nameZh: `${year}年千人测评执纪执法单位`,
				nameEn: `${year} thousand-person evaluation of law-enforcement units`
			},
			phoneWindow
		);
		await runCampaign(ctx, phoneCode, p.id, phoneWindow, async () => {
			const days = weekdays(phoneWindow.opens, phoneWindow.closes);
			const rate = rotation(shuffled, DEPARTMENTS_PER_CALL);
			ratings += await writeResponses(
				ctx,
				p.id,
				Array.from({ length: CALLS_PER_YEAR }, (_, k) => ({
					key: `demo-${phoneCode}-${k + 1}`,
					submittedAt: at(random.pick(days), random.int(OPENS, CLOSES)),
					channel: 'phone' as const,
					enterpriseId: null,
					visitNo: null,
					departments: rate(k),
					invitationId: null
				}))
			);
			responses += CALLS_PER_YEAR;
		});
	}
	await audited(ctx, 'visit', { created: visitCount });
	await audited(ctx, 'problem', { created: problemCount });
	await audited(ctx, 'survey_response', { created: responses, ratings });
	return { responses, ratings, visits: visitCount, problems: problemCount };
}
