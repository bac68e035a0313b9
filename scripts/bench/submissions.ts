// `npm run bench -- --only submissions`: submissions per second through the built app on
// PostgreSQL at 50 concurrent clients — `POST /api/v1/responses` with an API token, and the
// respondent page's form post (`POST /i/<token>`) — beside a bare node:http + postgres.js floor
// (submissions-floor.ts) storing the same rows, all measured in one run on one fresh database;
// and the respondent page's JavaScript, gzipped. Every goal is a ratio to the floor.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import type { Actor } from '$lib/server/audit';
import * as apiTokens from '$lib/server/auth/api-token';
import { bootstrap } from '$lib/server/bootstrap';
import { openDatabase, rows } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { buildState, scanInputs, writeStamp } from '../build-state.js';
import { BenchDatabases, connect } from './database';
import type { BenchOptions } from './options';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const actor: Actor = { kind: 'cli', id: null, label: 'bench', address: null };
const CONCURRENCY = 50;
const SECRET = 'pingyi-bench-invitation-secret-0123456789abcdef';

/** Throughput and latency of one target: requests per second and p50/p95/p99 in ms. */
export interface Load {
	name: string;
	requests: number;
	ok: number;
	failed: number;
	firstFailure?: string;
	perSecond: number;
	p50: number;
	p95: number;
	p99: number;
}

export interface SubmissionResults {
	startedAt: string;
	finishedAt?: string;
	concurrency: number;
	requests: number;
	floor: Load;
	api: Load;
	form: Load;
	ratios: { api: number; form: number; apiP99: number; formP99: number };
	goals: { throughputRatio: number; p99Ratio: number };
	/** The respondent page's JavaScript: each module it loads, gzipped, and the sum. */
	pageJs: {
		files: number;
		bytes: number;
		gzipBytes: number;
		goalGzipBytes: number;
		/** Loaded once the page is up (its `import()`s). */
		lazy: { files: number; bytes: number; gzipBytes: number };
	};
	storedResponses: number;
}

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0
		? NaN
		: sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Sent {
	status: number;
	body: string;
}

/** One request on a keep-alive agent. */
function send(
	agent: Agent,
	port: number,
	path: string,
	headers: Record<string, string>,
	body: string
): Promise<Sent> {
	return new Promise((ok, ko) => {
		const req = request(
			{ host: '127.0.0.1', port, path, method: 'POST', agent, headers },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
				);
			}
		);
		req.on('error', ko);
		req.end(body);
	});
}

/**
 * `count` requests from `CONCURRENCY` clients, each sending its next request when the last is
 * answered; `expect` says whether an answer is a success.
 */
async function drive(
	name: string,
	port: number,
	count: number,
	make: (i: number) => { path: string; headers: Record<string, string>; body: string },
	expect: (r: Sent) => boolean
): Promise<Load> {
	const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	const times: number[] = [];
	let next = 0;
	let failed = 0;
	let firstFailure: string | undefined;
	const started = process.hrtime.bigint();
	const client = async () => {
		while (next < count) {
			const { path, headers, body } = make(next++);
			const t0 = process.hrtime.bigint();
			try {
				const r = await send(agent, port, path, headers, body);
				if (!expect(r)) {
					failed++;
					firstFailure ??= `${r.status} ${r.body.slice(0, 300)}`;
				}
			} catch (e) {
				failed++;
				firstFailure ??= String(e);
			}
			times.push(Number(process.hrtime.bigint() - t0) / 1e6);
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, client));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	agent.destroy();
	times.sort((a, b) => a - b);
	return {
		name,
		requests: count,
		ok: count - failed,
		failed,
		...(firstFailure ? { firstFailure } : {}),
		perSecond: round(count / seconds),
		p50: round(percentile(times, 0.5)),
		p95: round(percentile(times, 0.95)),
		p99: round(percentile(times, 0.99))
	};
}

