// Stratified sampling from a seed: reproducible, independent of input order, proportional.
import { describe, expect, it } from 'vitest';
import { allocate, drawSample, MAX_SEED, seededRandom, type Unit } from '$lib/domain/sampling';

/** `n` units numbered from `from`, in `stratum`. */
const units = (stratum: string, n: number, from: number): Unit[] =>
	Array.from({ length: n }, (_, i) => ({ id: from + i, stratum }));

const POPULATION: Unit[] = [
	...units('燕西街道', 50, 1),
	...units('燕东街道', 30, 101),
	...units('贡川镇', 20, 201)
];

/** A deterministic reordering of `xs` (reverse, then interleave halves). */
function reordered<T>(xs: readonly T[]): T[] {
	const r = [...xs].reverse();
	const half = Math.ceil(r.length / 2);
	const out: T[] = [];
	for (let i = 0; i < half; i++) {
		out.push(r[i]!);
		if (i + half < r.length) out.push(r[i + half]!);
	}
	return out;
}

describe('seededRandom (SplitMix64)', () => {
	it('gives the reference sequence of SplitMix64 for seed 0', () => {
		// The first outputs of SplitMix64 from state 0 (reference implementation), mod 2^32.
		const r = seededRandom(0);
		const first = [r.below(2 ** 32), r.below(2 ** 32)];
		// 0xe220a8397b1dcdaf and 0x6e789e6aa1b965f4 → low 32 bits.
		expect(first).toEqual([0x7b1dcdaf, 0xa1b965f4]);
	});

	it.each([0, 1, 42, MAX_SEED])('stays within its bound (seed %i)', (seed) => {
		const r = seededRandom(seed);
		for (let i = 0; i < 1000; i++) {
			const x = r.below(7);
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(7);
		}
	});

	it.each([-1, 1.5, MAX_SEED + 1, NaN])('refuses the seed %s', (seed) => {
		expect(() => seededRandom(seed)).toThrow(RangeError);
	});
});

describe('allocate (largest remainder)', () => {
	it.each([
		// strata sizes, size, expected shares (strata in name order)
		[{ a: 50, b: 30, c: 20 }, 10, { a: 5, b: 3, c: 2 }],
		[{ a: 50, b: 30, c: 20 }, 7, { a: 4, b: 2, c: 1 }], // 3.5, 2.1, 1.4 → +1 to a
		[{ a: 1, b: 1, c: 1 }, 2, { a: 1, b: 1, c: 0 }], // equal remainders: by name
		[{ b: 1, a: 1 }, 1, { a: 1, b: 0 }],
		[{ a: 10, b: 0 }, 5, { a: 5, b: 0 }], // an empty stratum gets nothing
		[{ a: 3, b: 2 }, 100, { a: 3, b: 2 }], // more than the population: everyone
		[{ a: 3, b: 2 }, 0, { a: 0, b: 0 }],
		[{}, 5, {}]
	] as const)('%o, %i → %o', (strata, size, expected) => {
		const got = allocate(new Map(Object.entries(strata)), size);
		expect(Object.fromEntries(got.map((g) => [g.stratum, g.share]))).toEqual(expected);
	});

	it.each([1, 2, 3, 17, 33, 64, 99, 100, 150])('sums to min(size, population) (%i)', (size) => {
		const strata = new Map([
			['x', 37],
			['y', 41],
			['z', 22]
		]);
		const got = allocate(strata, size);
		expect(got.reduce((s, g) => s + g.share, 0)).toBe(Math.min(size, 100));
		for (const g of got) {
			const quota = (Math.min(size, 100) * g.population) / 100;
			// Each stratum gets its quota rounded down or up, never more than it has.
			expect(g.share).toBeGreaterThanOrEqual(Math.floor(quota));
			expect(g.share).toBeLessThanOrEqual(Math.ceil(quota));
			expect(g.share).toBeLessThanOrEqual(g.population);
		}
	});
});

describe('drawSample', () => {
	it('draws the same sample from the same seed and population', () => {
		expect(drawSample(POPULATION, 20, 12345)).toEqual(drawSample(POPULATION, 20, 12345));
	});

	it('does not depend on the order the population comes in', () => {
		const a = drawSample(POPULATION, 20, 777);
		const b = drawSample(reordered(POPULATION), 20, 777);
		expect(b).toEqual(a);
	});

	it.each([1, 2, 3, 99])('differs with another seed (%i vs 100)', (seed) => {
		const ids = (s: number) => drawSample(POPULATION, 20, s).map((d) => d.id);
		expect(ids(seed)).not.toEqual(ids(100));
	});

	it('gives each stratum its proportional share, all distinct, from the right stratum', () => {
		const drawn = drawSample(POPULATION, 10, 5);
		expect(drawn).toHaveLength(10);
		const count = (s: string) => drawn.filter((d) => d.stratum === s).length;
		expect([count('燕西街道'), count('燕东街道'), count('贡川镇')]).toEqual([5, 3, 2]);
		expect(new Set(drawn.map((d) => d.id)).size).toBe(10);
		const stratumOf = new Map(POPULATION.map((u) => [u.id, u.stratum]));
		for (const d of drawn) expect(stratumOf.get(d.id)).toBe(d.stratum);
		expect(drawn.map((d) => d.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});

	it.each([100, 101, 1000])('takes everyone when the size is at least the population (%i)', (n) => {
		const drawn = drawSample(POPULATION, n, 9);
		expect(drawn.map((d) => d.id).sort((a, b) => a - b)).toEqual(
			POPULATION.map((u) => u.id).sort((a, b) => a - b)
		);
	});

	it('draws nothing from an empty population', () => {
		expect(drawSample([], 10, 1)).toEqual([]);
	});

	it('treats an unstratified population as one stratum', () => {
		const flat = POPULATION.map((u) => ({ id: u.id, stratum: '' }));
		const drawn = drawSample(flat, 10, 3);
		expect(drawn).toHaveLength(10);
		expect(new Set(drawn.map((d) => d.stratum))).toEqual(new Set(['']));
		expect(drawSample(reordered(flat), 10, 3)).toEqual(drawn);
	});

	it('draws every unit about equally often over many seeds', () => {
		// 10 of 20, 2,000 draws: each unit is expected 1,000 times; a biased shuffle shows here.
		const flat = units('', 20, 1);
		const hits = new Map<number, number>();
		for (let seed = 0; seed < 2000; seed++)
			for (const d of drawSample(flat, 10, seed)) hits.set(d.id, (hits.get(d.id) ?? 0) + 1);
		for (const u of flat) expect(hits.get(u.id)).toBeGreaterThan(880);
		for (const u of flat) expect(hits.get(u.id)).toBeLessThan(1120);
	});
});
