// The JSON API against the built app: bearer tokens and roles (401 and 403 as the error document,
// never HTML), bulk upserts all or nothing with per-row details, the 10,000-row limit, the
// complaint statistics, the public OpenAPI document; and the tokens page that issues (shown
// once) and revokes (audited, refused from then on) the tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import * as apiTokens from '$lib/server/auth/api-token';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';

const PASSWORD = 'correct horse battery';
// Example departments every fresh database has (src/lib/server/departments/examples.ts).
const OWN = 'fgj';
const OTHER = 'czj';

type ErrorDoc = { error: { code: string; message: string; details: Record<string, unknown>[] } };

const caseRow = (no: string, extra: Record<string, unknown> = {}) => ({
	case_no: no,
	department_code: OWN,
	item_code: 'XK-001',
	item_name: '企业设立登记',
	accepted_at: '2026-03-02 07:15',
	completed_at: '',
	promised_working_days: 3,
	...extra
});

const complaintRow = (no: string, department: string, receivedAt: string) => ({
	complaint_no: no,
	department_code: department,
	received_at: receivedAt,
	channel: '12345',
	category: '办事拖延',
	verdict: '',
	concluded_at: '',
	response_late: false,
	summary: `summary of ${no}`
});

describe('the JSON API', () => {
	let app: RunningApp;
	const tokens: Record<'supervisor' | 'leader' | 'liaison' | 'admin', string> = {
		supervisor: '',
		leader: '',
		liaison: '',
		admin: ''
	};

	beforeAll(async () => {
		app = await startApp({
			// What `npm start` sets: 10,000 rows of JSON are more than adapter-node's 512 kB default.
			env: { BODY_SIZE_LIMIT: '16M' },
			seed: async (db) => {
				for (const role of ['supervisor', 'leader', 'admin'] as const) {
					const issued = await db.transaction((tx) =>
						apiTokens.create(tx, { name: `${role} system`, role }, testActor)
					);
					tokens[role] = issued.token;
				}
				const liaison = await db.transaction((tx) =>
					apiTokens.create(
						tx,
						{ name: 'fgj system', role: 'liaison', departmentCode: OWN },
						testActor
					)
				);
				tokens.liaison = liaison.token;
				await makeUser(db, { username: 'liaison-fgj', role: 'liaison', departmentCode: OWN });
				await makeUser(db, { username: 'supervisor', role: 'supervisor' });
			}
		});
	});
	afterAll(() => app?.dispose());

	const call = (path: string, token: string | null, init: RequestInit = {}) => {
		const headers = new Headers(init.headers);
		if (token) headers.set('authorization', `Bearer ${token}`);
		headers.set('accept', 'application/json');
		if (init.body) headers.set('content-type', 'application/json');
		return app.fetch(path, { ...init, headers, sameOrigin: false });
	};
	const post = (path: string, token: string | null, body: unknown) =>
		call(path, token, {
			method: 'POST',
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});

	it('serves the OpenAPI document to anyone', async () => {
		const r = await call('/api/v1/openapi.json', null);
		expect(r.status).toBe(200);
		const doc = (await r.json()) as { openapi: string; paths: Record<string, unknown> };
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining(['/cases', '/complaints', '/complaints/stats', '/responses'])
		);
	});

	it('answers an address no endpoint serves with the JSON 404, never the HTML page', async () => {
		for (const path of [
			'/api/v1/results/abc',
			'/api/v1/results/1800',
			'/api/v1/nothing',
			'/api/x'
		]) {
			const r = await call(path, null);
			expect(r.status).toBe(404);
			expect(r.headers.get('content-type')).toContain('application/json');
			expect(((await r.json()) as ErrorDoc).error.code).toBe('not_found');
		}
	});

	it('answers a missing or bad token with 401 and a role not allowed with 403, as JSON', async () => {
		for (const token of [null, 'nope', `${tokens.supervisor}x`]) {
			const r = await post('/api/v1/cases', token, [caseRow('X-1')]);
			expect(r.status).toBe(401);
			expect(r.headers.get('content-type')).toContain('application/json');
			expect(((await r.json()) as ErrorDoc).error.code).toBe('unauthenticated');
		}
		for (const token of [tokens.leader, tokens.liaison]) {
			const r = await post('/api/v1/cases', token, [caseRow('X-1')]);
			expect(r.status).toBe(403);
			expect(((await r.json()) as ErrorDoc).error).toMatchObject({
				code: 'forbidden',
				details: []
			});
		}
		const stats = await call('/api/v1/complaints/stats?year=2026', tokens.liaison);
		expect(stats.status).toBe(403);
	});

	it('upserts cases: all or nothing, per-row details, the same rows twice change nothing', async () => {
		const bad = await post('/api/v1/cases', tokens.supervisor, [
			caseRow('HTTP-1'),
			caseRow('HTTP-2', { accepted_at: '2026-13-01 00:00', promised_working_days: -1 }),
			caseRow('HTTP-3', { department_code: 'no-such' })
		]);
		expect(bad.status).toBe(422);
		const doc = (await bad.json()) as ErrorDoc;
		expect(doc.error.code).toBe('invalid_rows');
		expect(doc.error.details.map((d) => d.path)).toEqual([
			'1.accepted_at',
			'1.promised_working_days',
			'2.department_code'
		]);
		expect(doc.error.details[0]).toMatchObject({ row: 1, column: 'accepted_at' });

		// Nothing of the refused request was written: HTTP-1 is new now.
		const first = await call('/api/v1/cases', tokens.supervisor, {
			method: 'POST',
			body: JSON.stringify([caseRow('HTTP-1'), caseRow('HTTP-2')]),
			headers: { 'x-request-id': 'case-batch-1' }
		});
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({
			rows: 2,
			created: 2,
			updated: 0,
			unchanged: 0,
			request_id: 'case-batch-1'
		});
		const again = await post('/api/v1/cases', tokens.admin, [
			caseRow('HTTP-1'),
			caseRow('HTTP-2', { completed_at: '2026-03-04 10:00' })
		]);
		expect(await again.json()).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
	});

	it('refuses a body that is not JSON (400), not an array (422), or over 10,000 rows (413)', async () => {
		const notJson = await post('/api/v1/cases', tokens.supervisor, '[{"case_no": ');
		expect(notJson.status).toBe(400);
		expect(((await notJson.json()) as ErrorDoc).error.code).toBe('invalid_json');

		const notArray = await post('/api/v1/cases', tokens.supervisor, { case_no: 'x' });
		expect(notArray.status).toBe(422);

		const tooMany = await post(
			'/api/v1/cases',
			tokens.supervisor,
			Array.from({ length: 10_001 }, (_, i) => caseRow(`BIG-${i}`))
		);
		expect(tooMany.status).toBe(413);
		expect(((await tooMany.json()) as ErrorDoc).error.code).toBe('too_many_rows');
	});

	it('takes exactly 10,000 rows in one request', async () => {
		const rows = Array.from({ length: 10_000 }, (_, i) =>
			caseRow(`MAX-${String(i).padStart(5, '0')}`, { promised_working_days: i % 7 })
		);
		const r = await post('/api/v1/cases', tokens.supervisor, rows);
		expect(r.status).toBe(200);
		expect(await r.json()).toMatchObject({ rows: 10_000, created: 10_000 });
	});

	it('upserts complaints and counts them year on year', async () => {
		const rows = [
			complaintRow('HT-1', OWN, '2025-01-01 00:00'),
			complaintRow('HT-2', OWN, '2025-06-30 23:59'),
			complaintRow('HT-3', OTHER, '2026-01-01 00:00'),
			complaintRow('HT-4', OTHER, '2026-02-01 10:00'),
			complaintRow('HT-5', OWN, '2026-07-01 00:00')
		];
		const forbidden = await post('/api/v1/complaints', tokens.leader, rows);
		expect(forbidden.status).toBe(403);
		const r = await post('/api/v1/complaints', tokens.supervisor, rows);
		expect(r.status).toBe(200);
		expect(await r.json()).toMatchObject({ rows: 5, created: 5 });

		const full = await call('/api/v1/complaints/stats?year=2026', tokens.leader);
		expect(full.status).toBe(200);
		// 2026: HT-3, HT-4, HT-5 = 3; 2025: HT-1, HT-2 = 2; (3 − 2) / 2 = 50 %.
		expect(await full.json()).toEqual({
			year: 2026,
			through: '12-31',
			count: 3,
			previous_count: 2,
			change_pct: 50
		});
		const half = await call('/api/v1/complaints/stats?year=2026&through=06-30', tokens.supervisor);
		// Through 30 June: 2026 HT-3, HT-4 = 2; 2025 HT-1, HT-2 = 2; no change.
		expect(await half.json()).toMatchObject({ count: 2, previous_count: 2, change_pct: 0 });

		for (const query of ['', '?year=26', '?year=2026&through=6-30', '?year=2026&through=02-29']) {
			const bad = await call(`/api/v1/complaints/stats${query}`, tokens.leader);
			expect(bad.status, query).toBe(422);
			expect(((await bad.json()) as ErrorDoc).error.details.length, query).toBeGreaterThan(0);
		}
	});

	it("shows a liaison only its own department's complaints on the page", async () => {
		const liaison = (await app.signIn('liaison-fgj', PASSWORD)).cookie!;
		const r = await app.fetch('/complaints', { cookie: liaison });
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toContain('HT-1');
		expect(html).toContain('HT-5');
		expect(html).not.toContain('HT-3');
		expect(html).not.toContain('HT-4');
		// Asking for the other department changes nothing.
		const other = await app.fetch(`/complaints?department=${OTHER}`, { cookie: liaison });
		expect(await other.text()).not.toContain('HT-3');
		// The cases list is not for liaisons.
		expect((await app.fetch('/cases', { cookie: liaison })).status).toBe(403);
	});

	it('lets an admin issue a token on the page (shown once) and revoke it (refused from then on)', async () => {
		const admin = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
		const supervisor = (await app.signIn('supervisor', PASSWORD)).cookie!;
		expect((await app.fetch('/tokens', { cookie: supervisor })).status).toBe(403);
		// Issuing a token needs sudo mode (tests/security/two-factor.test.ts).
		await app.sudo(admin, ADMIN.password);

		const issued = await app.fetch('/tokens?/issue', {
			method: 'POST',
			cookie: admin,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ name: 'hotline', role: 'supervisor', departmentCode: '' })
		});
		expect(issued.status).toBe(200);
		const html = await issued.text();
		const token =
			/data-testid="token-secret"[^>]*value="([a-z2-7]+\.[a-z2-7]+)"|value="([a-z2-7]+\.[a-z2-7]+)"[^>]*data-testid="token-secret"/.exec(
				html
			);
		expect(token).not.toBeNull();
		const secret = token![1] ?? token![2]!;
		const id = secret.split('.')[0]!;

		const works = await post('/api/v1/complaints', secret, [
			complaintRow('HT-9', OWN, '2026-08-01 10:00')
		]);
		expect(works.status).toBe(200);

		// The list shows it, never the secret again.
		const list = await app.fetch('/tokens', { cookie: admin });
		const listed = await list.text();
		expect(listed).toContain('hotline');
		expect(listed).not.toContain(secret);

		const unconfirmed = await app.fetch('/tokens?/revoke', {
			method: 'POST',
			cookie: admin,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ id })
		});
		expect(unconfirmed.status).toBe(400);
		expect((await post('/api/v1/complaints', secret, [])).status).toBe(200);

		const revoked = await app.fetch('/tokens?/revoke', {
			method: 'POST',
			cookie: admin,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ id, confirm: 'yes' })
		});
		expect(revoked.status).toBe(303);
		const after = await post('/api/v1/complaints', secret, [
			complaintRow('HT-10', OWN, '2026-08-02 10:00')
		]);
		expect(after.status).toBe(401);

		const audit = await app.fetch(`/audit?entityId=${id}`, { cookie: admin });
		const auditHtml = await audit.text();
		expect(auditHtml).toContain('api_token.issue');
		expect(auditHtml).toContain('api_token.revoke');
		// In words, in the reader's language (the codes stay as the cells' titles).
		expect(auditHtml).toContain(m.audit_action_api_token_issue({}, { locale: 'zh-CN' }));
		expect(auditHtml).toContain(m.audit_entity_api_token({}, { locale: 'zh-CN' }));
	});
});
