// The visit campaign summary against the built app: the page, its print view and its XLSX
// download for admin, supervisor and leader only; a liaison and an enterprise get 403 from every
// one (and from the pages' __data.json), an anonymous visitor is sent to sign-in. A campaign of
// another kind has no summary (404). The figures are in the HTML, so the tables work without
// JavaScript; the download is a workbook with a sheet per block.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { department } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample } from '../factories/samples';
import { insertProblem, insertVisit } from '../factories/visit-summary';

// Each role and what it gets from every path: the summary is admin's, supervisor's and leader's.
const STATUS = { admin: 200, supervisor: 200, leader: 200, liaison: 403, enterprise: 403 } as const;
type Who = keyof typeof STATUS;
const WHO = Object.keys(STATUS) as Who[];
const BASE = '/campaigns/visits-2026/summary';
const PATHS = [
	BASE,
	`${BASE}/__data.json`,
	`${BASE}/print`,
	`${BASE}/print/__data.json`,
	`${BASE}/download`
];

describe('visit campaign summary by role', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				const [gaj] = await db.select().from(department).where(eq(department.code, 'gaj'));
				const c = await makeCampaign(db, {
					year: 2026,
					kind: 'enterprise_visit',
					code: 'visits-2026'
				});
				await makeCampaign(db, { year: 2026, kind: 'enterprise_visit', code: 'visits-empty' });
				await makeCampaign(db, { year: 2026, kind: 'public_evaluation', code: 'eval-2026' });
				const units = await makeSample(db, c.id, { units: 3, prefix: '走访安全企业' });
				const v = await insertVisit(db, {
					campaignId: c.id,
					enterpriseId: units[0]!.enterpriseId!,
					visitedOn: '2026-03-02',
					contactCardNo: 'C-1',
					gaveInstructions: true,
					investorCard: true,
					breaches: [gaj!.id]
				});
				await insertProblem(db, {
					visitId: v.id,
					category: 'approval',
					scope: 'single',
					state: 'settled',
					dueOn: '2026-03-20',
					involved: [gaj!.id],
					returns: [true]
				});
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-vsum`,
						role,
						...(role === 'liaison' ? { departmentCode: 'gaj' } : {})
					});
			}
		});
		for (const who of WHO)
			cookies[who] = (await app.signIn(`${who}-vsum`, 'correct horse battery')).cookie!;
	});
	afterAll(() => app?.dispose());

	const get = (who: Who, path: string) => app.fetch(path, { cookie: cookies[who] });
	/** A page's data answers 200 with the page's node an error carrying the status. */
	const statusOf = async (path: string, res: Response) => {
		const body = await res.text();
		const status = path.endsWith('__data.json')
			? ((JSON.parse(body) as { nodes: ({ status?: number } | null)[] }).nodes.at(-1)?.status ??
				200)
			: res.status;
		return { status, body };
	};

	it('sends an anonymous visitor to sign-in', async () => {
		for (const path of [BASE, `${BASE}/print`, `${BASE}/download`])
			expect(toSignIn(await app.fetch(path)), path).toBe(true);
	});

	it.each(WHO)('the page, print view and download for %s', async (who) => {
		for (const path of PATHS) {
			const { status, body } = await statusOf(path, await get(who, path));
			expect([status, path]).toEqual([STATUS[who], path]);
			if (STATUS[who] === 403) {
				expect(body).not.toContain('summary-table');
				expect(body).not.toContain('investorCards');
			}
		}
	});

	it('shows the figures in the HTML, without JavaScript', async () => {
		const html = await (await get('leader', BASE)).text();
		expect(html).toContain('data-testid="summary-table-progress"');
		// Target 3, one enterprise visited.
		expect(html).toMatch(/1 \/ 3/);
		expect(html).toContain('data-testid="summary-table-problem-departments"');
		expect(html).toContain('data-testid="summary-print-link"');
		expect(html).toContain('data-testid="summary-download-link"');
		const print = await (await get('supervisor', `${BASE}/print`)).text();
		expect(print).toContain('data-testid="summary-report"');
		expect(print).toContain('data-testid="summary-lead"');
		const empty = await (await get('supervisor', '/campaigns/visits-empty/summary')).text();
		expect(empty).toContain('data-testid="summary-empty"');
		expect(empty).not.toContain('summary-table-progress');
	});

	it('downloads the workbook for a supervisor', async () => {
		const res = await get('supervisor', `${BASE}/download`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(res.headers.get('content-disposition')).toMatch(
			/^attachment; filename="visit-summary-visits-2026-\d{4}-\d{2}-\d{2}\.xlsx"$/
		);
		expect(res.headers.get('cache-control')).toContain('no-store');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await res.arrayBuffer()) as never);
		expect(book.worksheets).toHaveLength(11);
		const progress = book.worksheets[1]!;
		expect(progress.getRow(2).getCell(2).value).toBe(3);
		expect(progress.getRow(3).getCell(2).value).toBe(1);
	});

	it('has no summary for a campaign of another kind, nor one that does not exist', async () => {
		for (const code of ['eval-2026', 'no-such-campaign'])
			for (const path of [`/campaigns/${code}/summary`, `/campaigns/${code}/summary/download`])
				expect([(await get('supervisor', path)).status, path]).toEqual([404, path]);
	});

	it('links a visit campaign’s page to its summary, not another kind’s', async () => {
		const visits = await (await get('supervisor', '/campaigns/visits-2026')).text();
		expect(visits).toContain('data-testid="campaign-summary-link"');
		const other = await (await get('supervisor', '/campaigns/eval-2026')).text();
		expect(other).not.toContain('campaign-summary-link');
	});
});
