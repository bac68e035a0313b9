// The statistics page's query: a range of local days; anything else falls back to the default
// (this year to date), so an old or hand-made link still shows a page.
import { z } from 'zod';

const day = z
	.string()
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.optional()
	.catch(undefined);

export const statisticsQuerySchema = z.object({ from: day, to: day });
