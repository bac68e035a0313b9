// The province-scale year the benchmark measures: 60 departments, three campaigns of the
// standard-appraisal questionnaire, a holiday calendar, cases, complaints and findings written
// straight in SQL, and the responses as a CSV file (one row per answer, exchange.md columns)
// written with a stream, because the import is measured from that file.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Sql } from './database';

export interface Counts {
	responses: number;
	/** The small import of the memory measurement. */
	responsesSmall: number;
	cases: number;
	complaints: number;
	findings: number;
}

export const FULL_COUNTS: Counts = {
	responses: 1_000_000,
	responsesSmall: 100_000,
	cases: 200_000,
	complaints: 5_000,
	findings: 3_000
};

export function scaledCounts(scale: number): Counts {
	const s = (n: number) => Math.max(1, Math.round(n * scale));
	return {
		responses: s(FULL_COUNTS.responses),
		responsesSmall: s(FULL_COUNTS.responsesSmall),
		cases: s(FULL_COUNTS.cases),
		complaints: s(FULL_COUNTS.complaints),
		findings: s(FULL_COUNTS.findings)
	};
}

/** Small, fast, seedable PRNG (mulberry32): the same seed writes the same files. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface BenchDepartment {
	code: string;
	category: 'municipal' | 'vertical';
	/** How well citizens rate it, −1 … 1: spreads the scores so that ranks differ. */
	quality: number;
	/** How many responses are about it, relative to the others. */
	share: number;
}

export const MUNICIPAL = 40;
export const VERTICAL = 20;

export function benchDepartments(seed: number): BenchDepartment[] {
	const random = rng(seed ^ 0x5eed);
	const out: BenchDepartment[] = [];
	for (let i = 1; i <= MUNICIPAL + VERTICAL; i++) {
		const municipal = i <= MUNICIPAL;
		const n = municipal ? i : i - MUNICIPAL;
		out.push({
			code: `${municipal ? 'BM' : 'BV'}${String(n).padStart(2, '0')}`,
			category: municipal ? 'municipal' : 'vertical',
			quality: random() * 2 - 1,
			share: 0.4 + random() * 1.2
		});
	}
	return out;
}

/** The departments file of exchange.md (the bench imports it through the app's importer). */
export function departmentsCsv(departments: BenchDepartment[]): Uint8Array {
	const lines = ['code,name_zh,name_en,category,superior_authority,exempt_years'];
	for (const d of departments) {
		const municipal = d.category === 'municipal';
		lines.push(
			[
				d.code,
				`${municipal ? '基准市直部门' : '基准垂管部门'}${d.code.slice(2)}`,
				`Bench ${municipal ? 'municipal' : 'vertical'} department ${d.code.slice(2)}`,
				d.category,
				municipal ? '' : `省基准主管厅${d.code.slice(2)}`,
				''
			].join(',')
		);
	}
	return new TextEncoder().encode(lines.join('\n') + '\n');
}

export interface BenchCampaign {
	code: string;
	kind: 'enterprise_visit' | 'public_evaluation' | 'online';
	weight: number;
	/** Share of the responses. */
	share: number;
	channels: readonly ('field' | 'phone' | 'online' | 'paper')[];
}

export function benchCampaigns(year: number): BenchCampaign[] {
	return [
		{
			code: `bench-visit-${year}`,
			kind: 'enterprise_visit',
			weight: 2,
			share: 0.4,
			channels: ['field', 'field', 'phone']
		},
		{
			code: `bench-public-${year}`,
			kind: 'public_evaluation',
			weight: 1,
			share: 0.35,
			channels: ['phone', 'paper']
		},
		{
			code: `bench-online-${year}`,
			kind: 'online',
			weight: 0.5,
			share: 0.25,
			channels: ['online']
		}
	];
}

/** The six rating questions of standard-appraisal, with how citizens lean on each. */
const QUESTIONS: readonly [code: string, lean: number][] = [
	['transparency', 0],
	['service', 0.1],
	['integrity', 0.15],
	['attitude', 0.05],
	['quality', 0],
	['efficiency', -0.25]
];