/** Starts a server process and waits for it to say "Listening on". */
async function start(
	args: string[],
	env: NodeJS.ProcessEnv,
	log: (m: string) => void
): Promise<ChildProcess> {
	const child = spawn(process.execPath, args, {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	await new Promise<void>((ok, ko) => {
		const timer = setTimeout(() => ko(new Error(`no "Listening on" in 60 s:\n${output}`)), 60_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('Listening on')) {
				clearTimeout(timer);
				ok();
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			ko(new Error(`exited with ${code}:\n${output}`));
		});
	});
	child.stderr!.on('data', (c: Buffer) => log(`  ${args.at(-1)}: ${c.toString().trim()}`));
	return child;
}

const stop = (child: ChildProcess | undefined) =>
	new Promise<void>((ok) => {
		if (!child || child.exitCode !== null || child.signalCode !== null) return ok();
		child.once('exit', () => ok());
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
	});

/** Builds the app when build/ is missing or older than its sources (as `npm start` does). */
function ensureBuilt(log: (m: string) => void) {
	const state = buildState(ROOT) as { fresh: boolean; reason?: string };
	if (state.fresh && existsSync(join(ROOT, 'build', 'index.js'))) return;
	log(`building the app (${state.reason ?? 'stale'})`);
	const before = scanInputs(ROOT);
	const startedAt = new Date();
	const r = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (r.status !== 0) throw new Error(`the build failed (exit ${r.status})`);
	writeStamp(ROOT, before, startedAt);
}

interface ManifestChunk {
	file: string;
	imports?: string[];
	dynamicImports?: string[];
}

/**
 * The JavaScript the respondent page loads, as its answer names it (module preloads and the
 * entry imports: every static import of the page), each file gzipped as a server would send it;
 * and, apart, what those modules load later with `import()` (the build's manifest says which:
 * the form's check and its wording, loaded once the page is up), not counting the app entry's
 * imports of the other pages.
 */
async function pageJavaScript(origin: string, path: string) {
	const res = await fetch(`${origin}${path}`);
	const html = await res.text();
	const srcs = new Set<string>();
	// A server-rendered page names its module preloads in the Link header (a prerendered one in
	// <link> tags): `<path>; rel="modulepreload"; nopush`.
	for (const part of (res.headers.get('link') ?? '').split(','))
		if (part.includes('rel="modulepreload"')) srcs.add(/<([^>]+)>/.exec(part)![1]!);
	for (const [tag] of html.matchAll(/<link\b[^>]*>/g))
		if (tag.includes('rel="modulepreload"')) srcs.add(/href="([^"]+)"/.exec(tag)![1]!);
	for (const m of html.matchAll(/import\("([^"]+\.js)"\)/g)) srcs.add(m[1]!);
	if (srcs.size === 0)
		throw new Error(`${path} answered ${res.status} with no modules: ${html.slice(0, 500)}`);
	const sizes = async (urls: Iterable<string>) => {
		let bytes = 0;
		let gzipBytes = 0;
		for (const src of urls) {
			const body = Buffer.from(await (await fetch(new URL(src, `${origin}${path}`))).arrayBuffer());
			bytes += body.length;
			gzipBytes += gzipSync(body, { level: 9 }).length;
		}
		return { bytes, gzipBytes };
	};
	const first = await sizes(srcs);

	const manifest = JSON.parse(
		readFileSync(join(ROOT, '.svelte-kit/output/client/.vite/manifest.json'), 'utf8')
	) as Record<string, ManifestChunk>;
	const keyOf = new Map(Object.entries(manifest).map(([key, c]) => [c.file, key]));
	const loaded = new Set(
		[...srcs].map((src) => new URL(src, `${origin}${path}`).pathname.slice(1))
	);
	const later = new Set<string>();
	const add = (key: string) => {
		const c = manifest[key];
		if (!c || loaded.has(c.file) || later.has(c.file)) return;
		later.add(c.file);
		for (const k of c.imports ?? []) add(k);
	};
	for (const file of loaded) {
		if (file.includes('/entry/')) continue;
		for (const k of manifest[keyOf.get(file) ?? '']?.dynamicImports ?? []) add(k);
	}
	const lazy = await sizes([...later].map((f) => `/${f}`));
	return {
		files: srcs.size,
		...first,
		lazy: { files: later.size, ...lazy }
	};
}

export async function benchSubmissions(
	opts: BenchOptions,
	log: (m: string) => void
): Promise<SubmissionResults> {
	const requests = Math.max(200, Math.round(3000 * Math.min(opts.scale, 1)));
	const startedAt = new Date();
	const stamp = startedAt.toISOString().replace(/\.\d+Z$/, 'Z');
	const name = `pingyi_bench_sub_${stamp.replace(/[-:TZ]/g, '').toLowerCase()}`;
	const dbs = new BenchDatabases(opts.adminUrl, name);
	ensureBuilt(log);
	let app: ChildProcess | undefined;
	let floor: ChildProcess | undefined;
	try {
		const url = await dbs.create(name);
		log(`database ${name}: migrations, the first admin and the example departments`);
		const handle = await openDatabase({ url, max: 4 });
		const year = new Date().getFullYear();
		let token: string;
		let invitations: string[];
		let campaignCode: string;
		let campaignId: number;
		let department: string;
		let departmentIds: string;
		let questions: { code: string; slot: number }[];
		try {
			await handle.migrate();
			await bootstrap(handle.db, { ADMIN_PASSWORD: 'bench-admin-password-0123' }, () => {});
			const input = createCampaignSchema.parse({ code: 'bench', year, kind: 'online' });
			const c = await handle.db.transaction((tx) => surveys.createCampaign(tx, input, actor));
			campaignCode = c.code;
			campaignId = c.id;
			// A sample of call-list units (no register enterprise needed), one invitation each.
			await handle.db.execute(sql`insert into campaign_sample (campaign_id, source, seed, size)
				values (${c.id}, 'drawn', 1, ${requests * 2})`);
			await handle.db.execute(sql`insert into sample_unit (campaign_id, position, name, township)
				select ${c.id}, n, '企业 ' || n, '城关镇' from generate_series(1, ${requests * 2}) n`);
			await handle.db.execute(sql`update campaign set state = 'active' where id = ${c.id}`);
			process.env.INVITATION_SECRET = SECRET;
			invitations = (await surveys.createInvitations(handle.db, c.code, actor)).created.map(
				(x) => x.token
			);
			token = (await apiTokens.create(handle.db, { name: 'bench', role: 'supervisor' }, actor))
				.token;
			const ref = (await surveys.campaignRefs(handle.db, c.code)).get(c.code)!;
			questions = [...ref.questions.values()]
				.filter((q) => q.kind === 'rating')
				.map((q) => ({ code: q.code, slot: q.slot! }));
			const deps = await rows<{ code: string; id: number }>(
				handle.db,
				sql`select code, id from department where active order by code`
			);
			department = deps[0]!.code;
			departmentIds = deps.map((d) => `${d.code}=${d.id}`).join(',');
		} finally {
			await handle.close();
		}

		const appPort = 43100 + Math.floor(Math.random() * 400);
		const floorPort = appPort + 500;
		const origin = `http://127.0.0.1:${appPort}`;
		const env: NodeJS.ProcessEnv = { ...process.env };
		for (const k of ['PGLITE_DIR', 'ADDRESS_HEADER', 'XFF_DEPTH']) delete env[k];
		Object.assign(env, {
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(appPort),
			ORIGIN: origin,
			DATABASE_URL: url,
			INVITATION_SECRET: SECRET,
			ADMIN_PASSWORD: 'bench-admin-password-0123'
		});
		log(`starting the built app on ${appPort} and the floor on ${floorPort}`);
		// BENCH_CPU_PROF=<folder>: the app writes a V8 CPU profile there when it stops.
		const profile = process.env.BENCH_CPU_PROF;
		app = await start(
			[...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), join(ROOT, 'build')],
			env,
			log
		);
		floor = await start(
			[
				'--import',
				'tsx',
				fileURLToPath(new URL('./submissions-floor.ts', import.meta.url)),
				url,
				String(floorPort),
				String(campaignId),
				departmentIds,
				questions.map((q) => `${q.code}=${q.slot}`).join(',')
			],
			{ ...process.env },
			log
		);

		const answers = (i: number) =>
			questions.map((q, k) => ({
				department_code: department,
				question_code: q.code,
				answer: (i + k) % 6
			}));
		const json = (prefix: string, auth: boolean) => (i: number) => ({
			path: '/api/v1/responses',
			headers: {
				'content-type': 'application/json',
				...(auth ? { authorization: `Bearer ${token}` } : {})
			},
			body: JSON.stringify({
				response_key: `${prefix}-${i}`,
				campaign_code: campaignCode,
				channel: 'online',
				submitted_at: new Date().toISOString(),
				answers: answers(i)
			})
		});
		const form = (offset: number) => (i: number) => {
			const f = new URLSearchParams({ response_key: `form-${offset + i}`, d: department });
			for (const a of answers(i))
				f.set(`r:${a.department_code}:${a.question_code}`, String(a.answer));
			return {
				path: `/i/${invitations[offset + i]}`,
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin,
					accept: 'text/html'
				},
				body: f.toString()
			};
		};
		const created = (r: Sent) => r.status === 201;
		const redirected = (r: Sent) => r.status === 303;

		// Warm-up: JIT, pools, caches.
		const warm = Math.min(200, Math.round(requests / 10));
		log(`warm-up: ${warm} requests each`);
		await drive('floor', floorPort, warm, json('warm-floor', false), created);
		await drive('api', appPort, warm, json('warm-api', true), created);
		await drive('form', appPort, warm, form(requests), redirected);

		log(`${requests} requests each at ${CONCURRENCY} concurrent clients`);
		const floorLoad = await drive('floor', floorPort, requests, json('floor', false), created);
		log(`  floor: ${floorLoad.perSecond}/s, p99 ${floorLoad.p99} ms`);
		// BENCH_TARGETS=api or =form: only that one (a CPU profile of one path); the other is
		// reported as not measured.
		const only = process.env.BENCH_TARGETS;
		const skipped = (name: string): Load => ({
			name,
			requests: 0,
			ok: 0,
			failed: 0,
			perSecond: 0,
			p50: 0,
			p95: 0,
			p99: 0
		});
		const apiLoad =
			only && only !== 'api'
				? skipped('api')
				: await drive('api', appPort, requests, json('api', true), created);
		log(`  api: ${apiLoad.perSecond}/s, p99 ${apiLoad.p99} ms`);
		const formLoad =
			only && only !== 'form'
				? skipped('form')
				: await drive('form', appPort, requests, form(0), redirected);
		log(`  form: ${formLoad.perSecond}/s, p99 ${formLoad.p99} ms`);

		const pageJs = await pageJavaScript(origin, `/i/${invitations[requests * 2 - 1]}`);
		const sqlc = connect(url);
		const [stored] = await sqlc<{ n: number }[]>`select count(*)::int as n from survey_response`;
		await sqlc.end();
		const ratio = (a: number, b: number) => round(a / b, 2);
		return {
			startedAt: startedAt.toISOString(),
			finishedAt: new Date().toISOString(),
			concurrency: CONCURRENCY,
			requests,
			floor: floorLoad,
			api: apiLoad,
			form: formLoad,
			ratios: {
				api: ratio(apiLoad.perSecond, floorLoad.perSecond),
				form: ratio(formLoad.perSecond, floorLoad.perSecond),
				apiP99: ratio(apiLoad.p99, floorLoad.p99),
				formP99: ratio(formLoad.p99, floorLoad.p99)
			},
			goals: { throughputRatio: 0.6, p99Ratio: 2 },
			pageJs: { ...pageJs, goalGzipBytes: 40 * 1024 },
			storedResponses: stored!.n
		};
	} finally {
		await stop(app);
		await stop(floor);
		if (opts.keep) log(`kept database ${name}`);
		else await dbs.dropAll().catch((e: unknown) => log(`could not drop ${name}: ${String(e)}`));
	}
}

