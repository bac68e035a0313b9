// The handbook of approval items against the built app (docs/handbook.md): every page by role
// (staff read, the public and enterprise accounts do not), the import form's action and the
// template for admins and supervisors only (a leader's or liaison's POST is a 403 that writes
// nothing), and an import through the page that writes the edition and its audit entry; the
// cases list's handbook check shows on the page.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntry, handbookEdition, handbookItem } from '$lib/server/db/schema';
import * as handbook from '$lib/server/handbook';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';
import { makeCase } from '../factories/records';

const PASSWORD = 'correct horse battery';
type Who = 'admin' | 'supervisor' | 'leader' | 'liaison' | 'enterprise';
const WHO: Who[] = ['admin', 'supervisor', 'leader', 'liaison', 'enterprise'];

const HEADER =
	'item_code,department_code,item_name,kind,promised_working_days,statutory_working_days,prerequisites,basis';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';

// 1 = opens, 0 = 403; columns in the order of WHO.
const PAGES: [string, [number, number, number, number, number]][] = [
	['/handbook', [1, 1, 1, 1, 0]],
	['/handbook/2025', [1, 1, 1, 1, 0]],
	['/handbook/2025/print', [1, 1, 1, 1, 0]],
	['/handbook/reform', [1, 1, 1, 1, 0]],
	['/handbook/reform?from=2024&to=2025', [1, 1, 1, 1, 0]],
	['/help/handbook', [1, 1, 1, 1, 0]]
];

function form(text: string, fields: Record<string, string>) {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.append(k, v);
	body.append('file', new Blob([text]), 'handbook.csv');
	return body;
}

