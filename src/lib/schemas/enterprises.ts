// The enterprises list's query string.
import { z } from 'zod';
import { pageNumber } from './query';

export const listQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	page: pageNumber
});
