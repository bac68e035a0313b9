// The roles of spec/roles.md and the canonical JSON the audit chain hashes: both pure, both
// relied on by every guard and every audit entry.
import { describe, expect, it } from 'vitest';
import { canonicalJson, changedFields } from '$lib/domain/canonical';
import {
	ACCOUNT_ROLES,
	isStaff,
	needsDepartment,
	ROLES,
	seesAllDepartments,
	STAFF_ROLES,
	type Role
} from '$lib/domain/roles';

const ALL: Role[] = [...ACCOUNT_ROLES, 'public'];

describe('roles', () => {
	it('has the five account roles; public is never an account', () => {
		expect([...ACCOUNT_ROLES].sort()).toEqual(
			['admin', 'enterprise', 'leader', 'liaison', 'supervisor'].sort()
		);
		expect(ACCOUNT_ROLES).not.toContain('public');
	});

	it.each([
		['admin', true],
		['supervisor', true],
		['leader', true],
		['liaison', true],
		['enterprise', false],
		['public', false]
	] as const)('%s is staff: %s', (role, staff) => {
		expect(isStaff(role)).toBe(staff);
		expect(STAFF_ROLES.includes(role as never)).toBe(staff);
	});

	it.each(ACCOUNT_ROLES.map((r) => [r, r === 'liaison']))(
		'%s must have a department: %s',
		(role, needed) => {
			expect(needsDepartment(role)).toBe(needed);
		}
	);

	it.each([
		['admin', true],
		['supervisor', true],
		['leader', true],
		['liaison', false],
		['enterprise', false],
		['public', false]
	] as const)('%s sees every department: %s', (role, all) => {
		expect(seesAllDepartments(role)).toBe(all);
	});

	// One row per role set: exactly who is in it, as the table in spec/roles.md says.
	it.each([
		['signedIn', ['admin', 'supervisor', 'leader', 'liaison', 'enterprise']],
		['staff', ['admin', 'supervisor', 'leader', 'liaison']],
		['viewUsers', ['admin', 'leader']],
		['manageUsers', ['admin']],
		['viewSettings', ['admin', 'leader']],
		['manageSettings', ['admin']],
		['viewDepartments', ['admin', 'supervisor', 'leader', 'liaison']],
		['manageDepartments', ['admin', 'supervisor']],
		['auditLog', ['admin']],
		['manageEnterprises', ['admin', 'supervisor']],
		['viewEnterprises', ['admin', 'supervisor', 'leader']],
		['manageCalendar', ['admin', 'supervisor']],
		['viewCalendar', ['admin', 'supervisor', 'leader', 'liaison']],
		['manageCases', ['admin', 'supervisor']],
		['viewCases', ['admin', 'supervisor', 'leader']],
		['manageCampaigns', ['admin', 'supervisor']],
		['viewCampaigns', ['admin', 'supervisor', 'leader']],
		['manageQuestionnaires', ['admin', 'supervisor']],
		['viewSurveyAggregates', ['admin', 'supervisor', 'leader', 'liaison']],
		['departmentSurveys', ['liaison']],
		['recordResponses', ['admin', 'supervisor']],
		['seeRespondents', ['admin', 'supervisor']],
		['manageFindings', ['admin', 'supervisor']],
		['viewFindings', ['admin', 'supervisor', 'leader', 'liaison']],
		['disputeFindings', ['liaison']],
		['manageComplaints', ['admin', 'supervisor']],
		['viewComplaints', ['admin', 'supervisor', 'leader', 'liaison']],
		['complaintStats', ['admin', 'supervisor', 'leader']],
		['complaintWorklist', ['admin', 'supervisor', 'liaison']],
		['manageYears', ['admin']],
		['viewYears', ['admin', 'supervisor', 'leader']],
		['computeYear', ['admin', 'supervisor']],
		['publishYear', ['admin', 'leader']],
		['viewDraftRankings', ['admin', 'supervisor', 'leader']],
		['manageRectification', ['admin', 'supervisor']],
		['assignRectificationLeader', ['admin', 'supervisor', 'leader']],
		['closeRectification', ['admin', 'supervisor', 'leader']],
		['viewRectification', ['admin', 'supervisor', 'leader', 'liaison']],
		['reportRectification', ['liaison']],
		['manageVisits', ['admin', 'supervisor']],
		['viewVisits', ['admin', 'supervisor', 'leader']],
		['viewProblems', ['admin', 'supervisor', 'leader', 'liaison', 'enterprise']],
		['instructProblems', ['admin', 'leader']],
		['reportProblems', ['liaison']],
		['visitSummary', ['admin', 'supervisor', 'leader']],
		['manageHandbook', ['admin', 'supervisor']],
		['viewHandbook', ['admin', 'supervisor', 'leader', 'liaison']],
		['manageTokens', ['admin']],
		['dashboard', ['admin', 'supervisor', 'leader']],
		['home', ['supervisor', 'liaison', 'enterprise']]
	] as const)('ROLES.%s is exactly %j', (name, members) => {
		expect([...ROLES[name]].sort()).toEqual([...members].sort());
	});

	it('names every role set it defines in the test above', () => {
		expect(Object.keys(ROLES).sort()).toEqual(
			[
				'signedIn',
				'staff',
				'viewUsers',
				'manageUsers',
				'viewSettings',
				'manageSettings',
				'viewDepartments',
				'manageDepartments',
				'auditLog',
				'manageEnterprises',
				'viewEnterprises',
				'manageCalendar',
				'viewCalendar',
				'manageCases',
				'viewCases',
				'manageCampaigns',
				'viewCampaigns',
				'manageQuestionnaires',
				'viewSurveyAggregates',
				'departmentSurveys',
				'recordResponses',
				'seeRespondents',
				'manageFindings',
				'viewFindings',
				'disputeFindings',
				'manageComplaints',
				'viewComplaints',
				'complaintStats',
				'complaintWorklist',
				'manageYears',
				'viewYears',
				'computeYear',
				'publishYear',
				'viewDraftRankings',
				'manageRectification',
				'assignRectificationLeader',
				'closeRectification',
				'viewRectification',
				'reportRectification',
				'manageVisits',
				'viewVisits',
				'viewProblems',
				'instructProblems',
				'reportProblems',
				'visitSummary',
				'manageHandbook',
				'viewHandbook',
				'manageTokens',
				'dashboard',
				'home'
			].sort()
		);
	});

	it('never lets the public, an enterprise or a liaison manage anything', () => {
		for (const set of [ROLES.manageUsers, ROLES.manageSettings, ROLES.manageDepartments]) {
			for (const role of ['public', 'enterprise', 'liaison'] as const) {
				expect((set as readonly Role[]).includes(role)).toBe(false);
			}
		}
		for (const set of Object.values(ROLES))
			expect((set as readonly Role[]).includes('public')).toBe(false);
		expect(ALL).toHaveLength(6);
	});

	it('every manage set is within its view set', () => {
		for (const role of ROLES.manageSettings) expect(ROLES.viewSettings).toContain(role);
		for (const role of ROLES.manageDepartments) expect(ROLES.viewDepartments).toContain(role);
	});
});

