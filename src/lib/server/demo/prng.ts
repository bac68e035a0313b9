// The demo city's randomness: a seeded generator (mulberry32), so that every run of the demo
// writes the same records and the same figures come out. Pure, no I/O.

export interface Random {
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [min, max], both included. */
	int(min: number, max: number): number;
	/** One element of a non-empty list. */
	pick<T>(list: readonly T[]): T;
	/** One element of a list of [item, weight] pairs, in proportion to the weights. */
	weighted<T>(list: readonly (readonly [T, number])[]): T;
	/** True with probability p. */
	chance(p: number): boolean;
	/** `count` distinct indices of 0 … n − 1, in increasing order. */
	sample(n: number, count: number): number[];
	/** A shuffled copy of a list (Fisher–Yates). */
	shuffle<T>(list: readonly T[]): T[];
	/** A new generator whose sequence depends on this one's seed and `label` only. */
	fork(label: string): Random;
}

/** FNV-1a of a text, as a 32-bit seed. */
export function seedOf(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

export function createRandom(seed: number): Random {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		pick: (list) => list[Math.floor(next() * list.length)]!,
		weighted(list) {
			const sum = list.reduce((s, [, w]) => s + w, 0);
			let r = next() * sum;
			for (const [item, w] of list) {
				if (r < w) return item;
				r -= w;
			}
			return list[list.length - 1]![0];
		},
		chance: (p) => next() < p,
		sample(n, count) {
			// Partial Fisher–Yates over the indices.
			const idx = Array.from({ length: n }, (_, i) => i);
			const k = Math.min(count, n);
			for (let i = 0; i < k; i++) {
				const j = i + Math.floor(next() * (n - i));
				[idx[i], idx[j]] = [idx[j]!, idx[i]!];
			}
			return idx.slice(0, k).sort((x, y) => x - y);
		},
		shuffle(list) {
			const out = [...list];
			for (let i = out.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[out[i], out[j]] = [out[j]!, out[i]!];
			}
			return out;
		},
		fork: (label) => createRandom(seedOf(`${seed}:${label}`))
	};
}

/**
 * `total` split into `parts.length` whole numbers in proportion to `parts` (largest remainder):
 * the pieces always add up to `total` exactly.
 */
export function apportion(total: number, parts: readonly number[]): number[] {
	const sum = parts.reduce((s, p) => s + p, 0);
	const exact = parts.map((p) => (sum === 0 ? 0 : (total * p) / sum));
	const out = exact.map(Math.floor);
	let left = total - out.reduce((s, n) => s + n, 0);
	const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0]);
	for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]!++;
	return out;
}

/**
 * Moves whole numbers up or down one at a time, at random positions within [min, max] each, until
 * they add up to `target`. Throws when the bounds cannot reach it.
 */
export function adjustToSum(
	values: number[],
	target: number,
	min: readonly number[] | number,
	max: readonly number[] | number,
	random: Random
): number[] {
	const lo = (i: number) => (typeof min === 'number' ? min : min[i]!);
	const hi = (i: number) => (typeof max === 'number' ? max : max[i]!);
	const out = values.map((v, i) => Math.min(hi(i), Math.max(lo(i), v)));
	const reach = out.reduce((r, _, i) => ({ lo: r.lo + lo(i), hi: r.hi + hi(i) }), { lo: 0, hi: 0 });
	if (target < reach.lo || target > reach.hi)
		throw new Error(`cannot reach ${target} within [${reach.lo}, ${reach.hi}]`);
	let sum = out.reduce((s, v) => s + v, 0);
	while (sum !== target) {
		const i = Math.floor(random.next() * out.length);
		if (sum < target && out[i]! < hi(i)) {
			out[i]!++;
			sum++;
		} else if (sum > target && out[i]! > lo(i)) {
			out[i]!--;
			sum--;
		}
	}
	return out;
}
