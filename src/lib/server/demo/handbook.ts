// The demo's handbook of approval items: the old catalogue (the 2002 and 2003 editions) and the
// reformed one (2004), planned so that the reform statistics between them are the seed report's
// (./figures HANDBOOK): some items abolished, short ones made instant, the rest with fewer
// prerequisites and shorter promised time limits. `plan` is pure; `write` stores the editions.
import type { HandbookItemKind } from '$lib/domain/handbook';
import type { Actor } from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { handbookEdition, handbookItem } from '$lib/server/db/schema';
import { chunked } from '$lib/server/imports/records';
import { CENTER_DEPARTMENTS, ITEM_ACTIONS, PREREQUISITES } from './catalogue';
import { audited } from './context';
import { HANDBOOK } from './figures';
import { adjustToSum, apportion, type Random } from './prng';

export interface PlannedItem {
	itemCode: string;
	departmentCode: string;
	name: string;
	kind: HandbookItemKind;
	promisedWorkingDays: number;
	statutoryWorkingDays: number | null;
	prerequisites: string[];
	basis: string;
}

export interface HandbookPlan {
	before: PlannedItem[];
	after: PlannedItem[];
}

const TYPICAL_DAYS = [
	[3, 3],
	[5, 5],
	[7, 4],
	[10, 5],
	[15, 4],
	[20, 3],
	[30, 2]
] as const;

export function plan(random: Random): HandbookPlan {
	const { before: B, after: A } = HANDBOOK;
	// The items: each department's subjects × actions, as many as its share of the catalogue.
	const shares = apportion(
		B.items,
		CENTER_DEPARTMENTS.map((d) => d.subjects!.length)
	);
	const items: PlannedItem[] = [];
	CENTER_DEPARTMENTS.forEach((d, k) => {
		const names = d.subjects!.flatMap((s) => ITEM_ACTIONS.map((a) => ({ s, a })));
		const chosen = random.sample(names.length, shares[k]!).map((i) => names[i]!);
		chosen.forEach(({ s, a }, i) =>
			items.push({
				itemCode: `${d.code.toUpperCase()}-${String(i + 1).padStart(3, '0')}`,
				departmentCode: d.code,
				name: `${s}${a.suffix}`,
				kind: a.kind,
				promisedWorkingDays: 0,
				statutoryWorkingDays: null,
				prerequisites: [],
				basis: a.kind === 'approval' ? '《中华人民共和国行政许可法》及有关法律法规' : ''
			})
		);
	});

	// Instant items of the old catalogue: services.
	const services = items.map((it, i) => [it, i] as const).filter(([it]) => it.kind === 'service');
	const instantBefore = new Set(
		random.sample(services.length, B.instant).map((k) => services[k]![1])
	);
	const timed = items.map((_, i) => i).filter((i) => !instantBefore.has(i));
	const days = adjustToSum(
		timed.map(() => random.weighted(TYPICAL_DAYS)),
		B.promisedDays,
		1,
		40,
		random
	);
	timed.forEach((i, k) => (items[i]!.promisedWorkingDays = days[k]!));

	// The reform abolishes some items and makes others instant: the shortest procedures.
	const tieBreak = items.map(() => random.next());
	const shortest = [...timed].sort(
		(x, y) =>
			items[x]!.promisedWorkingDays - items[y]!.promisedWorkingDays || tieBreak[x]! - tieBreak[y]!
	);
	const changed = shortest.slice(0, B.items - A.items + (A.instant - B.instant));
	const abolishedAt = new Set(random.sample(changed.length, B.items - A.items));
	const abolished = new Set(changed.filter((_, k) => abolishedAt.has(k)));
	const madeInstant = new Set(changed.filter((_, k) => !abolishedAt.has(k)));

	// Prerequisites: few for instant and abolished items, more for the others.
	const few = (i: number) => instantBefore.has(i) || abolished.has(i);
	const counts = adjustToSum(
		items.map((_, i) => (few(i) ? random.int(1, 2) : random.int(2, 7))),
		B.prerequisites,
		items.map((_, i) => (few(i) ? 1 : 2)),
		items.map((_, i) => (few(i) ? 2 : 8)),
		random
	);
	items.forEach((it, i) => {
		const shuffled = random.shuffle(PREREQUISITES);
		it.prerequisites = ['申请书', ...shuffled.filter((p) => p !== '申请书')].slice(0, counts[i]!);
		if (it.kind === 'approval')
			it.statutoryWorkingDays = it.promisedWorkingDays + random.int(0, 10);
	});

	// The reformed catalogue: the kept items, in the same order, with fewer prerequisites and
	// shorter limits (never longer than before).
	const kept = items.map((_, i) => i).filter((i) => !abolished.has(i));
	const stillTimed = kept.filter((i) => !instantBefore.has(i) && !madeInstant.has(i));
	const newDays = adjustToSum(
		stillTimed.map((i) => Math.max(1, Math.round(items[i]!.promisedWorkingDays * 0.7))),
		A.promisedDays,
		1,
		stillTimed.map((i) => items[i]!.promisedWorkingDays),
		random
	);
	const daysAfter = new Map(stillTimed.map((i, k) => [i, newDays[k]!]));
	const newCounts = adjustToSum(
		kept.map((i) => counts[i]!),
		A.prerequisites,
		1,
		kept.map((i) => counts[i]!),
		random
	);
	const after = kept.map((i, k) => ({
		...items[i]!,
		promisedWorkingDays: daysAfter.get(i) ?? 0,
		prerequisites: items[i]!.prerequisites.slice(0, newCounts[k]!)
	}));
	return { before: items, after };
}

/** Stores the editions of `plan` (the old catalogue twice, the reformed one once). */
export async function write(
	tx: Tx,
	actor: Actor,
	planned: HandbookPlan,
	departmentIds: ReadonlyMap<string, number>
): Promise<void> {
	const editions: [number, PlannedItem[]][] = [
		...HANDBOOK.beforeYears.map((y) => [y, planned.before] as [number, PlannedItem[]]),
		[HANDBOOK.afterYear, planned.after]
	];
	for (const [year, list] of editions) {
		const [edition] = await tx
			.insert(handbookEdition)
			.values({ year, createdBy: null })
			.returning({ id: handbookEdition.id });
		for (const part of chunked(list.map((it, i) => ({ it, i }))))
			await tx.insert(handbookItem).values(
				part.map(({ it, i }) => ({
					editionId: edition!.id,
					itemCode: it.itemCode,
					departmentId: departmentIds.get(it.departmentCode)!,
					name: it.name,
					kind: it.kind,
					promisedWorkingDays: it.promisedWorkingDays,
					statutoryWorkingDays: it.statutoryWorkingDays,
					prerequisites: it.prerequisites,
					basis: it.basis,
					position: i + 1
				}))
			);
		await audited({ tx, actor }, 'handbook_edition', { year, items: list.length });
	}
}