describe('canonicalJson', () => {
	it('sorts keys at every level, whatever order they came in', () => {
		const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
		const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
		expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
		expect(canonicalJson(b)).toBe(canonicalJson(a));
	});

	it('keeps array order', () => {
		expect(canonicalJson([2, 1, 3])).toBe('[2,1,3]');
		expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
	});

	it.each([
		[
			'a Date as its ISO string',
			new Date('2025-01-02T03:04:05.678Z'),
			'"2025-01-02T03:04:05.678Z"'
		],
		['undefined as null', undefined, 'null'],
		['null', null, 'null'],
		['NaN as null', Number.NaN, 'null'],
		['Infinity as null', Number.POSITIVE_INFINITY, 'null'],
		['a bigint as a string', 12345678901234567890n, '"12345678901234567890"'],
		['a string with quotes and 中文', 'a"b 中文', '"a\\"b 中文"'],
		['false', false, 'false'],
		['zero', 0, '0']
	])('writes %s', (_label, value, expected) => {
		expect(canonicalJson(value)).toBe(expected);
	});

	it('leaves out object keys whose value is undefined, keeps null ones', () => {
		expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
	});
});

describe('changedFields', () => {
	it('lists only the fields that differ, sorted, as before/after pairs', () => {
		const before = { role: 'liaison', displayName: 'A', departmentId: 2, disabled: false };
		const after = { role: 'leader', displayName: 'A', departmentId: null, disabled: false };
		const changes = changedFields(before, after);
		expect(changes).toEqual({
			departmentId: { before: 2, after: null },
			role: { before: 'liaison', after: 'leader' }
		});
		expect(Object.keys(changes)).toEqual(['departmentId', 'role']);
	});

	it('treats a creation and a deletion as changes from and to null', () => {
		expect(changedFields(null, { a: 1 })).toEqual({ a: { before: null, after: 1 } });
		expect(changedFields({ a: 1 }, null)).toEqual({ a: { before: 1, after: null } });
		expect(changedFields(null, null)).toEqual({});
	});

	it('sees no change between null and a missing field', () => {
		expect(changedFields({ a: null }, {})).toEqual({});
		expect(changedFields({ a: undefined }, { a: null })).toEqual({});
	});

	it('compares nested values by content, not by key order or identity', () => {
		expect(changedFields({ x: { a: 1, b: [1, 2] } }, { x: { b: [1, 2], a: 1 } })).toEqual({});
		expect(changedFields({ x: { a: 1 } }, { x: { a: 2 } })).toEqual({
			x: { before: { a: 1 }, after: { a: 2 } }
		});
		expect(changedFields({ x: [1, 2] }, { x: [2, 1] })).toEqual({
			x: { before: [1, 2], after: [2, 1] }
		});
	});

	it('compares a Date with the same instant as equal, a different one as changed', () => {
		const d = '2025-01-01T00:00:00.000Z';
		expect(changedFields({ at: new Date(d) }, { at: new Date(d) })).toEqual({});
		expect(changedFields({ at: new Date(d) }, { at: d })).toEqual({});
		expect(
			changedFields({ at: new Date(d) }, { at: new Date('2025-01-02T00:00:00.000Z') })
		).toEqual({
			at: { before: d, after: '2025-01-02T00:00:00.000Z' }
		});
	});

	it('tells 0, false, "" and null apart', () => {
		expect(
			Object.keys(changedFields({ a: 0, b: false, c: '' }, { a: false, b: null, c: 0 }))
		).toEqual(['a', 'b', 'c']);
	});
});
