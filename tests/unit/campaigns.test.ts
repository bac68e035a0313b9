// A campaign's life and plan: the state machine, what each state lets change, who may learn of a
// campaign, and the plan's input schemas (targets as the command line writes them, the page's
// form with its checkbox groups, quotas).
import { describe, expect, it } from 'vitest';
import {
	editable,
	mayLearnOf,
	openProblem,
	transition,
	type CampaignState
} from '$lib/domain/campaigns';
import type { Role } from '$lib/domain/roles';
import { issueCode } from '$lib/errors';
import { campaignPlanSchema, quotasSchema, targetsArgSchema } from '$lib/schemas/campaigns';

describe('transition', () => {
	it.each([
		['draft', 'open', { ok: true, state: 'active' }],
		['active', 'open', { ok: false, code: 'campaign_not_draft' }],
		['closed', 'open', { ok: false, code: 'campaign_not_draft' }],
		['active', 'close', { ok: true, state: 'closed' }],
		['draft', 'close', { ok: false, code: 'campaign_not_active' }],
		['closed', 'close', { ok: false, code: 'campaign_not_active' }]
	] as const)('%s + %s → %j', (state, action, expected) => {
		expect(transition(state, action)).toEqual(expected);
	});
});

describe('editable', () => {
	it.each([
		['draft', { settings: true, closesOn: true, quotas: true }],
		['active', { settings: false, closesOn: true, quotas: true }],
		['closed', { settings: false, closesOn: false, quotas: false }]
	] as const)('%s', (state, expected) => {
		expect(editable(state)).toEqual(expected);
	});
});

describe('openProblem', () => {
	it.each([
		[{ targets: 'all', selected: 0 }, null],
		[{ targets: 'municipal', selected: 0 }, null],
		[{ targets: 'selected', selected: 0 }, 'campaign_no_targets'],
		[{ targets: 'selected', selected: 3 }, null]
	] as const)('%j → %s', (c, expected) => {
		expect(openProblem(c)).toBe(expected);
	});
});

describe('mayLearnOf (unannounced campaigns)', () => {
	const roles: Role[] = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise', 'public'];
	const states: CampaignState[] = ['draft', 'active', 'closed'];
	const expected: Record<Role, Record<CampaignState, boolean>> = {
		admin: { draft: true, active: true, closed: true },
		supervisor: { draft: true, active: true, closed: true },
		leader: { draft: true, active: true, closed: true },
		liaison: { draft: false, active: false, closed: true },
		enterprise: { draft: false, active: false, closed: false },
		public: { draft: false, active: false, closed: false }
	};
	it.each(roles.flatMap((r) => states.map((s) => [r, s] as const)))('%s, %s', (role, state) => {
		expect(mayLearnOf(role, state)).toBe(expected[role][state]);
	});
});

describe('targetsArgSchema', () => {
	it.each([
		['all', { targets: 'all', departments: [] }],
		[' municipal ', { targets: 'municipal', departments: [] }],
		['vertical', { targets: 'vertical', departments: [] }],
		['BM01', { targets: 'selected', departments: ['BM01'] }],
		['BM01; BM02;BM01;', { targets: 'selected', departments: ['BM01', 'BM02'] }]
	])('%j', (raw, expected) => {
		expect(targetsArgSchema.parse(raw)).toEqual(expected);
	});

	it.each(['', ';', 'a b', 'BM01;bad code', '/x'])('refuses %j', (raw) => {
		const r = targetsArgSchema.safeParse(raw);
		expect(r.success).toBe(false);
		expect(issueCode(r.error!.issues[0]!)).toBe('campaign_targets');
	});
});

describe('campaignPlanSchema', () => {
	const base = { weight: '1', targets: 'all', channels: 'phone' };

	it('reads one checkbox as a list, several as they come, in the channels’ own order', () => {
		expect(campaignPlanSchema.parse(base)).toMatchObject({ channels: ['phone'], departments: [] });
		expect(
			campaignPlanSchema.parse({ ...base, channels: ['paper', 'field'], departments: ['A', 'B'] })
		).toMatchObject({ channels: ['field', 'paper'], departments: ['A', 'B'] });
	});

	it.each([
		[{ ...base, channels: undefined }, 'channels', 'campaign_channels'],
		[{ ...base, channels: ['fax'] }, 'channels', 'response_channel'],
		[{ ...base, targets: 'some' }, 'targets', 'campaign_targets'],
		[{ ...base, opensOn: '2026-05-01', closesOn: '2026-04-30' }, 'closesOn', 'campaign_dates'],
		[{ ...base, opensOn: '2026-02-30' }, 'opensOn', 'date']
	])('%j → %s: %s', (input, path, code) => {
		const r = campaignPlanSchema.safeParse(input);
		expect(r.success).toBe(false);
		const issue = r.error!.issues.find((i) => i.path[0] === path)!;
		expect(issueCode(issue)).toBe(code);
	});

	it('takes blank dates as none and equal dates as a one-day campaign', () => {
		expect(campaignPlanSchema.parse({ ...base, opensOn: '', closesOn: ' ' })).toMatchObject({
			opensOn: undefined,
			closesOn: undefined
		});
		expect(
			campaignPlanSchema.parse({ ...base, opensOn: '2026-05-01', closesOn: '2026-05-01' })
		).toMatchObject({ opensOn: '2026-05-01', closesOn: '2026-05-01' });
	});
});

describe('quotasSchema', () => {
	it('reads department and category quotas, ignoring blanks and other fields', () => {
		expect(
			quotasSchema.parse({
				quota_BM01: '30',
				quota_BM02: '',
				quota_category_vertical: ' 12 ',
				other: 'x'
			})
		).toEqual({ departments: { BM01: 30 }, categories: { vertical: 12 } });
	});

	it.each(['0', '-1', '1.5', 'ten', '1000001'])('refuses %j with the field named', (v) => {
		const r = quotasSchema.safeParse({ quota_BM01: v });
		expect(r.success).toBe(false);
		expect(r.error!.issues[0]!.path).toEqual(['quota_BM01']);
		expect(issueCode(r.error!.issues[0]!)).toBe('campaign_quota');
	});
});
