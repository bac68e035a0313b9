// Runs the built app (`node build`, where SvelteKit's own checks are on) for security and browser
// tests: a free port, a fresh database, an optional seed step, a controllable clock, and clean-up.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootstrap, SYSTEM_ACTOR } from '$lib/server/bootstrap';
import { removeExamples } from '$lib/server/complaints/examples';
import { openDatabase, type Database, type DatabaseHandle } from '$lib/server/db';
import { createPostgresDatabase } from './db';
import { enrolRequired, keyFromSetupPage, TEST_TOTP_KEY, TotpCodes } from './two-factor';

export const ADMIN = { username: 'admin', password: 'adminpass123' } as const;

const ROOT = resolve(import.meta.dirname, '../..');
const BUILD = join(ROOT, 'build');
const FAKE_CLOCK = join(ROOT, 'tests/helpers/fake-clock.js');
const START_TIMEOUT_MS = 60_000;

export interface AppOptions {
	/** A fresh PostgreSQL database on TEST_DATABASE_URL instead of a PGlite folder. */
	postgres?: boolean;
	/** `https` runs the app as if behind TLS (ORIGIN=https://…), for the cookie flags. */
	scheme?: 'http' | 'https';
	/** Runs on the migrated database, after the first admin exists and before the app starts. */
	seed?: (db: Database) => Promise<void>;
	env?: Record<string, string>;
	/** The database address the app is given, from the fresh database's (a proxy's, say). */
	databaseUrl?: (url: string) => string;
	/**
	 * With `postgres`: the server the fresh database is made on, as a connection string to one of
	 * its databases (a throw-away cluster's, say); TEST_DATABASE_URL by default.
	 */
	server?: string;
	/**
	 * Another instance of the app on the database of `app` (PostgreSQL): nothing is migrated,
	 * bootstrapped or seeded, and `dispose` leaves the database to `app`.
	 */
	sameDatabaseAs?: RunningApp;
	/** Keeps the example complaints of the first start (removed otherwise, before `seed`). */
	exampleComplaints?: boolean;
}

export interface FetchOptions extends RequestInit {
	/** A `Cookie` header value, e.g. from `signIn`. */
	cookie?: string | null;
	/** Sends from this loopback address (127.x.y.z), so the app sees another client address. */
	from?: string;
	/**
	 * Adds the headers a browser sends with a same-origin request (Origin, Sec-Fetch-Site).
	 * Default: on for anything but GET/HEAD.
	 */
	sameOrigin?: boolean;
}

export interface SignedIn {
	/** The answer to the password step (its status, its Set-Cookie). */
	response: Response;
	/** `name=value` for a Cookie header, or null when no session was set. */
	cookie: string | null;
	/** The raw Set-Cookie line of the session cookie. */
	setCookie: string | null;
}

export interface RunningApp {
	/** What the app believes it is served at (ORIGIN). */
	origin: string;
	/** Where the tests connect. */
	baseUrl: string;
	port: number;
	/** The process id of the app (a new one after `restart`). */
	readonly pid: number;
	driver: 'pglite' | 'postgres';
	pgliteDir: string | null;
	databaseUrl: string | null;
	/** The run's own folder: the PGlite database, the audit key and the anchor file. */
	workDir: string;
	sessionCookieName: string;
	/** Everything the app printed. */
	logs(): string;
	/** Moves the app's clock forward (the offset accumulates). */
	advanceClock(ms: number): void;
	fetch(path: string, options?: FetchOptions): Promise<Response>;
	/**
	 * Signs in, and completes the second step when the app asks for it (a code from the known
	 * key, or enrolment with the key the setup page shows) unless `secondStep: false`.
	 */
	signIn(
		username: string,
		password: string,
		options?: FetchOptions & { secondStep?: boolean }
	): Promise<SignedIn>;
	/** Sudo mode for a signed-in session, confirmed with the password. */
	sudo(cookie: string, password: string, options?: FetchOptions): Promise<Response>;
	/** The TOTP codes of the accounts the helpers enrolled (tests/helpers/two-factor.ts). */
	totp: TotpCodes;
	/** Another process's handle on the app's database (PGlite: refused while the app runs). */
	openDatabase(): Promise<DatabaseHandle>;
	/** Stops the app; the database stays until `dispose`. */
	stop(): Promise<void>;
	/** Kills the app with SIGKILL (no clean-up in it) and waits until it is gone. */
	kill(): Promise<void>;
	/** Starts the app again, stopped or killed, on the same port, database and environment. */
	restart(): Promise<void>;
	/** Stops the app and deletes its database. */
	dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
	// Below the kernel's ephemeral range (32768–60999 here): a port the system chose (listen(0))
	// could be the local port of any outgoing connection made before the app listens on it (a
	// client of PostgreSQL in a test running beside this one), and the app then fails to start.
	const [low, high] = [20_000, 32_767];
	const start = low + Math.floor(Math.random() * (high - low));
	for (let i = 0; i < high - low; i++) {
		const port = low + ((start - low + i) % (high - low));
		if (await canListen(port)) return port;
	}
	throw new Error(`no free port in ${low}–${high}`);
}

