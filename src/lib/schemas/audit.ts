// The audit log's filters, read from the query string so a filtered view can be bookmarked.
import { z } from 'zod';
import { endOfDay, startOfDay } from '$lib/domain/time';

const text = z
	.string()
	.trim()
	.max(200)
	.optional()
	.transform((v) => v || undefined);

const day = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || undefined)
	.refine((v) => v === undefined || startOfDay(v) !== null, 'date');

export const auditQuerySchema = z.object({
	actor: text,
	action: text,
	entity: text,
	entityId: text,
	from: day,
	to: day,
	q: text
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The query's dates as instants: from the start of `from` to the end of `to`, local time. */
export function auditFilterOf(query: AuditQuery) {
	return {
		actor: query.actor,
		action: query.action,
		entity: query.entity,
		entityId: query.entityId,
		q: query.q,
		from: query.from ? (startOfDay(query.from) ?? undefined) : undefined,
		to: query.to ? (endOfDay(query.to) ?? undefined) : undefined
	};
}
