// EXPLAIN ANALYZE evidence for a goal that is missed: the measured code runs once more on a
// connection with auto_explain loaded (a PostgreSQL contrib module) and its level set to NOTICE,
// so every slow statement's executed plan, trigger times included, comes back to this process.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';

export interface ExplainedPlan {
	ms: number;
	/** The statement's first 300 characters, whitespace folded. */
	statement: string;
	/** The whole statement (up to 20,000 characters), to rerun it by hand. */
	query: string;
	/** The executed plan, as auto_explain printed it. */
	plan: string[];
}

export interface ExplainedDatabase {
	db: Database;
	/** Plans of the statements slower than the threshold, slowest first. */
	plans(): ExplainedPlan[];
	close(): Promise<void>;
}

/**
 * A Drizzle database like the app's (`openDatabase`: same driver and session settings), whose
 * statements slower than `minMs` report their executed plan. Needs a superuser (loading a
 * library per session); the bench's admin role is one.
 */
export function explainedDatabase(url: string, minMs: number): ExplainedDatabase {
	const plans: ExplainedPlan[] = [];
	const client = postgres(url, {
		max: 5,
		onnotice: (n) => {
			const text = String(n.message ?? '');
			const m = /^duration: ([\d.]+) ms\s+plan:\n([\s\S]*)$/.exec(text);
			if (!m) return;
			const lines = m[2]!.split('\n');
			const planStart = lines.findIndex((l, i) => i > 0 && /^\S.*\(cost=|^\S.*\(actual/.test(l));
			const query = lines.slice(0, planStart === -1 ? 1 : planStart).join(' ');
			// postgres.js reads the array types once per connection: not the code under test.
			if (/from pg_catalog\.pg_type a/.test(query)) return;
			plans.push({
				ms: Number(m[1]),
				statement: query
					.replace(/^Query Text:\s*/, '')
					.replace(/\s+/g, ' ')
					.trim()
					.slice(0, 300),
				query: lines
					.slice(0, planStart === -1 ? 1 : planStart)
					.join('\n')
					.replace(/^Query Text:\s*/, '')
					.slice(0, 20_000),
				plan: lines.slice(planStart === -1 ? 1 : planStart)
			});
		},
		connection: {
			TimeZone: 'Asia/Shanghai',
			application_name: 'pingyi',
			session_preload_libraries: 'auto_explain',
			'auto_explain.log_min_duration': `${Math.max(0, Math.round(minMs))}ms`,
			'auto_explain.log_analyze': 'on',
			'auto_explain.log_buffers': 'on',
			'auto_explain.log_triggers': 'on',
			'auto_explain.log_nested_statements': 'on',
			'auto_explain.log_level': 'notice'
		}
	});
	const db = drizzle(client, { schema }) as unknown as Database;
	return {
		db,
		plans: () => [...plans].sort((a, b) => b.ms - a.ms),
		close: () => client.end({ timeout: 5 })
	};
}

/** The first lines of each plan, for the printed summary (the JSON file has them whole). */
export function planSummary(plans: ExplainedPlan[], top = 3, lines = 14): string[] {
	return plans
		.slice(0, top)
		.flatMap((p) => [
			`    ${(p.ms / 1000).toFixed(2)} s  ${p.statement.slice(0, 140)}`,
			...p.plan.slice(0, lines).map((l) => `      ${l}`),
			...(p.plan.length > lines
				? [`      … (${p.plan.length - lines} more lines in the JSON file)`]
				: [])
		]);
}
