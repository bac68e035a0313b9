// The demo city's pure parts (src/lib/server/demo, docs/demo.md): the seeded randomness is
// reproducible, the whole-number splits add up, every generated USCC is valid, the catalogue
// has the departments the demo promises, and the handbook plan gives the seed report's figures.
import { describe, expect, it } from 'vitest';
import { isValidUscc } from '$lib/domain/uscc';
import { isValidDepartmentCode } from '$lib/schemas/departments';
import { CENTER_DEPARTMENTS, DEPARTMENTS, MUNICIPAL, VERTICAL } from '$lib/server/demo/catalogue';
import { HANDBOOK } from '$lib/server/demo/figures';
import { plan } from '$lib/server/demo/handbook';
import { enterpriseNames } from '$lib/server/demo/names';
import { adjustToSum, apportion, createRandom } from '$lib/server/demo/prng';
import { DIVISION, makeUscc } from '$lib/server/demo/uscc';

const draws = (seed: number, n = 20) => {
	const r = createRandom(seed);
	return Array.from({ length: n }, () => r.next());
};

describe('seeded randomness', () => {
	it('gives the same sequence for the same seed and another for another seed', () => {
		expect(draws(42)).toEqual(draws(42));
		expect(draws(42)).not.toEqual(draws(43));
		for (const x of draws(7, 1000)) {
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
		}
	});

	it('forks by label, reproducibly, independently of draws made before', () => {
		const a = createRandom(1);
		a.next();
		const b = createRandom(1);
		expect(a.fork('cases').next()).toBe(b.fork('cases').next());
		expect(createRandom(1).fork('cases').next()).not.toBe(createRandom(1).fork('visits').next());
	});

	it('samples distinct indices in order, and shuffles without losing any', () => {
		const r = createRandom(3);
		const s = r.sample(100, 30);
		expect(new Set(s).size).toBe(30);
		expect([...s].sort((x, y) => x - y)).toEqual(s);
		expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
	});

	it.each([
		[107_124, [1, 1.2, 1.4, 0.3]],
		[7, [1, 1, 1]],
		[0, [2, 5]]
	])('apportions %i exactly', (total, parts) => {
		const out = apportion(total, parts);
		expect(out.reduce((s, n) => s + n, 0)).toBe(total);
		expect(out).toHaveLength(parts.length);
	});

	it('adjusts numbers to a sum within their bounds, and refuses an unreachable one', () => {
		const r = createRandom(5);
		const out = adjustToSum([5, 5, 5, 5], 30, 1, [10, 6, 10, 10], r);
		expect(out.reduce((s, n) => s + n, 0)).toBe(30);
		expect(out[1]).toBeLessThanOrEqual(6);
		expect(() => adjustToSum([1, 1], 50, 1, 10, r)).toThrow();
	});
});

describe('demo enterprises', () => {
	it('get valid, distinct codes registered in the city', () => {
		const r = createRandom(11);
		const codes = Array.from({ length: 1000 }, () => makeUscc(r));
		expect(codes.filter((c) => !isValidUscc(c))).toEqual([]);
		expect(codes.every((c) => c.slice(2, 8) === DIVISION)).toBe(true);
		expect(new Set(codes).size).toBeGreaterThan(995);
	});

	it('get 1,000 distinct names', () => {
		const names = enterpriseNames(createRandom(12), 1000);
		expect(new Set(names.map((n) => n.name)).size).toBe(1000);
		expect(names.every((n) => n.name.startsWith('永安市'))).toBe(true);
	});
});

describe('demo catalogue', () => {
	it('has 40 municipal and 15 vertically-managed departments, codes valid and distinct', () => {
		expect(MUNICIPAL).toHaveLength(40);
		expect(VERTICAL).toHaveLength(15);
		expect(new Set(DEPARTMENTS.map((d) => d.code)).size).toBe(55);
		expect(DEPARTMENTS.filter((d) => !isValidDepartmentCode(d.code))).toEqual([]);
		expect(VERTICAL.every((d) => d.superiorAuthority)).toBe(true);
		expect(MUNICIPAL.some((d) => d.superiorAuthority)).toBe(false);
	});

	it('has the 37 departments of the service center, whose items fill the handbook', () => {
		expect(CENTER_DEPARTMENTS).toHaveLength(HANDBOOK.departments);
	});
});

describe('demo handbook plan', () => {
	const figures = (items: ReturnType<typeof plan>['before']) => ({
		items: items.length,
		prerequisites: items.reduce((s, i) => s + i.prerequisites.length, 0),
		promisedDays: items.reduce((s, i) => s + i.promisedWorkingDays, 0),
		instant: items.filter((i) => i.promisedWorkingDays === 0).length
	});

	it.each([1, 2, 20_040_630])('gives the seed report figures (seed %i)', (seed) => {
		const p = plan(createRandom(seed));
		expect(figures(p.before)).toEqual(HANDBOOK.before);
		expect(figures(p.after)).toEqual(HANDBOOK.after);
		// The reform keeps items, never lengthens a limit nor adds a prerequisite.
		const before = new Map(p.before.map((i) => [i.itemCode, i]));
		for (const i of p.after) {
			const old = before.get(i.itemCode)!;
			expect(i.promisedWorkingDays).toBeLessThanOrEqual(old.promisedWorkingDays);
			expect(old.prerequisites.slice(0, i.prerequisites.length)).toEqual(i.prerequisites);
		}
		expect(new Set(p.before.map((i) => i.itemCode)).size).toBe(640);
	});

	it('is the same for the same seed', () => {
		expect(plan(createRandom(9))).toEqual(plan(createRandom(9)));
	});
});
