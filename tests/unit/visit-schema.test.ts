// The visit form's schema (issue 9 §5), which the tablet and the server both run: blank team and
// problem rows are nothing, a half-filled problem row is refused at its fields, a breach needs an
// investor card, at least one member, and the investor-card answer maps to yes / no / not asked.
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '$lib/errors';
import { usccCheckChar } from '$lib/domain/uscc';
import { moreProblemsSchema, visitSchema } from '$lib/schemas/visits';

const BODY = '91350481MA2XN0F33';

const base = {
	response_key: '0f8e4c2a-1111-4222-8333-944455556666',
	uscc: BODY + usccCheckChar(BODY),
	visited_on: '2026-03-02',
	member_name_0: '张监察',
	member_role_0: 'supervisor',
	investor_card: 'not_asked'
};

const errorsOf = (form: Record<string, unknown>) => {
	const r = visitSchema.safeParse(form);
	return r.success ? {} : fieldErrors(r.error, 'en');
};

describe('the visit form', () => {
	it('reads a minimal visit: blank rows are nothing', () => {
		const r = visitSchema.parse({ ...base, member_name_1: '  ', problem_description_2: '' });
		expect(r).toMatchObject({
			campaign: null,
			contactCardNo: null,
			investorCard: null,
			members: [{ name: '张监察', role: 'supervisor' }],
			problems: [],
			breaches: [],
			gaveInstructions: false
		});
	});

	it.each([
		['yes', true],
		['no', false],
		['not_asked', null]
	])('maps the investor-card answer %s to %s', (answer, held) => {
		expect(visitSchema.parse({ ...base, investor_card: answer }).investorCard).toBe(held);
	});

	it('reads problems with their departments (ids), deduplicated, and the high-impact box', () => {
		const r = visitSchema.parse({
			...base,
			problem_description_1: '用电报装难',
			problem_category_1: 'utilities',
			problem_scope_1: 'widespread',
			problem_impact_1: 'on',
			problem_d_1: ['7', '3', '7']
		});
		expect(r.problems).toEqual([
			{
				description: '用电报装难',
				category: 'utilities',
				scope: 'widespread',
				highImpact: true,
				departmentIds: [7, 3]
			}
		]);
	});

	it.each([
		[
			'a problem without category, scope or departments',
			{ problem_description_0: '排队' },
			['problem_category_0', 'problem_d_0', 'problem_scope_0']
		],
		[
			'departments without a description',
			{ problem_d_0: '3' },
			['problem_category_0', 'problem_description_0', 'problem_scope_0']
		],
		['a breach without an investor card', { breach: 'hzj', investor_card: 'no' }, ['breach']],
		['no team', { member_name_0: '' }, ['member_name_0']],
		['a member without a role', { member_role_0: '' }, ['member_role_0']],
		['no investor-card answer', { investor_card: undefined }, ['investor_card']],
		['a bad USCC', { uscc: '123' }, ['uscc']],
		['no date', { visited_on: '' }, ['visited_on']],
		['no key', { response_key: '' }, ['response_key']]
	])('refuses %s at its fields', (_, over, fields) => {
		expect(Object.keys(errorsOf({ ...base, ...over })).sort()).toEqual(fields);
	});

	it('wants a description for a problem added later', () => {
		expect(moreProblemsSchema.safeParse({}).success).toBe(false);
		expect(
			moreProblemsSchema.parse({
				problem_description_0: '回访时提出',
				problem_category_0: 'fees',
				problem_scope_0: 'single',
				problem_d_0: '3'
			})
		).toHaveLength(1);
	});
});
