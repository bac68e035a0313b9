// The result table printed at the end of `npm run bench`, and the JSON file in bench/results/.
import { cpus, loadavg, totalmem } from 'node:os';
import type { Sql } from './database';
import type { ProfileLine } from './measure';

export interface Measurement {
	name: string;
	unit: 'ms' | 'MB';
	/** Every run's value of the measured thing, and the median the table shows. */
	runs: number[];
	median: number | null;
	floorName: string;
	floorRuns: number[];
	floorMedian: number | null;
	/** median / floorMedian. */
	ratio: number | null;
	goal: { op: '<=' | '<'; ratio: number };
	pass: boolean | null;
	/** Why there is no value, or what to know about it. */
	note?: string;
}

export function measurement(
	m: Omit<Measurement, 'ratio' | 'pass' | 'median' | 'floorMedian'> & {
		median: number | null;
		floorMedian: number | null;
	}
): Measurement {
	const ratio =
		m.median !== null && m.floorMedian !== null && m.floorMedian > 0
			? m.median / m.floorMedian
			: null;
	const pass =
		ratio === null ? null : m.goal.op === '<=' ? ratio <= m.goal.ratio : ratio < m.goal.ratio;
	return { ...m, ratio, pass };
}

export interface MachineFacts {
	cpus: number;
	cpuModel: string;
	memoryGb: number;
	node: string;
	platform: string;
	postgres: string;
	postgresSettings: Record<string, string>;
	loadAverageAtStart: number[];
	loadAverageAtEnd?: number[];
}

export async function machineFacts(sql: Sql): Promise<MachineFacts> {
	const [v] = await sql<{ version: string }[]>`select version()`;
	const settings = await sql<{ name: string; setting: string; unit: string | null }[]>`
		select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem',
			'maintenance_work_mem', 'max_wal_size', 'synchronous_commit', 'fsync',
			'max_parallel_workers_per_gather', 'effective_cache_size', 'jit')`;
	return {
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model ?? 'unknown',
		memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		postgres: v?.version ?? 'unknown',
		postgresSettings: Object.fromEntries(
			settings.map((s) => [s.name, s.unit ? `${s.setting} × ${s.unit}` : s.setting])
		),
		loadAverageAtStart: loadavg()
	};
}

const fmt = (n: number | null, digits = 1) =>
	n === null || Number.isNaN(n)
		? '—'
		: n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The table: measurement, median, floor median, ratio, goal, pass/fail. */
export function table(measurements: Measurement[]): string {
	const head = ['measurement', 'median', 'floor', 'floor median', 'ratio', 'goal', 'result'];
	const body = measurements.map((m) => [
		m.name,
		`${fmt(m.median)} ${m.unit}`,
		m.floorName,
		`${fmt(m.floorMedian)} ${m.unit}`,
		m.ratio === null ? '—' : `${fmt(m.ratio, m.ratio < 0.1 ? 4 : 2)}×`,
		`${m.goal.op} ${m.goal.ratio}×`,
		m.pass === null ? 'not measured' : m.pass ? 'PASS' : 'FAIL'
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
	const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function profileText(title: string, lines: ProfileLine[], top = 6): string {
	const total = lines.reduce((a, l) => a + l.ms, 0) || 1;
	return [
		`  ${title}:`,
		...lines
			.slice(0, top)
			.map(
				(l) =>
					`    ${String(Math.round((l.ms / total) * 100)).padStart(3)} %  ${(l.ms / 1000).toFixed(1).padStart(6)} s  ${l.wait ? `[${l.wait}] ` : ''}${l.statement}`
			)
	].join('\n');
}
