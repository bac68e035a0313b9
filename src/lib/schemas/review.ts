// Input schemas for reviewing a campaign's responses: the list's query string, the void form,
// and the export's format (the CLI's --format and the download's address).
import { z } from 'zod';
import { RESPONSE_CHANNELS } from '$lib/domain/campaigns';
import { requiredText } from './record-rows';
import { pageNumber } from './query';

/** A reason is a sentence, not an essay: the audit trail and the list show it whole. */
export const VOID_REASON_MAX = 500;

export const voidResponseSchema = z.object({
	reason: requiredText(VOID_REASON_MAX)
});
export type VoidResponseInput = z.output<typeof voidResponseSchema>;

export const REVIEW_FLAGS = ['voided', 'unverified', 'valid'] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];

const blankIsNone = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The responses list's filters (`?channel=phone&department=D01&flag=voided&interviewer=3`). */
export const responsesQuerySchema = z.object({
	page: pageNumber,
	channel: z.preprocess(blankIsNone, z.enum(RESPONSE_CHANNELS).optional()).catch(undefined),
	department: z
		.preprocess(blankIsNone, z.string().max(64).optional())
		.catch(undefined)
		.transform((v) => v?.trim()),
	flag: z.preprocess(blankIsNone, z.enum(REVIEW_FLAGS).optional()).catch(undefined),
	interviewer: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined)
});
export type ResponsesQuery = z.output<typeof responsesQuerySchema>;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(v: unknown): v is ExportFormat {
	return (EXPORT_FORMATS as readonly unknown[]).includes(v);
}
