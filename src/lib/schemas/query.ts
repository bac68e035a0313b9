// What list pages read from their query string, one definition each: a bad value in a bookmarked
// or hand-edited address falls back (no filter, the first page) instead of refusing the page.
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';

/** A year filter (`?year=2025`): a year the programme accepts, else no filter. */
export const yearFilter = z.coerce
	.number()
	.int()
	.min(MIN_YEAR)
	.max(MAX_YEAR)
	.optional()
	.catch(undefined);

/** A page of a paginated list (`?page=3`), from 1; anything else is the first page. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).catch(1);
