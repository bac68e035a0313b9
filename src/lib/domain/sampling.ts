// Drawing a campaign's sample of enterprises (issue 8, §3): stratified random sampling without
// replacement, reproducible from a recorded seed. Pure: the same seed and the same population
// give the same sample on any machine, whatever order the population was read in.
//
// The generator is SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014; the seeding generator of xoshiro): a 64-bit state advanced by the
// golden-ratio increment 0x9E3779B97F4A7C15 and mixed by two xor-shift-multiply rounds. It is
// computed with BigInt so that every platform gets the same bits; speed does not matter for
// samples of thousands. It is not a cryptographic generator: a sample is meant to be re-drawable
// by anyone who has the seed, not unpredictable.

/** The largest seed: seeds are stored as a bigint but handled as JavaScript numbers. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

/** A seeded generator of uniform integers. */
export interface Random {
	/** A uniform integer in [0, n), n ≥ 1 (unbiased: rejection sampling). */
	below(n: number): number;
}

/** SplitMix64 seeded with a non-negative integer of at most 53 bits. */
export function seededRandom(seed: number): Random {
	if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`bad seed ${seed}`);
	let state = BigInt(seed);
	const next64 = (): bigint => {
		state = (state + GOLDEN) & MASK64;
		let z = state;
		z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
		z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
		return z ^ (z >> 31n);
	};
	return {
		below(n: number): number {
			if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`bad bound ${n}`);
			const bound = BigInt(n);
			// Reject the top partial range of 2^64 so that every value is equally likely.
			const limit = (1n << 64n) - ((1n << 64n) % bound);
			for (;;) {
				const x = next64();
				if (x < limit) return Number(x % bound);
			}
		}
	};
}

/** One unit of the population: its id and the stratum it belongs to ('' when unstratified). */
export interface Unit {
	id: number;
	stratum: string;
}

/** Plain code-point order: the same on every machine, unlike a locale's collation. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Shares of `size` per stratum, proportional to the strata's sizes, by the largest-remainder
 * (Hamilton) method: each stratum gets the whole part of its quota, and the units left over go
 * to the largest remainders, ties broken by stratum name. The shares sum to min(size, total)
 * and no stratum gets more than it has. Strata in name order.
 */
export function allocate(
	strata: ReadonlyMap<string, number>,
	size: number
): { stratum: string; population: number; share: number }[] {
	const names = [...strata.keys()].sort(byText);
	const total = names.reduce((s, k) => s + strata.get(k)!, 0);
	const n = Math.min(Math.max(0, Math.floor(size)), total);
	if (total === 0) return names.map((stratum) => ({ stratum, population: 0, share: 0 }));
	// Integer arithmetic: quota_i = n·N_i/total, whole part and remainder (numerator mod total).
	const rows = names.map((stratum) => {
		const population = strata.get(stratum)!;
		const numerator = n * population;
		return {
			stratum,
			population,
			share: Math.floor(numerator / total),
			remainder: numerator % total
		};
	});
	let left = n - rows.reduce((s, r) => s + r.share, 0);
	const order = [...rows].sort((a, b) => b.remainder - a.remainder || byText(a.stratum, b.stratum));
	for (const r of order) {
		if (left === 0) break;
		// A remainder > 0 means share < quota ≤ population, so the extra unit exists.
		if (r.remainder > 0) {
			r.share++;
			left--;
		}
	}
	return rows.map(({ stratum, population, share }) => ({ stratum, population, share }));
}

/** A drawn unit: its id, its stratum, and its place in the order of the draw (1, 2, …). */
export interface Drawn {
	id: number;
	stratum: string;
	position: number;
}

/**
 * A stratified random sample of `size` units, without replacement, from `seed`: `size` is
 * allocated to the strata (`allocate`), then each stratum's units, sorted by id, are shuffled by
 * a Fisher–Yates pass driven by one generator for the whole draw (strata in name order), and the
 * first `share` taken. The order of the draw is stratum by stratum, in the shuffled order.
 * With `size` ≥ the population, every unit is drawn. Ids must be unique.
 */
export function drawSample(units: readonly Unit[], size: number, seed: number): Drawn[] {
	const groups = new Map<string, number[]>();
	for (const u of units) {
		const g = groups.get(u.stratum);
		if (g) g.push(u.id);
		else groups.set(u.stratum, [u.id]);
	}
	const sizes = new Map([...groups].map(([k, ids]) => [k, ids.length]));
	const random = seededRandom(seed);
	const out: Drawn[] = [];
	for (const { stratum, share } of allocate(sizes, size)) {
		const ids = groups.get(stratum)!.sort((a, b) => a - b);
		// A partial Fisher–Yates: only the first `share` places need their final unit.
		for (let i = 0; i < share; i++) {
			const j = i + random.below(ids.length - i);
			[ids[i], ids[j]] = [ids[j]!, ids[i]!];
			out.push({ id: ids[i]!, stratum, position: out.length + 1 });
		}
	}
	return out;
}

/** A fresh seed for a form or the CLI (any 53-bit value; not a secret). */
export function randomSeed(): number {
	return Math.floor(Math.random() * MAX_SEED);
}
