// The enterprises list's query string.
import { z } from 'zod';

export const listQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	page: z.coerce.number().int().min(1).max(100_000).catch(1)
});
