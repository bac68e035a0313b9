// Failing fast while PostgreSQL is unreachable (issue 11 §1, docs/operations.md), against the
// built app on PostgreSQL behind a TCP proxy that the test turns off: a refused port (a stopped
// server) and a port that accepts and then holds every byte (a server or network that no longer
// answers). Every request that needs the database answers 503 with Retry-After within 2 s — the
// API's error document on /api/, a page elsewhere — `/healthz` stays 200, `/readyz` says 503, and
// after the database returns the first request succeeds within 5 s. With every pooled connection
// held, a request waits no longer than the pool-wait limit and is answered 503 too.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { expectCsp, expectSecurityHeaders } from '../helpers/security-headers';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const PG = process.env.TEST_DATABASE_URL;

describe.skipIf(!PG)('the database unreachable [postgres]', () => {
	let app: RunningApp;
	let proxy: TcpProxy;
	let cookie: string;

	beforeAll(async () => {
		const target = new URL(PG!);
		proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
		app = await startApp({ postgres: true, databaseUrl: (url) => proxy.via(url) });
		cookie = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	}, 120_000);

	afterAll(async () => {
		await app?.dispose();
		await proxy?.close();
	});

	/** The status, body and time of one request. */
	async function timed(path: string, init: Parameters<RunningApp['fetch']>[1] = {}) {
		const started = performance.now();
		const response = await app.fetch(path, { cookie, ...init });
		const body = await response.text();
		return { response, body, ms: performance.now() - started };
	}

	/** A page, the API and a form post: each 503 with Retry-After within 2 s. */
	async function refusedFast() {
		const page = await timed('/dashboard');
		expect(page.response.status, page.body).toBe(503);
		expect(page.ms).toBeLessThan(2_000);
		expect(Number(page.response.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(page.response.headers.get('content-type')).toContain('text/html');
		expect(page.body).toContain('<h1>');
		// Answered by a hook before the page's: the security headers all the same.
		expectSecurityHeaders(page.response, '503 page');
		expectCsp(page.response, '503 page', false);
		const api = await timed('/api/v1/results/2025', { cookie: null });
		expect(api.response.status).toBe(503);
		expect(api.ms).toBeLessThan(2_000);
		expect(api.response.headers.get('retry-after')).not.toBeNull();
		expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'database_unavailable' } });
		const post = await timed('/sign-in', {
			method: 'POST',
			cookie: null,
			body: new URLSearchParams({ username: ADMIN.username, password: ADMIN.password })
		});
		expect(post.response.status).toBe(503);
		expect(post.ms).toBeLessThan(2_000);
		// The process is up; it is not ready.
		expect((await timed('/healthz')).response.status).toBe(200);
		const ready = await timed('/readyz');
		expect(ready.response.status).toBe(503);
		expect(JSON.parse(ready.body)).toMatchObject({ status: 'not_ready', database: 'down' });
	}

	/** Once the database is back, a request succeeds within 5 s. */
	async function recovers() {
		const back = performance.now();
		for (;;) {
			const r = await timed('/dashboard');
			if (r.response.status === 200) break;
			expect(performance.now() - back, r.body).toBeLessThan(5_000);
			await new Promise((ok) => setTimeout(ok, 100));
		}
		expect(performance.now() - back).toBeLessThan(5_000);
	}

	it('is ready while the database answers', async () => {
		expect((await timed('/dashboard')).response.status).toBe(200);
		const ready = await timed('/readyz');
		expect(ready.response.status).toBe(200);
		expect(JSON.parse(ready.body)).toEqual({
			status: 'ready',
			database: 'up',
			migrationsCurrent: true
		});
		expect(JSON.parse((await timed('/healthz')).body)).toEqual({ status: 'ok' });
	});

	it('answers 503 within 2 s while the server refuses connections, and recovers', async () => {
		await proxy.refuse();
		await refusedFast();
		await proxy.restore();
		await recovers();
	}, 60_000);

	it('answers 503 within 2 s while the server holds every byte, and recovers', async () => {
		proxy.blackhole();
		await refusedFast();
		await proxy.restore();
		await recovers();
	}, 60_000);
});

describe.skipIf(!PG)('every pooled connection busy [postgres]', () => {
	const WAIT_MS = 300;
	let app: RunningApp;
	let cookie: string;

	beforeAll(async () => {
		app = await startApp({
			postgres: true,
			env: { PINGYI_DB_POOL_SIZE: '1', PINGYI_DB_POOL_WAIT_MS: String(WAIT_MS) }
		});
		cookie = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	}, 120_000);

	afterAll(async () => {
		await app?.dispose();
	});

	it('answers 503 with Retry-After once the wait for a connection passes its limit', async () => {
		// Another client locks the sessions: a signed-in request then holds the app's one
		// connection, waiting on the lock, and the next request finds none free.
		const other = postgres(app.databaseUrl!, { max: 1, onnotice: () => {} });
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		try {
			let locked!: () => void;
			const isLocked = new Promise<void>((r) => (locked = r));
			const holder = other.begin(async (tx) => {
				await tx`lock table session in access exclusive mode`;
				locked();
				await released;
			});
			await isLocked;
			const holding = app.fetch('/dashboard', { cookie });
			await new Promise((r) => setTimeout(r, 100));

			const started = performance.now();
			const api = await app.fetch('/api/v1/results/2025');
			const ms = performance.now() - started;
			const body = await api.text();
			expect(api.status, body).toBe(503);
			expect(JSON.parse(body)).toMatchObject({ error: { code: 'database_busy' } });
			expect(api.headers.get('retry-after')).not.toBeNull();
			expect(ms).toBeGreaterThanOrEqual(WAIT_MS - 50);
			expect(ms).toBeLessThan(2_000);

			const page = await app.fetch('/results');
			expect(page.status).toBe(503);
			expect(page.headers.get('content-type')).toContain('text/html');

			// The server answers all along: busy is not down.
			expect((await app.fetch('/readyz')).status).toBe(200);

			release();
			await holder;
			expect((await holding).status).toBe(200);
			expect((await app.fetch('/api/v1/results/2025')).status).not.toBe(503);
		} finally {
			release();
			await other.end({ timeout: 1 });
		}
	}, 60_000);
});