function canListen(port: number): Promise<boolean> {
	return new Promise((ok) => {
		const s = createServer();
		s.unref();
		s.once('error', () => ok(false));
		s.listen(port, '127.0.0.1', () => s.close(() => ok(true)));
	});
}

/**
 * A migrated, empty PGlite folder to copy: creating a PGlite database on disk takes ~10 s (its
 * initdb), copying one a fraction of that. Cached in the temp folder under a key of the
 * migrations and the PGlite version, so a changed migration makes a new one.
 */
export async function pgliteTemplate(): Promise<string> {
	const hash = createHash('sha256');
	const migrations = join(ROOT, 'drizzle');
	for (const f of readdirSync(migrations, { recursive: true, encoding: 'utf8' }).sort()) {
		if (f.endsWith('.sql') || f.endsWith('.json'))
			hash.update(f).update(readFileSync(join(migrations, f)));
	}
	hash.update(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json')));
	const dir = join(tmpdir(), `pingyi-pglite-template-${hash.digest('hex').slice(0, 16)}`);
	if (existsSync(dir)) return dir;
	const building = mkdtempSync(join(tmpdir(), 'pingyi-pglite-building-'));
	const handle = await openDatabase({ pgliteDir: building });
	try {
		await handle.migrate();
	} finally {
		await handle.close();
	}
	try {
		// Atomic: a concurrent test file building the same template either wins or finds ours.
		renameSync(building, dir);
	} catch {
		rmSync(building, { recursive: true, force: true });
	}
	return dir;
}

/** A request sent over node:http so that it can leave from a chosen local address. */
async function fetchFrom(localAddress: string, url: string, init: RequestInit): Promise<Response> {
	const request = new Request(url, init);
	const body = Buffer.from(await request.arrayBuffer());
	const headers: Record<string, string> = {};
	request.headers.forEach((v, k) => (headers[k] = v));
	if (body.length) headers['content-length'] = String(body.length);
	const target = new URL(url);
	return new Promise((ok, ko) => {
		const req = http.request(
			{
				host: target.hostname,
				port: target.port,
				path: target.pathname + target.search,
				method: request.method,
				headers,
				localAddress
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', ko);
				res.on('end', () => {
					const h = new Headers();
					for (const [k, v] of Object.entries(res.headers)) {
						for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, one);
					}
					const status = res.statusCode ?? 500;
					const nullBody = status === 204 || status === 304;
					ok(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: h }));
				});
			}
		);
		req.on('error', ko);
		req.end(body);
	});
}

