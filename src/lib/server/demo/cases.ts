// The service center's cases (办件) from its opening to the end of 2004: as many accepted, and
// completed by 30 June 2004, as the seed report counts (./figures CASES), each naming an item of
// the handbook edition of its year with that item's promised working days. Mostly on time; the
// departments that serve worse are late more often. Written by COPY, one audit entry.
import type { Actor } from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { copyRows, type Cell } from './bulk';
import { addDays, at, CLOSES, OPENS, weekdays } from './calendar';
import { audited, type DemoDepartmentRow } from './context';
import { CASES, HANDBOOK } from './figures';
import type { HandbookPlan, PlannedItem } from './handbook';
import { apportion, type Random } from './prng';

/** Busy windows: the registration and tax departments see the most cases. */
const VOLUME: Record<string, number> = { gsgl: 6, gsj: 5, dsj: 5, gaj: 5, jjdd: 4, zjj: 3 };

interface CaseRow {
	caseNo: string;
	departmentId: number;
	item: PlannedItem;
	acceptedAt: Date;
	completedAt: Date | null;
}

/** The cases of one day's count, numbered on from `seq`. */
function dayCases(
	day: string,
	count: number,
	random: Random,
	pickDepartment: () => DemoDepartmentRow,
	itemsOf: (code: string) => PlannedItem[],
	nextNo: () => string
): CaseRow[] {
	const out: CaseRow[] = [];
	for (let i = 0; i < count; i++) {
		const d = pickDepartment();
		const item = random.pick(itemsOf(d.code));
		const minute = random.int(OPENS, CLOSES - 30);
		const acceptedAt = at(day, minute);
		const promised = item.promisedWorkingDays;
		let completedAt: Date;
		if (promised === 0) {
			completedAt = at(day, Math.min(CLOSES, minute + random.int(5, 90)));
		} else if (random.chance(0.004 + 0.05 * (1 - d.quality))) {
			// Late: well past the promise whatever the calendar.
			completedAt = at(
				addDays(day, promised * 2 + 14 + random.int(0, 10)),
				random.int(OPENS, CLOSES)
			);
		} else {
			const days = random.int(0, promised);
			completedAt = at(
				addDays(day, days),
				days === 0 ? Math.min(CLOSES, minute + 60) : random.int(OPENS, CLOSES)
			);
		}
		out.push({ caseNo: nextNo(), departmentId: d.id, item, acceptedAt, completedAt });
	}
	return out;
}

export async function write(
	tx: Tx,
	actor: Actor,
	random: Random,
	departments: readonly DemoDepartmentRow[],
	handbook: HandbookPlan
): Promise<number> {
	const center = departments.filter((d) =>
		handbook.before.some((i) => i.departmentCode === d.code)
	);
	const weights = center.map((d) => [d, VOLUME[d.code] ?? 1] as const);
	const itemMaps = new Map<number, Map<string, PlannedItem[]>>();
	const itemsFor = (year: number) => {
		let map = itemMaps.get(year);
		if (!map) {
			map = new Map();
			for (const it of year >= HANDBOOK.afterYear ? handbook.after : handbook.before)
				map.set(it.departmentCode, [...(map.get(it.departmentCode) ?? []), it]);
			itemMaps.set(year, map);
		}
		return map;
	};
	const seqs = new Map<number, number>();
	const numberer = (year: number) => () => {
		const n = (seqs.get(year) ?? 0) + 1;
		seqs.set(year, n);
		return `BJ${year}-${String(n).padStart(6, '0')}`;
	};

	// Up to the report's day: exactly its count, growing as the center became known.
	const early = weekdays(CASES.opened, CASES.until);
	const perDay = apportion(
		CASES.accepted,
		early.map((_, i) => 1 + (0.4 * i) / early.length)
	);
	const later = weekdays(addDays(CASES.until, 1), '2004-12-31');
	const days = [
		...early.map((d, i) => [d, perDay[i]!] as const),
		...later.map((d) => [d, CASES.laterPerDay + random.int(-25, 25)] as const)
	];
	const rows: CaseRow[] = [];
	for (const [day, count] of days) {
		const year = Number(day.slice(0, 4));
		const map = itemsFor(year);
		rows.push(
			...dayCases(
				day,
				count,
				random,
				() => random.weighted(weights),
				(code) => map.get(code)!,
				numberer(year)
			)
		);
	}

	// By 30 June 2004 all but the report's open cases are completed: those of the last days of
	// June that are not instant stay open into July, the others finish by the end of June.
	const cutoff = at(addDays(CASES.until, 1), 0);
	const lastDays = at(addDays(CASES.until, -9), 0);
	const candidates = rows
		.map((r, i) => [r, i] as const)
		.filter(
			([r]) => r.acceptedAt >= lastDays && r.acceptedAt < cutoff && r.item.promisedWorkingDays > 0
		);
	const open = new Set(
		random.sample(candidates.length, CASES.accepted - CASES.completed).map((k) => candidates[k]![1])
	);
	const endOfJune = at(CASES.until, CLOSES);
	const yearEnd = at('2004-12-31', CLOSES);
	rows.forEach((r, i) => {
		if (open.has(i))
			r.completedAt = at(addDays(CASES.until, random.int(1, 10)), random.int(OPENS, CLOSES));
		else if (r.acceptedAt < cutoff && r.completedAt! >= cutoff)
			r.completedAt = endOfJune > r.acceptedAt ? endOfJune : r.acceptedAt;
		// The last cases of 2004 not done by the year's end are still open.
		else if (r.completedAt! > yearEnd) r.completedAt = null;
	});

	const written = await copyRows(
		tx,
		'service_case',
		[
			'case_no',
			'department_id',
			'item_code',
			'item_name',
			'accepted_at',
			'completed_at',
			'promised_working_days'
		],
		rows.map((r): Cell[] => [
			r.caseNo,
			r.departmentId,
			r.item.itemCode,
			r.item.name,
			r.acceptedAt,
			r.completedAt,
			r.item.promisedWorkingDays
		])
	);
	await audited({ tx, actor }, 'service_case', { created: written });
	return written;
}
