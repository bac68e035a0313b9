// What changes between two snapshots, as the publish page shows it before a leader publishes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Category, type Outcome } from '$lib/domain/scoring';
import { SNAPSHOT_FORMAT, type DepartmentResult, type SnapshotContent } from '$lib/domain/snapshot';
import { diffSnapshots } from '$lib/domain/snapshot-diff';

function d(
	code: string,
	rank: number | null,
	total: number | null,
	outcomes: Outcome[] = [],
	category: Category = 'municipal'
): DepartmentResult {
	return {
		code,
		nameZh: `部门${code}`,
		nameEn: `Department ${code}`,
		category,
		superiorAuthority: null,
		scores: { work: 100, convenience: 100, complaints: 100, appraisal: 100, total },
		rank,
		rankFromBottom: rank,
		outcomes,
		responses: 30,
		insufficientSample: false,
		satisfactionRate: 100,
		criticisedLastYear: false,
		inputs: {} as DepartmentResult['inputs']
	};
}

function content(departments: DepartmentResult[], settings = DEFAULT_SETTINGS): SnapshotContent {
	return {
		format: SNAPSHOT_FORMAT,
		year: 2026,
		settings,
		cutoff: '2026-12-31',
		departments,
		errors: [],
		warnings: []
	};
}

describe('diffSnapshots', () => {
	it('before the first publication every department is added', () => {
		const diff = diffSnapshots(null, content([d('a', 1, 90, ['commended']), d('b', 2, 80)]));
		expect(diff.departments.map((c) => [c.code, c.status, c.outcomesChanged])).toEqual([
			['a', 'added', true],
			['b', 'added', false]
		]);
		expect(diff.changed).toBe(2);
		expect(diff.settingsChanged).toBe(false);
	});

	it.each([
		{
			name: 'nothing changed',
			before: [d('a', 1, 90), d('b', 2, 80)],
			after: [d('a', 1, 90), d('b', 2, 80)],
			expected: [
				['a', 'unchanged', false, false, false],
				['b', 'unchanged', false, false, false]
			]
		},
		{
			name: 'float noise below the ranking precision is not a change',
			before: [d('a', 1, 0.1 + 0.2)],
			after: [d('a', 1, 0.3)],
			expected: [['a', 'unchanged', false, false, false]]
		},
		{
			name: 'a total change at the 4th decimal is a change',
			before: [d('a', 1, 90.0001)],
			after: [d('a', 1, 90.0002)],
			expected: [['a', 'changed', false, true, false]]
		},
		{
			name: 'ranks swap and outcomes move',
			before: [d('a', 1, 90, ['commended']), d('b', 2, 80, ['criticism'])],
			after: [d('b', 1, 95, ['commended']), d('a', 2, 85, ['criticism'])],
			expected: [
				['b', 'changed', true, true, true],
				['a', 'changed', true, true, true]
			]
		},
		{
			name: 'outcomes in another order are the same outcomes',
			before: [d('a', 3, 70, ['rectification', 'criticism'])],
			after: [d('a', 3, 70, ['criticism', 'rectification'])],
			expected: [['a', 'unchanged', false, false, false]]
		}
	])('$name', ({ before, after, expected }) => {
		const diff = diffSnapshots(content(before), content(after));
		expect(
			diff.departments.map((c) => [
				c.code,
				c.status,
				c.rankChanged,
				c.totalChanged,
				c.outcomesChanged
			])
		).toEqual(expected);
		expect(diff.changed).toBe(expected.filter((e) => e[1] !== 'unchanged').length);
	});

	it('lists departments added and removed, and a category change', () => {
		const diff = diffSnapshots(
			content([d('a', 1, 90), d('gone', 2, 80, ['criticism'])]),
			content([d('a', 1, 90, [], 'vertical'), d('new', 1, 85)])
		);
		expect(diff.departments.map((c) => [c.code, c.status, c.categoryChanged])).toEqual([
			['a', 'changed', true],
			['new', 'added', false],
			['gone', 'removed', false]
		]);
		const gone = diff.departments.find((c) => c.code === 'gone')!;
		expect(gone.before?.outcomes).toEqual(['criticism']);
		expect(gone.after).toBeNull();
		expect(gone.outcomesChanged).toBe(true);
	});

	it('reports the total delta and a missing total', () => {
		const diff = diffSnapshots(
			content([d('a', 1, 90), d('b', 2, 80)]),
			content([d('a', 1, 92.5), d('b', null, null)])
		);
		expect(diff.departments[0]!.totalDelta).toBeCloseTo(2.5, 12);
		expect(diff.departments[1]).toMatchObject({
			status: 'changed',
			totalDelta: null,
			rankChanged: true,
			totalChanged: true
		});
	});

	it('notices a change of settings', () => {
		const diff = diffSnapshots(
			content([d('a', 1, 90)]),
			content([d('a', 1, 90)], { ...DEFAULT_SETTINGS, rectificationBottom: 2 })
		);
		expect(diff.settingsChanged).toBe(true);
	});
});
