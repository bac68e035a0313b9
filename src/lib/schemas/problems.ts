// Input schemas of the problems raised on enterprise visits (issue 9 §6): one problem as the visit
// form records it (`problemSchema`, which the visit form reuses for each of its problems), each
// step's form of $lib/domain/visit-problems, and the list's filters. Problems are codes of
// `$lib/errors`.
import { z } from 'zod';
import { checkbox, manyValues } from './form-values';
import { COMPLAINT_CATEGORIES } from '$lib/domain/complaints';
import { FINDING_SOURCES } from '$lib/domain/findings';
import {
	PROBLEM_CATEGORIES,
	PROBLEM_SCOPES,
	PROBLEM_STATES,
	type ProblemAction
} from '$lib/domain/visit-problems';
import { dateSchema } from './calendar';
import { pointsSchema } from './findings';
import { pageNumber } from './query';

export const PROBLEM_TEXT_MAX = 4000;
export const PROBLEM_NOTE_MAX = 2000;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const requiredText = (max: number) =>
	z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long');
const optionalText = (max: number) =>
	z.preprocess(blankToUndefined, z.string().trim().max(max, 'too_long').optional());
const id = z.coerce.number({ error: 'required' }).int('required').positive('required');
const optionalDate = z.preprocess(blankToUndefined, dateSchema.optional());
/** A group of checkboxes (or a multiple select): none, one or several ids, each once. */
const ids = manyValues(id).transform((list) => [...new Set(list)]);

/** One problem an enterprise raised on a visit: what, about whom, how far it reaches. */
export const problemSchema = z
	.object({
		description: requiredText(PROBLEM_TEXT_MAX),
		category: z.enum(PROBLEM_CATEGORIES, { error: 'required' }),
		scope: z.enum(PROBLEM_SCOPES, { error: 'required' }),
		high_impact: checkbox,
		department_ids: ids.refine((list) => list.length > 0, 'problem_departments_required')
	})
	.transform((v) => ({
		description: v.description,
		category: v.category,
		scope: v.scope,
		highImpact: v.high_impact,
		departmentIds: v.department_ids
	}));
export type ProblemInput = z.infer<typeof problemSchema>;

/** Each step's form (what the supervisor, the leader or the department says with it). */
export const problemActionSchemas = {
	settle_by_brigade: z.object({ assignee: id, due_on: optionalDate }),
	escalate: z.object({ leader: id }),
	instruct: z.object({
		instruction: requiredText(PROBLEM_TEXT_MAX),
		departments: ids.refine((list) => list.length > 0, 'problem_departments_required'),
		due_on: optionalDate
	}),
	report: z.object({ report: requiredText(PROBLEM_TEXT_MAX) }),
	settle: z.object({ settlement: requiredText(PROBLEM_TEXT_MAX) }),
	return_visit: z.object({
		visited_on: dateSchema,
		satisfied: z.enum(['yes', 'no'], { error: 'required' }).transform((v) => v === 'yes'),
		note: optionalText(PROBLEM_NOTE_MAX),
		/** When not satisfied: the new deadline of whoever handles it again. */
		due_on: optionalDate
	}),
	to_complaint: z.object({
		department: id,
		category: z.enum(COMPLAINT_CATEGORIES, { error: 'required' })
	}),
	to_finding: z.object({
		department: id,
		source: z.enum(FINDING_SOURCES, { error: 'required' }),
		points: pointsSchema,
		date: optionalDate
	})
} as const satisfies Record<ProblemAction, z.ZodType>;

export type ProblemActionInput<A extends ProblemAction> = z.infer<(typeof problemActionSchemas)[A]>;

/** The list's filters (`?state=…&department=…&category=…&mine=1&page=…`); bad values: no filter. */
export const problemListQuerySchema = z.object({
	state: z.enum(PROBLEM_STATES).optional().catch(undefined),
	department: z.coerce.number().int().positive().optional().catch(undefined),
	category: z.enum(PROBLEM_CATEGORIES).optional().catch(undefined),
	mine: z
		.string()
		.optional()
		.catch(undefined)
		.transform((v) => v === '1'),
	page: pageNumber
});
