// `npm run bench -- --only export`: the streamed responses export (a supervisor's download, the
// `export responses` verb) of campaigns of 10,000, 100,000 and 1,000,000 responses, each beside
// PostgreSQL's own `COPY (the export's query) TO STDOUT` of the same rows: time (linear, within
// 3× COPY) and the export process's peak memory (flat: the same at 1,000,000 as at 10,000).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Actor } from '$lib/server/audit';
import { importDepartments } from '$lib/server/departments/import';
import * as surveys from '$lib/server/surveys';
import { connect, migrate, openApp, type BenchDatabases, type Sql } from './database';
import { benchDepartments, departmentsCsv } from './generate';
import { median, timed } from './measure';
import type { BenchOptions } from './options';
import { measurement, type Measurement } from './report';

const actor: Actor = { kind: 'cli', id: null, label: 'bench', address: null };

/** Responses per campaign measured (times --scale). */
export const EXPORT_SIZES = [10_000, 100_000, 1_000_000] as const;
/** XLSX is measured up to this many responses (exceljs writes about 10× slower than CSV). */
const XLSX_MAX = 100_000;

interface ChildReport {
	ms?: number;
	rows?: number;
	maxRssKb?: number;
	error?: string;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** The export in a process of its own (export-child.ts), for its own peak memory. */
async function exportInChild(
	url: string,
	code: string,
	format: 'csv' | 'xlsx',
	file: string
): Promise<ChildReport> {
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			fileURLToPath(new URL('./export-child.ts', import.meta.url)),
			url,
			code,
			format,
			file
		],
		{ cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] }
	);
	let last = '';
	createInterface({ input: child.stdout }).on('line', (line) => {
		if (line.trim()) last = line;
	});
	const exitCode = await new Promise<number | null>((done) => child.on('close', done));
	try {
		return JSON.parse(last) as ChildReport;
	} catch {
		return { error: `the export process printed no report (exit ${exitCode})` };
	}
}

/**
 * One campaign of `n` responses of the standard questionnaire, in SQL: each response about one
 * department (six levels), one in ten with a text answer, one in a hundred voided.
 */
async function generateCampaign(sql: Sql, code: string, year: number, n: number): Promise<void> {
	const [c] = await sql<{ id: number }[]>`
		insert into campaign (code, year, kind, questionnaire_id, weight)
		select ${code}, ${year}, 'public_evaluation', q.id, 1 from questionnaire q
		where q.code = 'standard-appraisal' and q.version = 1
		returning id`;
	const id = c!.id;
	await sql`
		insert into survey_response (response_key, campaign_id, channel, submitted_at)
		select ${code} || '-' || g, ${id}, (array['field','phone','online','paper'])[1 + g % 4]::response_channel,
			make_timestamptz(${year}, 3, 1, 8, 0, 0, 'Asia/Shanghai') + g * interval '7 seconds'
		from generate_series(1, ${n}::int) g`;
	await sql`
		insert into survey_rating (response_id, department_id, campaign_id, r1, r2, r3, r4, r5, r6)
		select r.id, d.ids[1 + r.id % array_length(d.ids, 1)], ${id},
			r.id % 6, (r.id / 3) % 6, (r.id / 5) % 6, (r.id / 7) % 6, (r.id / 11) % 6, (r.id / 13) % 6
		from survey_response r
		cross join (select array_agg(id order by id) as ids from department) d
		where r.campaign_id = ${id}`;
	await sql`
		insert into survey_text_answer (response_id, department_id, question_id, body)
		select sr.response_id, sr.department_id, q.id, '办事要跑' || (sr.response_id % 4 + 2) || '次, 等了很久'
		from survey_rating sr
		join question q on q.code = 'difficulty'
			and q.questionnaire_id = (select questionnaire_id from campaign where id = ${id})
		where sr.campaign_id = ${id} and sr.response_id % 10 = 0`;
	await sql`
		insert into survey_response_void (response_id, reason)
		select id, 'bench' from survey_response where campaign_id = ${id} and id % 100 = 0`;
}