describe('handbook pages', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		app = await startApp({
			env: { BODY_SIZE_LIMIT: 'Infinity' },
			seed: async (db) => {
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-handbook`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
				const edition = (lines: string[], year: number) =>
					handbook.importFile(
						db,
						new TextEncoder().encode(csv(...lines)),
						{ year, locale: 'en' },
						testActor
					);
				expect(
					await edition(
						[
							`H-1,fgj,企业投资项目备案,approval,5,20,项目申请表;营业执照,`,
							`H-2,fgj,政策咨询,service,0,,,`
						],
						2024
					)
				).toMatchObject({ ok: true });
				expect(
					await edition(
						[`H-1,fgj,企业投资项目备案,approval,2,20,项目申请表,`, `H-2,fgj,政策咨询,service,0,,,`],
						2025
					)
				).toMatchObject({ ok: true });
			}
		});
		for (const role of WHO) {
			cookies[role] = (await app.signIn(`${role}-handbook`, PASSWORD)).cookie!;
			expect(cookies[role], role).toBeTruthy();
		}
	});
	afterAll(() => app?.dispose());

	it.each(PAGES.map(([path]) => path))(
		'sends an anonymous visitor of %s to sign-in',
		async (path) => {
			expect(toSignIn(await app.fetch(path))).toBe(true);
		}
	);

	it.each(PAGES.flatMap(([path, row]) => WHO.map((who, i) => [path, who, row[i]!] as const)))(
		'%s for %s: opens = %s',
		async (path, who, opens) => {
			const r = await app.fetch(path, { cookie: cookies[who] });
			expect(r.status).toBe(opens ? 200 : 403);
		}
	);

	it('an edition that does not exist is not found', async () => {
		expect((await app.fetch('/handbook/2019', { cookie: cookies.leader })).status).toBe(404);
		expect((await app.fetch('/handbook/2019/print', { cookie: cookies.leader })).status).toBe(404);
	});

	it.each(WHO.map((who, i) => [who, [1, 1, 0, 0, 0][i]!] as const))(
		'the template for %s: allowed = %s',
		async (who, allowed) => {
			const r = await app.fetch('/import-templates/handbook', { cookie: cookies[who] });
			expect(r.status).toBe(allowed ? 200 : 403);
			if (allowed) expect(await r.text()).toContain('事项编码');
		}
	);

	it.each(['leader', 'liaison', 'enterprise'] as const)(
		'refuses an import by a %s with 403, writing nothing',
		async (who) => {
			const r = await app.fetch('/handbook', {
				method: 'POST',
				cookie: cookies[who],
				body: form(csv(`X-1,fgj,事项,approval,1,,,`), { year: '2026' })
			});
			expect(r.status).toBe(403);
			const html = await app.fetch('/handbook', { cookie: cookies.admin }).then((x) => x.text());
			expect(html).not.toContain('data-year="2026"');
		}
	);

	it('shows the import form to those who may import only', async () => {
		const admin = await app.fetch('/handbook', { cookie: cookies.admin }).then((r) => r.text());
		expect(admin).toContain('data-testid="import-form"');
		const leader = await app.fetch('/handbook', { cookie: cookies.leader }).then((r) => r.text());
		expect(leader).not.toContain('data-testid="import-form"');
		expect(leader).toContain('data-year="2025"');
	});

	it('imports an edition from the page (303 to the summary), audited; refuses a bad file with its rows', async () => {
		const r = await app.fetch('/handbook', {
			method: 'POST',
			cookie: cookies.supervisor,
			body: form(csv(`S-1,fgj,事项一,审批,3,10,材料一；材料二,`, `S-2,fgj,事项二,服务,0,,,`), {
				year: '2026'
			})
		});
		expect(r.status).toBe(303);
		const location = r.headers.get('location')!;
		expect(location).toMatch(/^\/handbook\?/);
		expect(new URL(location, app.baseUrl).searchParams.get('created')).toBe('2');
		const summary = await app.fetch(location, { cookie: cookies.supervisor }).then((x) => x.text());
		expect(summary).toContain('data-testid="import-summary"');

		const bad = await app.fetch('/handbook', {
			method: 'POST',
			cookie: cookies.supervisor,
			body: form(csv(`S-3,nowhere,事项三,审批,3,,,`), { year: '2026' })
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toMatch(/data-line="2" data-column="department_code"/);

		await app.stop();
		const handle = await app.openDatabase();
		try {
			const [edition] = await handle.db
				.select({ id: handbookEdition.id })
				.from(handbookEdition)
				.where(eq(handbookEdition.year, 2026));
			const [items] = await handle.db
				.select({ n: count() })
				.from(handbookItem)
				.where(eq(handbookItem.editionId, edition!.id));
			expect(items!.n).toBe(2);
			const entries = await handle.db
				.select()
				.from(auditEntry)
				.where(eq(auditEntry.action, 'handbook.import'));
			const byPage = entries.filter((e) => e.actorLabel === 'supervisor-handbook');
			expect(byPage).toHaveLength(1);
			expect(byPage[0]!.changes).toMatchObject({ year: { after: 2026 }, created: { after: 2 } });
		} finally {
			await handle.close();
		}
	});
});

describe('handbook pages: what they show', () => {
	let app: RunningApp;
	let cookie: string;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeUser(db, { username: 'leader-hb', role: 'leader' });
				for (const [year, days] of [
					[2024, [5, 0, 8]],
					[2025, [2, 0, 0]]
				] as const) {
					const lines = days.map((d, i) => `P-${i + 1},fgj,事项${i + 1},approval,${d},,a;b,`);
					await handbook.importFile(
						db,
						new TextEncoder().encode(csv(...lines)),
						{ year, locale: 'en' },
						testActor
					);
				}
				await makeCase(db, {
					department: 'fgj',
					accepted: '2025-04-01 09:00',
					promised: 5,
					itemCode: 'P-1',
					caseNo: 'HB-DIFFERS'
				});
				await makeCase(db, {
					department: 'fgj',
					accepted: '2025-04-01 10:00',
					promised: 2,
					itemCode: 'P-1',
					caseNo: 'HB-AGREES'
				});
			}
		});
		cookie = (await app.signIn('leader-hb', PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	it('the print version has a section per department with the instant marker', async () => {
		const html = await app.fetch('/handbook/2025/print', { cookie }).then((r) => r.text());
		expect(html).toContain('data-testid="handbook-print-section" data-department="fgj"');
		expect(html.match(/data-testid="handbook-print-item"/g)).toHaveLength(3);
		expect(html.match(/即办件|Instant/g)!.length).toBeGreaterThanOrEqual(2);
	});

	it('the reform statistics give the figures of both editions', async () => {
		const html = await app
			.fetch('/handbook/reform?from=2024&to=2025', { cookie })
			.then((r) => r.text());
		// Promised days 13 → 2 (−84.6%), instant items 1 → 2 (+100.0%).
		expect(html).toMatch(
			/data-figure="promisedDays"[\s\S]*?>13<[\s\S]*?>2<[\s\S]*?−11[\s\S]*?−84\.6%/
		);
		expect(html).toMatch(/data-figure="instant"[\s\S]*?>1<[\s\S]*?>2<[\s\S]*?\+1[\s\S]*?\+100\.0%/);
		expect(html).toContain('data-testid="handbook-reform-chart-items"');
	});

	it('the cases list marks and filters the case that differs from the handbook', async () => {
		const all = await app.fetch('/cases?year=2025', { cookie }).then((r) => r.text());
		expect(all).toMatch(/data-case-no="HB-DIFFERS"[^>]*data-promise-differs="true"/);
		expect(all).toMatch(/data-case-no="HB-AGREES"[^>]*data-promise-differs="false"/);
		const differs = await app
			.fetch('/cases?year=2025&handbook=differs', { cookie })
			.then((r) => r.text());
		expect(differs).toContain('HB-DIFFERS');
		expect(differs).not.toContain('HB-AGREES');
	});
});
