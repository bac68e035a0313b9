// The one list of evaluation years and where their results stand, as a reader may see it: the
// rankings and public results lists, the years pages and the new-year form read it.
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '$lib/server/db';
import { mayViewDrafts, type Reader } from './view';

export interface YearResults {
	year: number;
	/** The current published revision, null before publication. */
	revision: number | null;
	/** When the current revision was published. */
	publishedAt: Date | null;
	/** When the year was first published (its settings frozen since). */
	firstPublishedAt: Date | null;
	/** Whether a snapshot (draft or revision) exists. */
	computed: boolean;
	/** Whether a draft newer than the current revision exists (false for who sees no drafts). */
	hasDraft: boolean;
}

const asDate = (v: Date | string | null) => (v === null || v instanceof Date ? v : new Date(v));

/**
 * The years, newest first: every evaluation year for the roles that see drafts, the published
 * ones for everyone else (the public included).
 */
export async function years(db: Executor, reader: Reader): Promise<YearResults[]> {
	const drafts = mayViewDrafts(reader);
	const found = await rows<{
		year: number;
		revision: number | null;
		published_at: Date | string | null;
		first_published_at: Date | string | null;
		computed: boolean;
		has_draft: boolean;
	}>(
		db,
		sql`select y.year, s.revision, s.published_at, y.first_published_at,
			s.year is not null as computed, coalesce(s.has_draft, false) as has_draft
		from evaluation_year y
		left join (
			select year,
				max(revision) filter (where kind = 'published') as revision,
				max(published_at) filter (where kind = 'published') as published_at,
				max(id) filter (where kind = 'draft') >
					coalesce(max(draft_id) filter (where kind = 'published'), 0) as has_draft
			from evaluation_snapshot group by year
		) s on s.year = y.year
		where ${drafts ? sql`true` : sql`s.revision is not null`}
		order by y.year desc`
	);
	return found.map((y) => ({
		year: y.year,
		revision: y.revision,
		publishedAt: asDate(y.published_at),
		firstPublishedAt: asDate(y.first_published_at),
		computed: y.computed,
		hasDraft: drafts && y.has_draft
	}));
}