/** The results as a table. */
export function submissionsText(r: SubmissionResults): string {
	const line = (l: Load, ratio?: number, p99Ratio?: number) =>
		`${l.name.padEnd(28)} ${String(l.perSecond).padStart(9)}/s  p50 ${String(l.p50).padStart(6)} ms  p95 ${String(l.p95).padStart(6)} ms  p99 ${String(l.p99).padStart(6)} ms` +
		(ratio === undefined
			? ''
			: `  ${ratio}× floor (goal ≥ ${r.goals.throughputRatio}), p99 ${p99Ratio}× (goal ≤ ${r.goals.p99Ratio})`) +
		(l.failed ? `  ${l.failed} FAILED: ${l.firstFailure}` : '');
	return [
		'',
		`Submissions — ${r.requests} requests each at ${r.concurrency} concurrent clients`,
		line({ ...r.floor, name: 'floor (node:http + postgres)' }),
		line({ ...r.api, name: 'POST /api/v1/responses' }, r.ratios.api, r.ratios.apiP99),
		line({ ...r.form, name: 'respondent form POST /i/…' }, r.ratios.form, r.ratios.formP99),
		`respondent page JavaScript: ${r.pageJs.files} files, ${round(r.pageJs.bytes / 1024)} KB, ` +
			`${round(r.pageJs.gzipBytes / 1024)} KB gzipped (goal < ${r.pageJs.goalGzipBytes / 1024} KB); ` +
			`then, once the page is up: ${r.pageJs.lazy.files} files, ${round(r.pageJs.lazy.gzipBytes / 1024)} KB gzipped`,
		`responses stored: ${r.storedResponses}`
	].join('\n');
}
