// The visit records against the built app, by role (roles.md "enterprise visits and reported
// problems"): admins and supervisors record and read them, a leader reads them with the
// enterprise's contact masked, a liaison and an enterprise get 403 on every page and form, the
// public is sent to sign-in; a refused post stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitSchema } from '$lib/schemas/visits';
import { enterprise } from '$lib/server/db/schema';
import * as visits from '$lib/server/visits';
import { makeDepartment, makeUser, testActor } from '../factories';
import { makeUscc } from '../factories/samples';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';

const PASSWORD = 'correct horse battery';
const PHONE = '13712345678';
type Who = 'admin' | 'supervisor' | 'leader' | 'liaison' | 'enterprise';
const WHO: Who[] = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'];
const READS: Record<Who, boolean> = {
	admin: true,
	supervisor: true,
	leader: true,
	liaison: false,
	enterprise: false
};
const RECORDS: Record<Who, boolean> = { ...READS, leader: false };

describe('visit records by role', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;
	let visitNo = '';
	let uscc = '';
	let departmentId = 0;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				departmentId = (await makeDepartment(db, { code: 'vsa' })).id;
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-visits`,
						role,
						...(role === 'liaison' ? { departmentCode: 'vsa' } : {})
					});
				uscc = makeUscc();
				await db
					.insert(enterprise)
					.values({ uscc, name: '安全测试企业', contactName: '赵大成', contactPhone: PHONE });
				const input = visitSchema.parse({
					response_key: crypto.randomUUID(),
					uscc,
					visited_on: '2026-01-05',
					member_name_0: '张监察',
					member_role_0: 'supervisor',
					investor_card: 'not_asked',
					problem_description_0: '办证排队',
					problem_category_0: 'approval',
					problem_scope_0: 'single',
					problem_d_0: String(departmentId)
				});
				visitNo = (await visits.recordVisit(db, input, testActor)).visitNo;
			}
		});
		for (const who of WHO) cookies[who] = (await app.signIn(`${who}-visits`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const pages = () => ['/visits', '/visits/new', `/visits/${visitNo}`];

	it('sends the public to sign-in', async () => {
		for (const path of pages()) expect(toSignIn(await app.fetch(path)), path).toBe(true);
	});

	it.each(WHO)('lets %s see what roles.md says, no more', async (who) => {
		for (const path of pages()) {
			const allowed = path === '/visits/new' ? RECORDS[who] : READS[who];
			const r = await app.fetch(path, { cookie: cookies[who] });
			expect(r.status, path).toBe(allowed ? 200 : 403);
			const html = await r.text();
			if (!allowed) expect(html).not.toContain('安全测试企业');
			const data = await app.fetch(`${path}/__data.json`, { cookie: cookies[who] });
			const body = await data.text();
			if (!allowed) {
				expect(body).not.toContain('安全测试企业');
				expect(body).toContain('"status":403');
			}
		}
	});

	it("shows the enterprise's contact whole to supervisors, masked to a leader", async () => {
		const page = (who: Who) => app.fetch(`/visits/${visitNo}`, { cookie: cookies[who] });
		expect(await (await page('supervisor')).text()).toContain(PHONE);
		const leader = await (await page('leader')).text();
		expect(leader).not.toContain(PHONE);
		expect(leader).not.toContain('赵大成');
		expect(leader).toContain('137****5678');
	});

	it.each(WHO.filter((w) => !RECORDS[w]))(
		'refuses %s a posted visit or problem, storing nothing',
		async (who) => {
			const before = await (await app.fetch('/visits', { cookie: cookies.admin })).text();
			const form = new URLSearchParams({
				response_key: crypto.randomUUID(),
				uscc,
				visited_on: '2026-01-06',
				member_name_0: '冒名',
				member_role_0: 'supervisor',
				investor_card: 'not_asked'
			});
			const r = await app.fetch('/visits/new', {
				method: 'POST',
				body: form,
				cookie: cookies[who]
			});
			expect(r.status).toBe(403);
			const more = new URLSearchParams({
				problem_description_0: '冒名问题',
				problem_category_0: 'fees',
				problem_scope_0: 'single',
				problem_d_0: String(departmentId)
			});
			const p = await app.fetch(`/visits/${visitNo}?/problem`, {
				method: 'POST',
				body: more,
				cookie: cookies[who]
			});
			expect(p.status).toBe(403);
			const after = await (await app.fetch('/visits', { cookie: cookies.admin })).text();
			expect(after.match(/data-testid="visit-row"/g)).toEqual(
				before.match(/data-testid="visit-row"/g)
			);
			expect(
				await (await app.fetch(`/visits/${visitNo}`, { cookie: cookies.admin })).text()
			).not.toContain('冒名问题');
		}
	);

	it('records a posted visit for a supervisor, once per key', async () => {
		const key = crypto.randomUUID();
		const form = () =>
			new URLSearchParams({
				response_key: key,
				uscc,
				visited_on: '2026-01-07',
				member_name_0: '钱监察',
				member_role_0: 'supervisor',
				investor_card: 'no'
			});
		const first = await app.fetch('/visits/new', {
			method: 'POST',
			body: form(),
			cookie: cookies.supervisor
		});
		expect(first.status).toBe(303);
		const again = await app.fetch('/visits/new', {
			method: 'POST',
			body: form(),
			cookie: cookies.supervisor
		});
		expect(again.headers.get('location')).toBe(first.headers.get('location'));
		expect(first.headers.get('location')).toMatch(/^\/visits\/ZF2026-\d{6}\?recorded$/);
	});
});