/** Starts the built app on a fresh database; call `dispose()` after the tests. */
export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
	if (!existsSync(join(BUILD, 'index.js'))) {
		throw new Error('build/ is missing: run `npm run test:e2e`, which builds the app first');
	}
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const scheme = options.scheme ?? 'http';
	const origin = scheme === 'https' ? `https://pingyi.test:${port}` : baseUrl;
	const work = mkdtempSync(join(tmpdir(), 'pingyi-app-'));
	const clockFile = join(work, 'clock');
	writeFileSync(clockFile, '0');
	let clockOffset = 0;

	const shared = options.sameDatabaseAs;
	if (shared && !shared.databaseUrl)
		throw new Error('sameDatabaseAs: only an app on PostgreSQL can share its database');
	let pgliteDir: string | null = null;
	let pg: { url: string; drop(): Promise<void> } | null = null;
	if (shared) pg = { url: shared.databaseUrl!, drop: async () => {} };
	else if (options.postgres) pg = await createPostgresDatabase(options.server);
	else {
		pgliteDir = join(work, 'pglite');
		cpSync(await pgliteTemplate(), pgliteDir, { recursive: true });
	}
	const openOwn = () => openDatabase(pg ? { url: pg.url, max: 2 } : { pgliteDir: pgliteDir! });

	const cleanUp = async () => {
		await pg?.drop();
		rmSync(work, { recursive: true, force: true });
	};

	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST') delete env[k];
	delete env.DATABASE_URL;
	delete env.PGLITE_DIR;
	delete env.ADDRESS_HEADER;
	delete env.XFF_DEPTH;
	delete env.PINGYI_AUDIT_KEY;
	Object.assign(env, {
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: origin,
		ADMIN_PASSWORD: ADMIN.password,
		FAKE_CLOCK_FILE: clockFile,
		// The audit key and anchor file of this run, in its own folder (docs/operations.md).
		PINGYI_AUDIT_KEY_FILE: join(work, 'audit.key'),
		PINGYI_AUDIT_ANCHOR_FILE: join(work, 'audit-anchor.jsonl'),
		...(pg
			? { DATABASE_URL: options.databaseUrl ? options.databaseUrl(pg.url) : pg.url }
			: { PGLITE_DIR: pgliteDir! }),
		...options.env
	});

	let output = '';
	// Shared with the app whose database this one shares: the same accounts, the same used codes.
	const totp = shared ? shared.totp : new TotpCodes(() => Date.now() + clockOffset);
	/** Spawns `node build` and waits until it listens ("Listening" comes after hooks `init`). */
	const launch = async (): Promise<ChildProcess> => {
		const started = spawn(process.execPath, ['--import', FAKE_CLOCK, BUILD], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const from = output.length;
		try {
			await new Promise<void>((ok, ko) => {
				const timer = setTimeout(
					() => ko(new Error(`the app did not start in time:\n${output.slice(from)}`)),
					START_TIMEOUT_MS
				);
				const onData = (chunk: Buffer) => {
					output += chunk.toString();
					if (output.includes('Listening on', from)) {
						clearTimeout(timer);
						ok();
					}
				};
				started.stdout.on('data', onData);
				started.stderr.on('data', onData);
				started.once('exit', (code) => {
					clearTimeout(timer);
					ko(new Error(`the app exited with code ${code} while starting:\n${output.slice(from)}`));
				});
			});
		} catch (e) {
			started.kill('SIGKILL');
			throw e;
		}
		return started;
	};

	let proc: ChildProcess;
	try {
		// The seed step runs before the app holds the database: PGlite admits one process.
		if (!shared) {
			const handle = await openOwn();
			try {
				await handle.migrate();
				await bootstrap(handle.db, { ADMIN_PASSWORD: ADMIN.password }, () => {});
				// Each test's own complaints are the only ones unless it asks for the examples.
				if (!options.exampleComplaints)
					await handle.db.transaction((tx) => removeExamples(tx, SYSTEM_ACTOR));
				await options.seed?.(handle.db);
				// Accounts whose role requires a second factor get the known key, as their owner would.
				for (const { username, step } of await enrolRequired(handle.db))
					totp.remember(username, TEST_TOTP_KEY, step);
			} finally {
				await handle.close();
			}
		}
		proc = await launch();
	} catch (e) {
		await cleanUp();
		throw e;
	}

	const exited = (p: ChildProcess) =>
		new Promise<void>((ok) => {
			if (p.exitCode !== null || p.signalCode !== null) return ok();
			p.once('exit', () => ok());
		});
	let stopped: Promise<void> | undefined;
	const stop = () =>
		(stopped ??= (async () => {
			const p = proc;
			if (p.exitCode !== null || p.signalCode !== null) return;
			const force = setTimeout(() => p.kill('SIGKILL'), 10_000);
			p.kill('SIGTERM');
			await exited(p);
			clearTimeout(force);
		})());
	const kill = () =>
		(stopped ??= (async () => {
			proc.kill('SIGKILL');
			await exited(proc);
		})());
	const restart = async () => {
		await stopped;
		if (!stopped) throw new Error('restart: the app is running; stop or kill it first');
		proc = await launch();
		stopped = undefined;
	};

	const sessionCookieName = scheme === 'https' ? '__Host-session' : 'session';

	const appFetch = (path: string, o: FetchOptions = {}) => {
		const { cookie, from, sameOrigin, ...init } = o;
		const method = (init.method ?? 'GET').toUpperCase();
		const headers = new Headers(init.headers);
		if (cookie) headers.set('cookie', cookie);
		// What a browser asks for when it follows a link or submits a form: SvelteKit answers a
		// form action with JSON when the client accepts JSON first (fetch's default `*/*`).
		if (!headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
		if (sameOrigin ?? !['GET', 'HEAD'].includes(method)) {
			headers.set('origin', origin);
			headers.set('sec-fetch-site', 'same-origin');
		}
		const full = { ...init, method, headers, redirect: 'manual' as const };
		const url = new URL(path, baseUrl).toString();
		return from ? fetchFrom(from, url, full) : fetch(url, full);
	};

	return {
		origin,
		baseUrl,
		port,
		get pid() {
			return proc.pid!;
		},
		driver: pg ? 'postgres' : 'pglite',
		pgliteDir,
		databaseUrl: pg?.url ?? null,
		workDir: work,
		sessionCookieName,
		logs: () => output,
		advanceClock(ms) {
			clockOffset += ms;
			writeFileSync(clockFile, String(clockOffset));
		},
		fetch: appFetch,
		async signIn(username, password, o = {}) {
			const { secondStep = true, ...fetchOptions } = o;
			const response = await appFetch('/sign-in', {
				...fetchOptions,
				method: 'POST',
				headers: formHeaders(o.headers),
				body: new URLSearchParams({ username, password })
			});
			const setCookie =
				response.headers
					.getSetCookie()
					.find((c) => c.startsWith(`${sessionCookieName}=`) && !/Max-Age=0/i.test(c)) ?? null;
			const cookie = setCookie ? setCookie.split(';')[0]! : null;
			const step = new URL(response.headers.get('location') ?? '/', baseUrl).pathname;
			if (cookie && secondStep) {
				const post = (path: string, body: Record<string, string>) =>
					appFetch(path, {
						from: o.from,
						cookie,
						method: 'POST',
						headers: formHeaders(),
						body: new URLSearchParams(body)
					});
				let answer: Response | null = null;
				if (step === '/two-factor') {
					answer = await post('/two-factor?/totp', { code: await totp.next(username) });
				} else if (step === '/two-factor/setup') {
					const page = await appFetch('/two-factor/setup', { cookie, from: o.from });
					const key = keyFromSetupPage(await page.text());
					if (!key) throw new Error(`no enrolment key on the setup page for ${username}`);
					totp.remember(username, key, null);
					answer = await post('/two-factor/setup', { code: await totp.next(username) });
				}
				if (answer && answer.status >= 400)
					throw new Error(`the second step of ${username} failed: ${answer.status}`);
			}
			return { response, setCookie, cookie };
		},
		async sudo(cookie, password, o = {}) {
			const r = await appFetch('/sudo?/password', {
				...o,
				cookie,
				method: 'POST',
				headers: formHeaders(o.headers),
				body: new URLSearchParams({ password })
			});
			if (r.status !== 303) throw new Error(`sudo refused: ${r.status}`);
			return r;
		},
		totp,
		openDatabase: openOwn,
		stop,
		kill,
		restart,
		async dispose() {
			await stop();
			await cleanUp();
		}
	};
}

function formHeaders(init?: HeadersInit): Headers {
	const headers = new Headers(init);
	if (!headers.has('content-type'))
		headers.set('content-type', 'application/x-www-form-urlencoded');
	return headers;
}

/** Whether a response sends the visitor to the sign-in page. */
export function toSignIn(response: Response): boolean {
	const location = response.headers.get('location') ?? '';
	return response.status === 303 && new URL(location, 'http://x').pathname === '/sign-in';
}

/**
 * A page's HTML without its CSP nonces (`nonce="…"`, new on every response: svelte.config.js),
 * for tests that compare two answers whole — a refusal must be the very same page either way.
 */
export function withoutNonces(html: string): string {
	return html.replace(/ nonce="[^"]*"/g, ' nonce=""');
}