/** The export's query as plain SQL text (its parameters are whole numbers), for COPY. */
async function exportQueryText(url: string, code: string): Promise<string> {
	const app = await openApp(url);
	try {
		const c = await surveys.getCampaignByCode(app.db, code);
		const { query } = await surveys.responseExportQuery(app.db, c!, false);
		const q = new PgDialect().sqlToQuery(query);
		return q.sql.replace(/\$(\d+)/g, (_, i: string) => {
			const v = q.params[Number(i) - 1];
			if (typeof v !== 'number' || !Number.isInteger(v))
				throw new Error(`parameter ${i}: ${String(v)}`);
			return String(v);
		});
	} finally {
		await app.close();
	}
}

/**
 * COPY of the export's query to a file, as CSV with its header, by psql (the floor of every
 * goal). Not through postgres.js: its COPY TO stream sometimes never ends (porsager/postgres#917).
 */
async function copyFloor(url: string, query: string, file: string): Promise<void> {
	const out = createWriteStream(file);
	await once(out, 'open');
	const psql = spawn(
		'psql',
		[
			url,
			'-X',
			'-q',
			'-v',
			'ON_ERROR_STOP=1',
			'-c',
			`copy (${query}) to stdout with (format csv, header true)`
		],
		{ stdio: ['ignore', out, 'inherit'] }
	);
	const code = await new Promise<number | null>((done) => psql.on('close', done));
	out.close();
	if (code !== 0) throw new Error(`psql COPY exited with ${code}`);
}

export interface ExportBenchDetails {
	sizes: number[];
	generationMs: number;
	runs: Record<
		string,
		{
			csvMs: number[];
			xlsxMs: number[];
			copyMs: number[];
			csvPeakRssMb: number[];
			xlsxPeakRssMb: number[];
		}
	>;
}

