// Inputs of the invitations pages: the create form's confirmation and the print view's paging.
import { z } from 'zod';
import { pageNumber } from './query';

export const createInvitationsSchema = z.object({
	confirm: z.literal('yes', { error: 'confirm_required' })
});

/** Making a campaign's open link; replacing it (the old address stops answering) is confirmed. */
export const openLinkSchema = z.object({
	confirm: z
		.literal('yes')
		.optional()
		.transform((v) => v === 'yes')
});

/** Cards per printed page: 10 A4 sheets by default; at most 200 (50 sheets: 1,000 cards in 5 pages). */
export const CARDS_PER_PAGE = 40;
export const CARDS_PER_PAGE_MAX = 200;

export const cardsQuerySchema = z.object({
	page: pageNumber,
	size: z.coerce.number().int().min(4).max(CARDS_PER_PAGE_MAX).catch(CARDS_PER_PAGE)
});
