import { ROLES } from '$lib/domain/roles';
import { formatDateTime } from '$lib/domain/time';
import { AUDIT_FILTER_KEYS, auditFilterOf, auditQueryFrom } from '$lib/schemas/audit';
import * as audit from '$lib/server/audit';
import { actionLabel, entityLabel, valueLabel } from '$lib/server/audit/labels';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

// Entries written by audit.diff hold {before, after} per field; others (an import's file hash
// and row count, say) hold plain values.
function changesOf(entity: string, changes: unknown) {
	if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return [];
	// jsonb keeps keys in its own order (shortest first); readers expect them alphabetical.
	const fields = Object.entries(changes as Record<string, unknown>).sort(([a], [b]) =>
		a.localeCompare(b)
	);
	const show = (field: string, v: unknown) => valueLabel(entity, field, v);
	return fields.map(([field, v]) => {
		if (v && typeof v === 'object' && 'before' in v && 'after' in v) {
			return { field, before: show(field, v.before), after: show(field, v.after), pair: true };
		}
		return { field, before: null, after: show(field, v), pair: false };
	});
}

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.auditLog);
	// A bad date is reported next to its field and left out of the filter; the rest still applies.
	const { raw, query, errors } = auditQueryFrom(event.url.searchParams);
	const pageParam = Number(event.url.searchParams.get('page') ?? '1');
	const page = Number.isSafeInteger(pageParam) && pageParam >= 1 ? pageParam : 1;
	const [{ entries, total }, facets] = await Promise.all([
		audit.list(db(), auditFilterOf(query), page, PAGE_SIZE),
		audit.facets(db())
	]);
	return {
		entries: entries.map((e) => ({
			seq: e.seq,
			at: formatDateTime(e.at),
			actorKind: e.actorKind,
			actorLabel: e.actorLabel,
			action: e.action,
			actionLabel: actionLabel(e.action),
			entity: e.entity,
			entityLabel: entityLabel(e.entity),
			entityId: e.entityId,
			clientAddress: e.clientAddress,
			changes: changesOf(e.entity, e.changes)
		})),
		total,
		page,
		pageSize: PAGE_SIZE,
		facets: {
			actions: facets.actions.map((a) => ({ value: a, label: actionLabel(a) })),
			entities: facets.entities.map((e) => ({ value: e, label: entityLabel(e) }))
		},
		filter: raw,
		errors,
		filtered: AUDIT_FILTER_KEYS.some((k) => raw[k]),
		// The download's query: the filter as applied (a bad date left out, as in the list).
		exportQuery: new URLSearchParams(
			Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)
		).toString()
	};
};

export const actions: Actions = {
	verify: async (event) => {
		requireRole(event, ROLES.auditLog);
		return { verify: await audit.verify(db()) };
	}
};
