// The built app's log (docs/operations.md, "Logs"): every request gets an id, sent back in
// X-Request-Id and written on its one JSON line with method, path, status and time; a proxy's id
// is kept; the query string, an invitation's token and any phone number stay out of the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';

describe('the request log', () => {
	let app: RunningApp;
	let cookie: string;
	const PHONE = '13812345678';

	beforeAll(async () => {
		app = await startApp();
		cookie = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	}, 120_000);
	afterAll(() => app?.dispose());

	/** The JSON lines the app wrote (its start-up messages are plain text). */
	const entries = () =>
		app
			.logs()
			.split('\n')
			.filter((l) => l.startsWith('{'))
			.map((l) => JSON.parse(l) as Record<string, unknown>);

	/** Waits for the line of a request id (the line is written once the response is). */
	async function lineOf(requestId: string) {
		for (let i = 0; i < 50; i++) {
			const found = entries().find((e) => e.requestId === requestId && e.msg === 'request');
			if (found) return found;
			await new Promise((r) => setTimeout(r, 50));
		}
		throw new Error(`no log line for ${requestId}`);
	}

	it('names each request and logs it as one JSON line, with who asked', async () => {
		const r = await app.fetch(`/complaints?q=${PHONE}`, { cookie });
		expect(r.status).toBe(200);
		const id = r.headers.get('x-request-id')!;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		const line = await lineOf(id);
		expect(line).toMatchObject({
			level: 'info',
			method: 'GET',
			path: '/complaints',
			status: 200,
			role: 'admin'
		});
		expect(typeof line.ms).toBe('number');
		expect(typeof line.account).toBe('number');
	});

	it('keeps a proxy’s request id', async () => {
		const r = await app.fetch('/results', {
			headers: { 'x-request-id': 'nginx-0123456789abcdef' }
		});
		expect(r.headers.get('x-request-id')).toBe('nginx-0123456789abcdef');
		expect((await lineOf('nginx-0123456789abcdef')).path).toBe('/results');
	});

	it('writes no invitation token, query string or phone number', async () => {
		const token = 'TOKEN0123456789abcdefTOKEN';
		const r = await app.fetch(`/i/${token}`);
		const line = await lineOf(r.headers.get('x-request-id')!);
		expect(line.path).toBe('/i/[token]');
		const all = app.logs();
		expect(all).not.toContain(token);
		expect(all).not.toContain(PHONE);
		expect(all).not.toContain('?q=');
	});

	it('does not log the health checks', async () => {
		const r = await app.fetch('/healthz');
		expect(r.status).toBe(200);
		const id = r.headers.get('x-request-id')!;
		await app.fetch('/results');
		await new Promise((ok) => setTimeout(ok, 200));
		expect(entries().some((e) => e.requestId === id)).toBe(false);
	});
});
