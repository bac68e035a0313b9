// The value axis of a ranking chart: totals lie close together (78–95, say), and on a 0–100 axis
// their bars would look alike, so the axis starts at a round number a little under the lowest
// total (the caption says where) and ends at the next round number over the highest.

const STEP = 5;

/** From a multiple of 5 at least 5 under the lowest value (not below 0) to one over the highest. */
export function fittedAxis(values: readonly number[]): { min: number; max: number } {
	if (values.length === 0) return { min: 0, max: 100 };
	const low = Math.min(...values);
	const high = Math.max(...values);
	const min = Math.max(0, Math.floor((low - STEP) / STEP) * STEP);
	const max = Math.max(min + STEP, Math.ceil((high + 0.01) / STEP) * STEP);
	return { min, max: high <= 100 ? Math.min(100, max) : max };
}
