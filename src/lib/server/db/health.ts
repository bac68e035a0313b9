// Failing fast while PostgreSQL is unreachable (docs/operations.md): rather than letting requests
// wait for a server that is gone, the app keeps one judgement of whether the database answers.
// It probes the server on a connection of its own — when a request meets a connection error,
// when a request is still waiting after SLOW_REQUEST_MS, and every DOWN_PROBE_INTERVAL_MS while
// the server is judged down — and the request hook (unavailable.ts) answers 503 with Retry-After
// while it is down, and to the requests still waiting when it goes down.
import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { migrationsFolder, rows, type Executor } from './index';

/** The endpoints for a load balancer: no session is looked up, and no 503 stands in for them. */
export const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** How long a probe may take before the server counts as not answering. */
export const PROBE_TIMEOUT_MS = 800;
/** A request still waiting after this long has the server probed (so it answers within 2 s). */
export const SLOW_REQUEST_MS = 700;
/** How often a server judged down is probed again (so the first request after it returns succeeds). */
export const DOWN_PROBE_INTERVAL_MS = 500;
/** What a 503 tells clients to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

// Node's socket errors and postgres.js' own when a connection cannot be made or is lost.
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE',
	'CONNECT_TIMEOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED'
]);
// SQLSTATEs of a server that is going or not there yet: class 08 (connection exception), admin
// or crash shutdown, cannot connect now (starting up, shutting down, in recovery).
const SERVER_CODES = /^(08...|57P01|57P02|57P03)$/;

/** Whether an error (or one it wraps, as Drizzle does) says the database cannot be reached. */
export function isUnavailableError(e: unknown): boolean {
	for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 5; depth++) {
		const code = (x as { code?: unknown }).code;
		if (typeof code === 'string' && (CONNECTION_CODES.has(code) || SERVER_CODES.test(code)))
			return true;
		const errors = (x as { errors?: unknown }).errors;
		if (Array.isArray(errors) && errors.some((inner) => isUnavailableError(inner))) return true;
		x = (x as { cause?: unknown }).cause;
	}
	return false;
}

/** One check of the server: resolves when it answered, rejects otherwise. */
export type Probe = () => Promise<void>;

/** Rejects after `ms` unless `work` settles first. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		return await Promise.race([
			work,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}

export interface HealthOptions {
	probeTimeoutMs?: number;
	downProbeIntervalMs?: number;
}

/** Whether the database answers, as the last probe found. */
export class DatabaseHealth {
	#up = true;
	#downSince: Date | null = null;
	#lastError: string | null = null;
	#checking: Promise<boolean> | null = null;
	#timer: ReturnType<typeof setInterval> | null = null;
	#wentDown!: Promise<void>;
	#markDown!: () => void;
	readonly #probeTimeoutMs: number;
	readonly #intervalMs: number;

	constructor(
		private readonly probe: Probe,
		opts: HealthOptions = {}
	) {
		this.#probeTimeoutMs = opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
		this.#intervalMs = opts.downProbeIntervalMs ?? DOWN_PROBE_INTERVAL_MS;
		this.#arm();
	}

	#arm() {
		this.#wentDown = new Promise((resolve) => (this.#markDown = resolve));
	}

	get up(): boolean {
		return this.#up;
	}

	/** Since when the server has been judged down, and the last probe's failure; null when up. */
	get down(): { since: Date; error: string | null } | null {
		return this.#downSince && { since: this.#downSince, error: this.#lastError };
	}

	/** Settles when the server is next judged down (at once when it is down). */
	whenDown(): Promise<void> {
		return this.#wentDown;
	}

	/** Probes the server (one probe at a time) and returns whether it answered in time. */
	check(): Promise<boolean> {
		this.#checking ??= within(this.probe(), this.#probeTimeoutMs)
			.then(
				() => {
					this.#setUp();
					return true;
				},
				(e: unknown) => {
					this.#setDown(e);
					return false;
				}
			)
			.finally(() => (this.#checking = null));
		return this.#checking;
	}

	/** A request met this error: a connection error has the server probed at once. */
	report(e: unknown): void {
		if (isUnavailableError(e)) void this.check();
	}

	/** Stops probing (the process is stopping). */
	stop(): void {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
	}

	#setDown(e: unknown) {
		this.#lastError = e instanceof Error ? e.message : String(e);
		if (!this.#up) return;
		this.#up = false;
		this.#downSince = new Date();
		this.#markDown();
		this.#timer = setInterval(() => void this.check(), this.#intervalMs);
		this.#timer.unref?.();
	}

	#setUp() {
		if (this.#up) return;
		this.stop();
		this.#up = true;
		this.#downSince = null;
		this.#lastError = null;
		this.#arm();
	}
}

/**
 * A probe of a PostgreSQL server on a connection of its own (so that a pool busy with long
 * requests is not taken for a server that does not answer); a probe that timed out drops its
 * connection, and the next one makes a new one.
 */
export function postgresProbe(
	url: string,
	connectTimeoutSeconds = 1
): Probe & { close(): Promise<void> } {
	let client: postgres.Sql | null = null;
	const open = () =>
		(client ??= postgres(url, {
			max: 1,
			connect_timeout: connectTimeoutSeconds,
			idle_timeout: 30,
			onnotice: () => {},
			connection: { application_name: 'pingyi-probe' }
		}));
	const probe = async () => {
		const c = open();
		try {
			await within(c`select 1`, PROBE_TIMEOUT_MS);
		} catch (e) {
			if (client === c) client = null;
			void c.end({ timeout: 0 }).catch(() => {});
			throw e;
		}
	};
	return Object.assign(probe, {
		close: async () => {
			const c = client;
			client = null;
			await c?.end({ timeout: 1 });
		}
	});
}

/** When this build's last migration was made (drizzle/meta/_journal.json), as Drizzle records it. */
export function lastMigrationMillis(folder = migrationsFolder()): number {
	const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
		entries: { when: number }[];
	};
	return Math.max(...journal.entries.map((e) => e.when));
}

/**
 * Whether the database holds exactly the migrations of this build: `GET /readyz` fails on a
 * database a newer or an older build migrated.
 */
export async function migrationsCurrent(
	db: Executor,
	last = lastMigrationMillis()
): Promise<boolean> {
	const [found] = await rows<{ last: string | null }>(
		db,
		sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`
	);
	return found?.last != null && Number(found.last) === last;
}
