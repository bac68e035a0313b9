// What changes between two snapshots of a year, department by department: what a leader sees
// before publishing a draft (against the current published revision, or nothing before the
// first publication).
import { canonicalJson } from './canonical';
import { roundHalfAwayFromZero, type Category, type Outcome } from './scoring';
import type { DepartmentResult, SnapshotContent } from './snapshot';

export interface DepartmentStanding {
	category: Category;
	rank: number | null;
	rankFromBottom: number | null;
	total: number | null;
	outcomes: Outcome[];
}

export interface DepartmentChange {
	code: string;
	nameZh: string;
	nameEn: string;
	/** `added`: only in the new snapshot; `removed`: only in the old one (exempt, inactive). */
	status: 'added' | 'removed' | 'changed' | 'unchanged';
	before: DepartmentStanding | null;
	after: DepartmentStanding | null;
	categoryChanged: boolean;
	rankChanged: boolean;
	totalChanged: boolean;
	outcomesChanged: boolean;
	/** after.total − before.total, full precision; null unless both totals exist. */
	totalDelta: number | null;
}

export interface SnapshotDiff {
	/** Every department of either snapshot: the new order first, then those removed. */
	departments: DepartmentChange[];
	/** Departments whose status is not `unchanged`. */
	changed: number;
	settingsChanged: boolean;
}

function standing(d: DepartmentResult): DepartmentStanding {
	return {
		category: d.category,
		rank: d.rank,
		rankFromBottom: d.rankFromBottom,
		total: d.scores.total,
		outcomes: d.outcomes
	};
}

// Totals are compared at the precision the ranking uses, so float noise from a recomputation
// is not reported as a change.
const sameTotal = (a: number | null, b: number | null) =>
	a === null || b === null ? a === b : roundHalfAwayFromZero(a, 4) === roundHalfAwayFromZero(b, 4);

const sameOutcomes = (a: readonly Outcome[], b: readonly Outcome[]) =>
	a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Per-department changes of rank, total, category and outcomes from `from` to `to`. */
export function diffSnapshots(from: SnapshotContent | null, to: SnapshotContent): SnapshotDiff {
	const old = new Map((from?.departments ?? []).map((d) => [d.code, d]));
	const seen = new Set<string>();
	const departments: DepartmentChange[] = [];
	for (const d of to.departments) {
		seen.add(d.code);
		const o = old.get(d.code);
		const after = standing(d);
		if (!o) {
			departments.push({
				code: d.code,
				nameZh: d.nameZh,
				nameEn: d.nameEn,
				status: 'added',
				before: null,
				after,
				categoryChanged: false,
				rankChanged: false,
				totalChanged: false,
				outcomesChanged: after.outcomes.length > 0,
				totalDelta: null
			});
			continue;
		}
		const before = standing(o);
		const categoryChanged = before.category !== after.category;
		const rankChanged =
			before.rank !== after.rank || before.rankFromBottom !== after.rankFromBottom;
		const totalChanged = !sameTotal(before.total, after.total);
		const outcomesChanged = !sameOutcomes(before.outcomes, after.outcomes);
		const changed = categoryChanged || rankChanged || totalChanged || outcomesChanged;
		departments.push({
			code: d.code,
			nameZh: d.nameZh,
			nameEn: d.nameEn,
			status: changed ? 'changed' : 'unchanged',
			before,
			after,
			categoryChanged,
			rankChanged,
			totalChanged,
			outcomesChanged,
			totalDelta: before.total === null || after.total === null ? null : after.total - before.total
		});
	}
	for (const o of from?.departments ?? []) {
		if (seen.has(o.code)) continue;
		const before = standing(o);
		departments.push({
			code: o.code,
			nameZh: o.nameZh,
			nameEn: o.nameEn,
			status: 'removed',
			before,
			after: null,
			categoryChanged: false,
			rankChanged: false,
			totalChanged: false,
			outcomesChanged: before.outcomes.length > 0,
			totalDelta: null
		});
	}
	return {
		departments,
		changed: departments.filter((d) => d.status !== 'unchanged').length,
		settingsChanged: from !== null && canonicalJson(from.settings) !== canonicalJson(to.settings)
	};
}