function pick<T>(items: readonly T[], weights: readonly number[], u: number): T {
	const total = weights.reduce((a, b) => a + b, 0);
	let x = u * total;
	for (let i = 0; i < items.length; i++) {
		x -= weights[i]!;
		if (x < 0) return items[i]!;
	}
	return items[items.length - 1]!;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function daysInYear(year: number): number {
	return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
}

function dateOfYear(year: number, dayIndex: number): string {
	const d = new Date(Date.UTC(year, 0, 1 + dayIndex));
	return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/**
 * Writes the responses file: `responses` responses of six rating answers each, every response
 * about one department; levels 1–5 skewed towards satisfied, 0 (don't know) for about 4 % of the
 * answers. Returns its size. The file is written in ~1 MB chunks, honouring back-pressure, so
 * memory stays flat whatever the count.
 */
export async function writeResponsesCsv(
	path: string,
	opts: {
		responses: number;
		year: number;
		seed: number;
		departments: BenchDepartment[];
		campaigns: BenchCampaign[];
	}
): Promise<{ bytes: number; rows: number }> {
	const random = rng(opts.seed);
	const out = createWriteStream(path, { encoding: 'utf8' });
	const depShares = opts.departments.map((d) => d.share);
	const campShares = opts.campaigns.map((c) => c.share);
	const days = daysInYear(opts.year);
	// ≈ N(0, σ) from three uniforms: cheap and bounded.
	const noise = (sigma: number) => (random() + random() + random() - 1.5) * 2 * sigma;
	let chunk =
		'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer\n';
	let rows = 0;
	for (let i = 1; i <= opts.responses; i++) {
		const d = pick(opts.departments, depShares, random());
		const c = pick(opts.campaigns, campShares, random());
		const channel = c.channels[Math.floor(random() * c.channels.length)]!;
		const day = dateOfYear(opts.year, Math.floor(random() * days));
		const secs = 8 * 3600 + Math.floor(random() * 12 * 3600);
		const at = `${day} ${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`;
		const key = `R${opts.year}-${String(i).padStart(8, '0')}`;
		const mood = noise(0.45);
		const prefix = `${key},${c.code},${channel},${at},${d.code},`;
		for (const [question, lean] of QUESTIONS) {
			let level: number;
			if (random() < 0.04) level = 0;
			else {
				const mu = 3.85 + 0.7 * d.quality + lean + mood + noise(0.7);
				level = Math.min(5, Math.max(1, Math.round(mu)));
			}
			chunk += `${prefix}${question},${level}\n`;
			rows++;
		}
		if (chunk.length >= 1 << 20) {
			if (!out.write(chunk)) await once(out, 'drain');
			chunk = '';
		}
	}
	out.end(chunk);
	await once(out, 'finish');
	return { bytes: (await stat(path)).size, rows };
}

/**
 * The year's holiday list: weekday holidays on the usual Chinese public-holiday dates and two
 * adjusted weekend workdays (调休), like the calendar a province publishes.
 */
export function holidays(year: number): { date: string; kind: 'holiday' | 'workday' }[] {
	const ranges: [month: number, from: number, to: number][] = [
		[1, 1, 1],
		[2, 10, 16],
		[4, 4, 6],
		[5, 1, 5],
		[6, 2, 2],
		[9, 15, 17],
		[10, 1, 7]
	];
	const out: { date: string; kind: 'holiday' | 'workday' }[] = [];
	for (const [month, from, to] of ranges)
		for (let day = from; day <= to; day++) {
			const d = new Date(Date.UTC(year, month - 1, day));
			const wd = d.getUTCDay();
			if (wd !== 0 && wd !== 6)
				out.push({ date: `${year}-${pad2(month)}-${pad2(day)}`, kind: 'holiday' });
		}
	// The first weekend day before the spring holiday and after the national-day week are worked.
	for (const [month, day, step] of [
		[2, 9, -1],
		[10, 8, 1]
	] as const) {
		const d = new Date(Date.UTC(year, month - 1, day));
		while (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) d.setUTCDate(d.getUTCDate() + step);
		out.push({
			date: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
			kind: 'workday'
		});
	}
	return out;
}

/**
 * Campaigns, the holiday calendar, cases, complaints and findings, set-based in SQL (fast and
 * deterministic: `setseed` before the `random()` calls, all in one transaction on one
 * connection). Departments and the year exist already.
 */
export async function seedRecords(
	sql: Sql,
	opts: { year: number; seed: number; counts: Counts; campaigns: BenchCampaign[] }
): Promise<void> {
	const { year, counts } = opts;
	await sql.begin(async (tx) => {
		await tx`select setseed(${(opts.seed % 1000) / 1000})`;
		for (const c of opts.campaigns)
			await tx`insert into campaign (code, year, kind, questionnaire_id, weight, name_zh, name_en)
				select ${c.code}, ${year}, ${c.kind}, q.id, ${c.weight}, ${`基准${c.kind}`}, ${`Bench ${c.kind}`}
				from questionnaire q where q.code = 'standard-appraisal' and q.version = 1`;
		for (const h of holidays(year))
			await tx`insert into calendar_day (date, kind) values (${h.date}, ${h.kind})
				on conflict (date) do nothing`;

		// Cases: accepted from 12 December of Y−1 (those are not counted) to 31 December of Y,
		// 3 % still open, completion mostly within the promise; more cases for some departments.
		await tx`
			with d as (select array_agg(id order by code) as ids from department where code ~ '^B[MV]'),
			g as (
				select g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
				from generate_series(1, ${counts.cases}::int) g
			),
			c as (
				select g.*, d.ids[1 + floor(power(r1, 1.4) * cardinality(d.ids))::int] as department_id,
					(array[0, 0, 1, 3, 5, 5, 10, 15, 20])[1 + floor(r2 * 9)::int] as pw,
					(make_date(${year}::int, 1, 1) - 20 + floor(r4 * (make_date(${year}::int + 1, 1, 1) - make_date(${year}::int, 1, 1) + 20))::int
						+ time '08:00' + r5 * interval '10 hours') at time zone 'Asia/Shanghai' as acc
				from g, d
			)
			insert into service_case (case_no, department_id, item_code, item_name, accepted_at,
				completed_at, promised_working_days)
			select 'BC' || lpad(g::text, 8, '0'), department_id, 'ITEM' || lpad((g % 400)::text, 3, '0'),
				'基准事项' || (g % 400),
				acc,
				case when r3 < 0.03 then null
					when pw = 0 then acc + (case when r6 < 0.95 then r6 * interval '6 hours' else interval '1 day' end)
					else acc + (pw * 1.35 * (0.15 + r6)) * interval '1 day' end,
				pw
			from c`;

		await tx`
			with d as (select array_agg(id order by code) as ids from department where code ~ '^B[MV]'),
			g as (
				select g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
				from generate_series(1, ${counts.complaints}::int) g
			),
			c as (
				select g.*, d.ids[1 + floor(r1 * cardinality(d.ids))::int] as department_id,
					(case when r3 < 0.2 then 'substantiated' when r3 < 0.4 then 'partial'
						when r3 < 0.92 then 'unfounded' end)::complaint_verdict as verdict,
					(make_date(${year}::int, 1, 1) - 10 + floor(r4 * (make_date(${year}::int + 1, 1, 1) - make_date(${year}::int, 1, 1) + 10))::int
						+ time '09:00' + r5 * interval '8 hours') at time zone 'Asia/Shanghai' as rec
				from g, d
			)
			insert into complaint (complaint_no, department_id, received_at, channel, category, verdict,
				concluded_at, response_late, summary)
			select 'BT' || lpad(g::text, 7, '0'), department_id, rec,
				(array['12345热线', '网站', '来信', '来访'])[1 + floor(r2 * 4)::int],
				(array['办事拖延', '态度生硬', '推诿扯皮', '乱收费'])[1 + floor(r6 * 4)::int],
				verdict,
				case when verdict is null then null else rec + (1 + r5 * 20) * interval '1 day' end,
				verdict is not null and r6 < 0.12,
				'基准投诉摘要 ' || g
			from c`;

		await tx`
			with d as (select array_agg(id order by code) as ids from department where code ~ '^B[MV]'),
			g as (
				select g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
				from generate_series(1, ${counts.findings}::int) g
			)
			insert into finding (finding_no, department_id, date, source, points, status, description,
				dispute_reason, disputed_at)
			select 'BF' || lpad(g::text, 6, '0'),
				d.ids[1 + floor(r1 * cardinality(d.ids))::int],
				make_date(${year}::int, 1, 1) + floor(r2 * (make_date(${year}::int + 1, 1, 1) - make_date(${year}::int, 1, 1)))::int,
				(array['special_inspection', 'undercover_visit', 'onsite_measurement',
					'task_supervision'])[1 + floor(r3 * 4)::int]::finding_source,
				case when r4 < 0.85 then -(array[0.1, 0.2, 0.5, 1.0])[1 + floor(r5 * 4)::int]
					else (array[0.5, 1, 2])[1 + floor(r5 * 3)::int] end,
				(case when r6 < 0.85 then 'confirmed' when r6 < 0.9 then 'disputed'
					when r6 < 0.95 then 'withdrawn' else 'recorded' end)::finding_status,
				'基准督查发现 ' || g,
				case when r6 >= 0.85 and r6 < 0.9 then '基准申诉理由' end,
				case when r6 >= 0.85 and r6 < 0.9 then now() end
			from g, d`;
	});
	await sql`vacuum analyze`;
}
