// The server process's one database handle, opened once at start-up (hooks `init`), on
// PostgreSQL the judgement of whether the server answers (health.ts) and the connection that
// hears of other processes' changes to the reference data this one caches, and the audit
// trail's anchor writer (audit/anchor-writer.ts).
import { anchorSettings } from '$lib/server/audit/anchor';
import { startAnchorWriter, type AnchorWriter } from '$lib/server/audit/anchor-writer';
import { followChanges } from '$lib/server/surveys/reference-cache';
import { DatabaseHealth, migrationsCurrent, postgresProbe } from './health';
import { isPoolBusyError } from './pool-wait';
import { openDatabase, optionsFromEnv, type Database, type DatabaseHandle } from './index';

let handle: DatabaseHandle | undefined;
let opening: Promise<DatabaseHandle> | undefined;
let health: DatabaseHealth | null = null;

export function startDatabase(): Promise<DatabaseHandle> {
	opening ??= (async () => {
		const options = optionsFromEnv();
		const h = await openDatabase(options);
		await h.migrate();
		lastMigrationsCurrent = await migrationsCurrent(h.db);
		handle = h;
		const settings = anchorSettings();
		const anchor: AnchorWriter | null =
			settings.anchorFile === null
				? null
				: await startAnchorWriter(
						h,
						{ ...settings, anchorFile: settings.anchorFile },
						options.url ?? null
					);
		// The embedded database is in the process: it cannot be unreachable.
		const probe = options.url ? postgresProbe(options.url) : null;
		if (probe) health = new DatabaseHealth(probe);
		const changes = options.url ? followChanges(options.url) : null;
		// adapter-node stops taking requests on SIGINT/SIGTERM, lets open ones finish, then emits
		// this; closing here flushes PGlite and releases its folder lock after the last request.
		process.once('sveltekit:shutdown', () => {
			health?.stop();
			void probe?.close();
			void changes?.close();
			// The last heads written before the database closes under the writer.
			void (anchor?.stop() ?? Promise.resolve()).finally(() => h.close());
		});
		return h;
	})();
	return opening;
}

export function db(): Database {
	if (!handle) throw new Error('database not started');
	return handle.db;
}

/** Whether the database answers; null on the embedded database (or before start-up). */
export function databaseHealth(): DatabaseHealth | null {
	return health;
}

export interface Readiness {
	ready: boolean;
	database: 'up' | 'down';
	/** Whether the database holds exactly this build's migrations; null when it cannot be asked. */
	migrationsCurrent: boolean | null;
}

let lastMigrationsCurrent: boolean | null = null;

/**
 * For a load balancer (`GET /readyz`): the database answers and holds this build's migrations.
 * While every pooled connection is busy the migrations cannot be asked; the last answer stands
 * then, so that a busy instance is not taken out of service (which would only load the others).
 */
export async function readiness(): Promise<Readiness> {
	if (!handle || (health && !(await health.check())))
		return { ready: false, database: 'down', migrationsCurrent: null };
	const current = await migrationsCurrent(handle.db).then(
		(current) => (lastMigrationsCurrent = current),
		(e: unknown) => {
			health?.report(e);
			return isPoolBusyError(e) ? lastMigrationsCurrent : null;
		}
	);
	return { ready: current === true, database: 'up', migrationsCurrent: current };
}
