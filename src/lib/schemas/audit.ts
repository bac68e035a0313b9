// The audit log's filters, read from the query string so a filtered view can be bookmarked.
import { z } from 'zod';
import { endOfDay, startOfDay } from '$lib/domain/time';
import { fieldErrors } from '$lib/errors';

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

export const AUDIT_FILTER_KEYS = [
	'actor',
	'action',
	'entity',
	'entityId',
	'from',
	'to',
	'q'
] as const;

/**
 * The filters of a query string: as typed (`raw`, for the form), as applied (`query`: a bad
 * date is left out, the rest still applies) and the errors to show next to their fields.
 */
export function auditQueryFrom(params: URLSearchParams) {
	const raw = Object.fromEntries(AUDIT_FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<
		(typeof AUDIT_FILTER_KEYS)[number],
		string
	>;
	const parsed = auditQuerySchema.safeParse(raw);
	const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
	const query = auditQuerySchema.parse(
		Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, k in errors ? '' : v]))
	);
	return { raw, query, errors };
}
