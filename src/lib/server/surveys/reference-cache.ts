// Reference data a submission reads and that changes rarely — campaigns with their questions,
// department codes, API tokens — kept in this process so that a submission costs one round trip
// to the database (its insert) rather than four. Correctness first:
// - Every write of those tables calls the matching `invalidate…` (campaigns.ts, departments,
//   api-token.ts, evaluation/publish.ts; questionnaires when their questions change). It drops
//   what this process holds, and for the next INVALIDATION_WINDOW_MS reads bypass the cache
//   altogether: a write calls it inside its transaction, before the commit, and a read made
//   between the two would otherwise store the old rows again.
// - Entries also expire after TTL_MS, which bounds how long ANOTHER process of the app may act
//   on a closed campaign or a revoked token (docs/performance.md).
// - A cache belongs to one database handle (a test's, the app's); a transaction reads through
//   to the database, so that a verb inside one sees its own writes.
// Concurrent misses of one key share one load.

/** How long an entry is trusted: the most another process may lag behind a change. */
export const TTL_MS = 5_000;
/** After an invalidation, how long every read goes to the database. */
export const INVALIDATION_WINDOW_MS = 5_000;

/**
 * `questionnaires`: a questionnaire's questions; `targets`: a campaign's target departments,
 * which change with the campaign and with the departments (their categories, exemptions).
 */
export type CacheKind = 'campaigns' | 'questionnaires' | 'targets' | 'departments' | 'tokens';

interface Entry {
	at: number;
	generation: number;
	value: Promise<unknown>;
}

/** Keys per database beyond which its cache starts over (unknown codes are cached too). */
const MAX_ENTRIES = 10_000;

const none = (): Record<CacheKind, number> => ({
	campaigns: 0,
	questionnaires: 0,
	targets: 0,
	departments: 0,
	tokens: 0
});
const bypassUntil = none();
const generation = none();
const caches = new WeakMap<object, Map<string, Entry>>();

/** A Drizzle transaction (as opposed to the database handle): it can roll back. */
const isTransaction = (db: object) => typeof (db as { rollback?: unknown }).rollback === 'function';

/**
 * The value of `key` of `kind` for this database: cached, or loaded by `load` (and cached until
 * TTL_MS or the next invalidation of `kind`). A load that fails is not kept.
 */
export function cached<T>(
	db: object,
	kind: CacheKind,
	key: string,
	load: () => Promise<T>,
	now = Date.now()
): Promise<T> {
	if (isTransaction(db) || now < bypassUntil[kind]) return load();
	let map = caches.get(db);
	if (!map) caches.set(db, (map = new Map()));
	const full = `${kind}\u0000${key}`;
	const hit = map.get(full);
	if (hit && hit.generation === generation[kind] && now - hit.at < TTL_MS)
		return hit.value as Promise<T>;
	if (map.size >= MAX_ENTRIES) map.clear();
	const value = load();
	const entry = { at: now, generation: generation[kind], value };
	map.set(full, entry);
	value.catch(() => {
		if (map.get(full) === entry) map.delete(full);
	});
	return value;
}

function invalidate(kind: CacheKind) {
	generation[kind]++;
	bypassUntil[kind] = Date.now() + INVALIDATION_WINDOW_MS;
}

/** A campaign, its questionnaire or questions, or a year's publication changed. */
export function invalidateCampaigns() {
	invalidate('campaigns');
	invalidate('questionnaires');
	invalidate('targets');
}
/**
 * A department was added or removed, or changed its code, names, category or exemptions (which
 * campaigns' targets it is among).
 */
export function invalidateDepartments() {
	invalidate('departments');
	invalidate('targets');
}
/** An API token was issued or revoked. */
export const invalidateTokens = () => invalidate('tokens');
