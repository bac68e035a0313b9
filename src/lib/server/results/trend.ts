// Departments over the published years: per year, each department's total, rank and outcomes
// from the year's current published revision (digest checked as every read), read in SQL as a
// few fields per department rather than the rankings' whole lines. Published results are
// everyone's (roles.md), so there is no reader to check.
import { sql } from 'drizzle-orm';
import type { Category, Outcome } from '$lib/domain/scoring';
import type { Executor } from '$lib/server/db';
import { readChecked } from './snapshots';

export interface TrendEntry {
	code: string;
	nameZh: string;
	nameEn: string;
	category: Category;
	total: number | null;
	rank: number | null;
	outcomes: Outcome[];
}

/** The entries of each year (in the order given) with a published revision; null for a year without. */
export async function publishedTrend(
	db: Executor,
	years: readonly number[]
): Promise<(TrendEntry[] | null)[]> {
	return Promise.all(
		years.map(async (year) => {
			const read = await readChecked(
				db,
				year,
				{ kind: 'published' },
				{
					// The snapshot's row named in full inside the subquery (see snapshots.ts).
					entries: sql<TrendEntry[]>`(select coalesce(jsonb_agg(jsonb_build_object(
							'code', d.value ->> 'code', 'nameZh', d.value ->> 'nameZh',
							'nameEn', d.value ->> 'nameEn', 'category', d.value ->> 'category',
							'total', d.value -> 'scores' -> 'total', 'rank', d.value -> 'rank',
							'outcomes', d.value -> 'outcomes') order by d.ordinality), '[]'::jsonb)
						from jsonb_array_elements(evaluation_snapshot.content -> 'departments')
							with ordinality d)`
				}
			);
			return read ? read.fields.entries : null;
		})
	);
}