/** Generates the campaigns on a database of their own and measures their exports. */
export async function exportBench(
	opts: BenchOptions,
	dbs: BenchDatabases,
	prefix: string,
	log: (message: string) => void
): Promise<{ measurements: Measurement[]; details: ExportBenchDetails }> {
	const sizes = EXPORT_SIZES.map((n) => Math.max(1, Math.round(n * opts.scale)));
	const name = `${prefix}_export`;
	const url = await dbs.create(name);
	const workDir = join(opts.tmpDir, prefix);
	await mkdir(workDir, { recursive: true });
	const details: ExportBenchDetails = { sizes, generationMs: 0, runs: {} };
	const measurements: Measurement[] = [];
	await migrate(url);
	const app = await openApp(url);
	try {
		const imported = await importDepartments(
			app.db,
			departmentsCsv(benchDepartments(opts.seed)),
			{ year: opts.year, locale: 'en' },
			actor
		);
		if (!imported.ok) throw new Error(`departments: ${JSON.stringify(imported.errors)}`);
	} finally {
		await app.close();
	}
	const sql = connect(url);
	try {
		log(
			`export: generating campaigns of ${sizes.map((n) => n.toLocaleString('en-US')).join(', ')} responses`
		);
		details.generationMs = (
			await timed(async () => {
				for (const n of sizes) await generateCampaign(sql, `bench-export-${n}`, opts.year, n);
				await sql`vacuum analyze survey_response, survey_rating, survey_text_answer, survey_response_void`;
			})
		).ms;
		for (const n of sizes) {
			const code = `bench-export-${n}`;
			const query = await exportQueryText(url, code);
			const run = {
				csvMs: [] as number[],
				xlsxMs: [] as number[],
				copyMs: [] as number[],
				csvPeakRssMb: [] as number[],
				xlsxPeakRssMb: [] as number[]
			};
			details.runs[n] = run;
			let error: string | null = null;
			const file = join(workDir, `${code}`);
			const child = async (format: 'csv' | 'xlsx') => {
				const report = await exportInChild(url, code, format, `${file}.${format}`);
				if (report.error || report.ms === undefined) {
					error = report.error ?? 'no time reported';
					return;
				}
				(format === 'csv' ? run.csvMs : run.xlsxMs).push(report.ms);
				if (report.maxRssKb)
					(format === 'csv' ? run.csvPeakRssMb : run.xlsxPeakRssMb).push(mb(report.maxRssKb));
				log(
					`  ${n.toLocaleString('en-US')} ${format}: ${(report.ms / 1000).toFixed(2)} s, ${report.rows} rows, peak RSS ${mb(report.maxRssKb ?? 0)} MB`
				);
			};
			const copy = async () => {
				const t = await timed(() => copyFloor(url, query, `${file}.copy.csv`));
				run.copyMs.push(t.ms);
				log(`  ${n.toLocaleString('en-US')} COPY: ${(t.ms / 1000).toFixed(2)} s`);
			};
			for (let i = 1; i <= opts.runs && !error; i++) {
				// Alternating which goes first, as the other measurements do.
				if (i % 2 === 1) {
					await child('csv');
					await copy();
				} else {
					await copy();
					await child('csv');
				}
				if (n <= XLSX_MAX * opts.scale) await child('xlsx');
			}
			const floorMedian = run.copyMs.length ? median(run.copyMs) : null;
			const label = n.toLocaleString('en-US');
			measurements.push(
				measurement({
					name: `export ${label} responses, CSV`,
					unit: 'ms',
					runs: run.csvMs,
					median: run.csvMs.length ? median(run.csvMs) : null,
					floorName: 'COPY (the same query) TO STDOUT',
					floorRuns: run.copyMs,
					floorMedian,
					goal: { op: '<=', ratio: 3 },
					note: error ?? undefined
				})
			);
			if (run.xlsxMs.length)
				measurements.push(
					measurement({
						name: `export ${label} responses, XLSX`,
						unit: 'ms',
						runs: run.xlsxMs,
						median: median(run.xlsxMs),
						floorName: 'COPY (the same query) TO STDOUT',
						floorRuns: run.copyMs,
						floorMedian,
						goal: { op: '<=', ratio: 3 },
						note: error ?? undefined
					})
				);
		}
	} finally {
		await sql.end();
	}
	// Linear: time per row at the largest size against the middle one; flat: peak memory at the
	// largest size against the smallest.
	const [small, mid, large] = sizes.map((n) => details.runs[n]!);
	const perRow = (ms: number[], n: number) => (ms.length ? median(ms) / n : null);
	measurements.push(
		measurement({
			name: `export CSV time per row, ${sizes[2]!.toLocaleString('en-US')} vs ${sizes[1]!.toLocaleString('en-US')}`,
			unit: 'ms',
			runs: large!.csvMs.map((ms) => ms / sizes[2]!),
			median: perRow(large!.csvMs, sizes[2]!),
			floorName: `per row at ${sizes[1]!.toLocaleString('en-US')}`,
			floorRuns: mid!.csvMs.map((ms) => ms / sizes[1]!),
			floorMedian: perRow(mid!.csvMs, sizes[1]!),
			goal: { op: '<=', ratio: 1.5 }
		}),
		measurement({
			name: `export CSV peak RSS, ${sizes[2]!.toLocaleString('en-US')} vs ${sizes[0]!.toLocaleString('en-US')}`,
			unit: 'MB',
			runs: large!.csvPeakRssMb,
			median: large!.csvPeakRssMb.length ? median(large!.csvPeakRssMb) : null,
			floorName: `peak RSS at ${sizes[0]!.toLocaleString('en-US')}`,
			floorRuns: small!.csvPeakRssMb,
			floorMedian: small!.csvPeakRssMb.length ? median(small!.csvPeakRssMb) : null,
			goal: { op: '<=', ratio: 1.5 }
		})
	);
	if (mid!.xlsxPeakRssMb.length && small!.xlsxPeakRssMb.length)
		measurements.push(
			measurement({
				name: `export XLSX peak RSS, ${sizes[1]!.toLocaleString('en-US')} vs ${sizes[0]!.toLocaleString('en-US')}`,
				unit: 'MB',
				runs: mid!.xlsxPeakRssMb,
				median: median(mid!.xlsxPeakRssMb),
				floorName: `peak RSS at ${sizes[0]!.toLocaleString('en-US')}`,
				floorRuns: small!.xlsxPeakRssMb,
				floorMedian: median(small!.xlsxPeakRssMb),
				goal: { op: '<=', ratio: 1.5 }
			})
		);
	return { measurements, details };
}
