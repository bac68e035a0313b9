// A department's standing in the latest published results: its line (rank in its category,
// outcomes, the four dimension scores) beside its category's median of each score, both read
// from the one published snapshot (the medians computed in SQL over its content). Who may read
// it is `mayExplain`'s rule: staff who see every department, a liaison its own; published only.
import { sql } from 'drizzle-orm';
import { DIMENSIONS, type Dimension } from '$lib/domain/scoring';
import type { Executor } from '$lib/server/db';
import { readChecked } from './snapshots';
import { mayExplain, type RankingLine, type Reader } from './view';
import { years } from './years';

export type ScoreKey = Dimension | 'total';

export interface Standing {
	year: number;
	revision: number;
	publishedAt: Date | null;
	department: RankingLine;
	/** Departments of its category in the snapshot. */
	categorySize: number;
	/** The median of each score over its category's departments that have it (null: none). */
	medians: Record<ScoreKey, number | null>;
}

const KEYS: readonly ScoreKey[] = [...DIMENSIONS, 'total'];

/**
 * The department's standing in the newest year with published results, or null when nothing
 * is published yet or the department is not in it; null too for a reader who may not explain
 * the department (nothing is read then).
 */
export async function standing(
	db: Executor,
	reader: Reader,
	code: string
): Promise<Standing | null> {
	if (!mayExplain(reader, code)) return null;
	const latest = (await years(db, reader)).find((y) => y.revision !== null);
	if (!latest) return null;
	// The snapshot's row named in full inside the subqueries (see snapshots.ts).
	const departments = sql`jsonb_array_elements(evaluation_snapshot.content -> 'departments')`;
	const own = sql`(select d from ${departments} d where d ->> 'code' = ${code} limit 1)`;
	const read = await readChecked(
		db,
		latest.year,
		{ kind: 'published' },
		{
			department: sql<RankingLine | null>`(${own} - 'inputs')`,
			categorySize: sql<number>`(select count(*) from ${departments} d
				where d ->> 'category' = ${own} ->> 'category')`,
			medians: sql<Record<ScoreKey, number | null>>`(select jsonb_build_object(${sql.join(
				KEYS.map(
					(k) => sql`${k}::text, percentile_cont(0.5) within group
						(order by (d -> 'scores' ->> ${k}::text)::float8)`
				),
				sql`, `
			)}) from ${departments} d where d ->> 'category' = ${own} ->> 'category')`
		}
	);
	if (!read || !read.fields.department || read.summary.revision === null) return null;
	const medians = Object.fromEntries(
		KEYS.map((k) => {
			const v = read.fields.medians?.[k];
			return [k, v === null || v === undefined ? null : Number(v)];
		})
	) as Record<ScoreKey, number | null>;
	return {
		year: read.summary.year,
		revision: read.summary.revision,
		publishedAt: read.summary.publishedAt,
		department: read.fields.department,
		categorySize: Number(read.fields.categorySize),
		medians
	};
}
