// Reference data a submission reads and that changes rarely — campaigns with their questions,
// department codes, API tokens — kept in this process so that a submission costs one round trip
// to the database (its insert) rather than four. Correctness first:
// - Every write of those tables calls the matching `invalidate…` in its transaction
//   (campaigns.ts, departments, api-token.ts, evaluation/publish.ts; questionnaires when their
//   questions change). It drops what this process holds, and for the next
//   INVALIDATION_WINDOW_MS reads bypass the cache altogether: it runs before the commit, and a
//   read made between the two would otherwise store the old rows again.
// - On PostgreSQL it also sends NOTIFY on CHANNEL, which PostgreSQL delivers at the commit to
//   every process of the app (several instances behind a proxy, the CLI's changes): each
//   listens on a connection of its own (`followChanges`) and drops the same entries. While that
//   connection is lost the process cannot learn of changes, so it caches nothing until it
//   listens again (and then starts afresh).
// - Entries also expire after TTL_MS: a change made behind the app's back (SQL by hand) is
//   seen within that time (docs/performance.md).
// - A cache belongs to one database handle (a test's, the app's); a transaction reads through
//   to the database, so that a verb inside one sees its own writes.
// Concurrent misses of one key share one load.
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { driverOf, type Executor } from '$lib/server/db';

/** How long an entry is trusted: the most a change behind the app's back goes unseen. */
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
	if (!trusted || isTransaction(db) || now < bypassUntil[kind]) return load();
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

/** What each write invalidates: its notification's payload, and the kinds it drops. */
const GROUPS = {
	/** A campaign, its questionnaire or questions, or a year's publication changed. */
	campaigns: ['campaigns', 'questionnaires', 'targets'],
	/**
	 * A department was added or removed, or changed its code, names, category or exemptions
	 * (which campaigns' targets it is among).
	 */
	departments: ['departments', 'targets'],
	/** An API token was issued or revoked. */
	tokens: ['tokens']
} as const satisfies Record<string, CacheKind[]>;
type Group = keyof typeof GROUPS;

/** The channel the processes of the app tell each other of changes on. */
export const CHANNEL = 'pingyi_reference';

const dropGroup = (group: Group) => GROUPS[group].forEach(invalidate);

/** Drops the group here at once, and in every process listening when `db`'s transaction commits. */
async function invalidateGroup(db: Executor, group: Group): Promise<void> {
	dropGroup(group);
	if (driverOf(db).kind === 'postgres')
		await db.execute(sql`select pg_notify(${CHANNEL}, ${group})`);
}

export const invalidateCampaigns = (db: Executor) => invalidateGroup(db, 'campaigns');
export const invalidateDepartments = (db: Executor) => invalidateGroup(db, 'departments');
export const invalidateTokens = (db: Executor) => invalidateGroup(db, 'tokens');

/** Whether entries may be served: false while a process that follows changes cannot hear them. */
let trusted = true;

/** How soon a lost listening connection is tried again. */
const RELISTEN_MS = 500;

/**
 * Follows the changes other processes make (NOTIFY on CHANNEL) on a connection of its own to
 * the PostgreSQL database at `url`: the app server's, for as long as it runs. Until it listens,
 * and whenever its connection is lost until it listens again, the cache is bypassed.
 */
export function followChanges(url: string): { close(): Promise<void> } {
	let closed = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	trusted = false;
	const listen = async () => {
		try {
			await client`listen ${client(CHANNEL)}`;
			// Whatever was kept may have changed while nobody listened.
			for (const group of Object.keys(GROUPS) as Group[]) dropGroup(group);
			trusted = true;
		} catch {
			retry();
		}
	};
	const retry = () => {
		if (closed || timer) return;
		timer = setTimeout(() => {
			timer = undefined;
			void listen();
		}, RELISTEN_MS);
		timer.unref?.();
	};
	const client = postgres(url, {
		max: 1,
		idle_timeout: 0,
		max_lifetime: null,
		connect_timeout: 1,
		onnotice: () => {},
		// A lost connection loses the notifications sent meanwhile.
		onclose: () => {
			trusted = false;
			retry();
		},
		connection: { application_name: 'pingyi-listen' },
		// postgres.js hands notifications of a plain connection to this option (its own `listen`
		// resubscribes after a lost connection only once, without telling).
		...({
			onnotify: (channel: string, payload: string) => {
				if (channel === CHANNEL && payload in GROUPS) dropGroup(payload as Group);
			}
		} as object)
	});
	void listen();
	return {
		async close() {
			closed = true;
			clearTimeout(timer);
			trusted = true;
			await client.end({ timeout: 1 });
		}
	};
}
