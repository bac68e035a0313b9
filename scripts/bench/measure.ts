// Timing, medians and a sampling profiler: polling pg_stat_activity from a second connection
// shows which statements a measured piece of code spends its time in, without touching it.
import { connect, type Sql } from './database';

export function median(values: readonly number[]): number {
	if (values.length === 0) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const start = process.hrtime.bigint();
	const value = await fn();
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export interface ProfileLine {
	/** The statement's first 160 characters, whitespace folded; `(client)` when none ran. */
	statement: string;
	/** Milliseconds during which it was seen running (sample count × interval). */
	ms: number;
	/** What it most often waited on while running, if anything. */
	wait: string | null;
}

/**
 * Samples the non-idle sessions of `database` (other than its own) every `intervalMs` until
 * stopped; time with nothing running is the client's own (JavaScript, parsing, network).
 */
export function sampleActivity(url: string, database: string, intervalMs = 100) {
	const sql: Sql = connect(url);
	const seen = new Map<string, { n: number; waits: Map<string, number> }>();
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			const started = Date.now();
			try {
				const active = await sql<{ query: string; wait: string | null }[]>`
					select query, wait_event_type || ':' || wait_event as wait
					from pg_stat_activity
					where datname = ${database} and pid <> pg_backend_pid() and state = 'active'
						and backend_type = 'client backend'`;
				const keys = active.length
					? active.map((a) => ({
							key: a.query.replace(/\s+/g, ' ').trim().slice(0, 160),
							wait: a.wait
						}))
					: [{ key: '(client)', wait: null }];
				for (const { key, wait } of keys) {
					const entry = seen.get(key) ?? { n: 0, waits: new Map() };
					entry.n++;
					if (wait) entry.waits.set(wait, (entry.waits.get(wait) ?? 0) + 1);
					seen.set(key, entry);
				}
			} catch {
				// The database may be dropped or busy for a moment; a lost sample is fine.
			}
			const rest = intervalMs - (Date.now() - started);
			if (rest > 0) await new Promise((r) => setTimeout(r, rest));
		}
	})();
	return {
		async stop(): Promise<ProfileLine[]> {
			stopped = true;
			await loop;
			await sql.end({ timeout: 2 });
			return [...seen.entries()]
				.map(([statement, e]) => {
					const top = [...e.waits.entries()].sort((a, b) => b[1] - a[1])[0];
					return {
						statement,
						ms: e.n * intervalMs,
						wait: top && top[1] * 2 >= e.n ? top[0] : null
					};
				})
				.sort((a, b) => b.ms - a.ms);
		}
	};
}
