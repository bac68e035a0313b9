// The visit record's form (issue 9 §5): the enterprise and date, the team, the materials handed
// out, the investor-card check and the problems raised. The form has a fixed number of team and
// problem rows, so it works without JavaScript; blank rows are no one and no problem. One schema
// for the tablet's own check and the server's.
import { z } from 'zod';
import { checkbox, manyValues } from './form-values';
import { problem } from '$lib/errors';
import { dateSchema } from './calendar';
import { CODE_MAX } from './departments';
import { usccCell } from './enterprises';
import { problemSchema, type ProblemInput } from './problems';
import { pageNumber } from './query';

/** Rows the form offers: a visit's team, and the problems raised on it (more can follow later). */
export const VISIT_TEAM_ROWS = 6;
export const VISIT_PROBLEM_ROWS = 4;
export const MEMBER_NAME_MAX = 50;
export const CARD_NO_MAX = 64;
export const VISIT_NOTES_MAX = 2000;
/** The idempotency key the tablet keeps for one visit (a UUID). */
export const CLIENT_KEY_MAX = 64;

export const MEMBER_ROLES = ['supervisor', 'volunteer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const INVESTOR_CARD_ANSWERS = ['yes', 'no', 'not_asked'] as const;

const text = (max: number) =>
	z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().max(max, 'too_long'));
/** Department codes ticked (the investor-card breaches). */
const codes = manyValues(z.string().trim().min(1).max(CODE_MAX));

/** Field names of the form's rows. */
export const memberField = (i: number, part: 'name' | 'role') => `member_${part}_${i}`;
export const problemField = (
	i: number,
	part: 'description' | 'category' | 'scope' | 'impact' | 'd'
) => `problem_${part}_${i}`;

/** A problem row's parts, as `problemSchema` names them. */
const ROW_PARTS = {
	description: 'description',
	category: 'category',
	scope: 'scope',
	high_impact: 'impact',
	department_ids: 'd'
} as const;

/**
 * The first `count` problem rows of a form, each read by `problemSchema` (departments by id) with
 * its problems said at the row's own fields; a row left blank is no problem, unless something
 * else of it was filled in.
 */
function problemRows(form: Record<string, unknown>, ctx: z.RefinementCtx, count: number) {
	const out: ProblemInput[] = [];
	for (let i = 0; i < count; i++) {
		const row = Object.fromEntries(
			Object.entries(ROW_PARTS).map(([key, part]) => [key, form[problemField(i, part)]])
		);
		const blank = (v: unknown) =>
			v === undefined ||
			(typeof v === 'string' && v.trim() === '') ||
			(Array.isArray(v) && v.length === 0);
		if (blank(row.description) && blank(row.department_ids)) continue;
		const r = problemSchema.safeParse(row);
		if (r.success) out.push(r.data);
		else
			for (const issue of r.error.issues) {
				const part = ROW_PARTS[issue.path[0] as keyof typeof ROW_PARTS] ?? 'description';
				ctx.addIssue({ ...issue, path: [problemField(i, part)], input: undefined } as never);
			}
	}
	return out;
}

export const visitSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
	const read = <T extends z.ZodType>(name: string, schema: T): z.output<T> | undefined => {
		const r = schema.safeParse(form[name]);
		if (r.success) return r.data;
		for (const issue of r.error.issues)
			ctx.addIssue({ ...issue, path: [name], input: undefined } as never);
		return undefined;
	};
	const responseKey = read(
		'response_key',
		z.string({ error: 'required' }).trim().min(8, 'required').max(CLIENT_KEY_MAX)
	);
	const campaign = read('campaign', text(CODE_MAX));
	const uscc = read('uscc', usccCell);
	const visitedOn = read('visited_on', dateSchema);
	const contactCardNo = read('contact_card_no', text(CARD_NO_MAX));
	const investorCard = read('investor_card', z.enum(INVESTOR_CARD_ANSWERS, { error: 'required' }));
	const breaches = read('breach', codes) ?? [];
	if (investorCard !== 'yes' && breaches.length > 0)
		problem(ctx, 'visit_breach_without_card', {}, ['breach']);
	const members: { name: string; role: MemberRole }[] = [];
	let named = 0;
	for (let i = 0; i < VISIT_TEAM_ROWS; i++) {
		const name = read(memberField(i, 'name'), text(MEMBER_NAME_MAX));
		if (!name) continue;
		named++;
		const role = read(memberField(i, 'role'), z.enum(MEMBER_ROLES, { error: 'required' }));
		if (role) members.push({ name, role });
	}
	if (named === 0) problem(ctx, 'visit_team_required', {}, [memberField(0, 'name')]);
	const problems = problemRows(form, ctx, VISIT_PROBLEM_ROWS);
	return {
		responseKey: responseKey ?? '',
		campaign: campaign || null,
		uscc: uscc ?? '',
		visitedOn: visitedOn ?? '',
		contactCardNo: contactCardNo || null,
		gaveInstructions: checkbox.parse(form.gave_instructions),
		gaveHandbook: checkbox.parse(form.gave_handbook),
		investorCard: investorCard === 'yes' ? true : investorCard === 'no' ? false : null,
		breaches: [...new Set(breaches)],
		members,
		notes: read('notes', text(VISIT_NOTES_MAX)) ?? '',
		problems
	};
});
export type VisitInput = z.output<typeof visitSchema>;

/** More problems raised on a visit already recorded (the visit's page): the same rows. */
export const moreProblemsSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
	const description = form[problemField(0, 'description')];
	if (typeof description !== 'string' || description.trim() === '')
		problem(ctx, 'required', {}, [problemField(0, 'description')]);
	return problemRows(form, ctx, 1);
});

/** The visits list's query string: a bad value falls back (no filter, the first page). */
export const visitListQuerySchema = z.object({
	campaign: z.string().trim().max(CODE_MAX).catch(''),
	q: z.string().trim().max(100).catch(''),
	from: dateSchema.optional().catch(undefined),
	to: dateSchema.optional().catch(undefined),
	page: pageNumber
});
