// The benchmark's command line: `npm run bench -- [--scale 0.05] [--runs 3] [--only compute] …`.
import { parseArgs } from 'node:util';

/** The parts of the benchmark that can be measured on their own (`--only`). */
export const SECTIONS = ['import', 'compute', 'pages', 'export', 'submissions'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
	/** Admin connection string of the PostgreSQL server; bench databases are created beside it. */
	adminUrl: string;
	/** Multiplies every record count (departments and campaigns stay as they are). */
	scale: number;
	/** Runs per measurement; the table reports the median. */
	runs: number;
	/** Keep the bench databases and the generated files instead of dropping them. */
	keep: boolean;
	/** The evaluation year generated: the previous calendar year by default. */
	year: number;
	/** Where the generated files go. */
	tmpDir: string;
	/** Pseudo-random seed of the generated data (same seed, same files). */
	seed: number;
	/** Folder of the JSON result files. */
	resultsDir: string;
	/** The parts measured: every one unless `--only` names some. */
	only: ReadonlySet<Section>;
}

const USAGE = `usage: npm run bench -- [options]

  --scale N      multiply every record count by N (default 1: 1,000,000 responses,
                 200,000 cases, 5,000 complaints, 3,000 findings; 0.02 for a quick run)
  --runs N       runs per measurement, median reported (default 3)
  --year Y       evaluation year to generate (default: last calendar year)
  --seed N       seed of the generated data (default 20260101)
  --tmp DIR      folder for the generated CSV files (default: bench/tmp)
  --only LIST    measure only these parts, comma-separated: import, compute, pages,
                 export, submissions (default: all). export: the responses export of
                 campaigns of 10,000, 100,000 and 1,000,000 responses (times --scale) beside
                 COPY TO. submissions is measured on its own database (the built app and a
                 bare floor server at 50 concurrent clients; see docs/performance.md).
                 Without import the responses are loaded set-based from
                 a COPY of the file, untimed; pages without compute computes the year once,
                 untimed, and still measures the GROUP BY floor the pages are compared with
  --keep         keep the bench databases and generated files
  -h, --help     this text

Environment: BENCH_DATABASE_URL, an admin connection string
(default postgres://postgres@127.0.0.1:5432/postgres); the bench creates and drops its own
databases named pingyi_bench_<timestamp>[_<run>] on that server.`;

export class UsageError extends Error {}

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
	if (raw === undefined) return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
	return n;
}

/** Parsed options, or null when help was asked for (printed already). */
export function parseOptions(argv: string[], env = process.env): BenchOptions | null {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			options: {
				scale: { type: 'string' },
				runs: { type: 'string' },
				year: { type: 'string' },
				seed: { type: 'string' },
				tmp: { type: 'string' },
				keep: { type: 'boolean' },
				only: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			},
			allowPositionals: false
		});
	} catch (e) {
		throw new UsageError(`${(e as Error).message}\n\n${USAGE}`);
	}
	const v = parsed.values;
	if (v.help) {
		console.log(USAGE);
		return null;
	}
	const scale = positiveNumber('scale', v.scale, 1);
	if (scale > 10) throw new UsageError('--scale must be at most 10');
	const runs = positiveNumber('runs', v.runs, 3);
	if (!Number.isInteger(runs)) throw new UsageError('--runs must be a whole number');
	const year = positiveNumber('year', v.year, new Date().getFullYear() - 1);
	if (!Number.isInteger(year) || year < 2000 || year > 2100)
		throw new UsageError('--year must be a year between 2000 and 2100');
	const only = new Set<Section>();
	for (const part of (v.only ?? SECTIONS.join(',')).split(',')) {
		const name = part.trim();
		if (!(SECTIONS as readonly string[]).includes(name))
			throw new UsageError(`--only takes ${SECTIONS.join(', ')} (comma-separated), not "${name}"`);
		only.add(name as Section);
	}
	return {
		adminUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
		scale,
		runs,
		keep: v.keep ?? false,
		year,
		tmpDir: v.tmp ?? 'bench/tmp',
		seed: positiveNumber('seed', v.seed, 20260101),
		resultsDir: 'bench/results',
		only
	};
}
