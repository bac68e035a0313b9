// The import pages against the built app: the pages for service cases, complaints and responses
// import a good file and refuse a bad one (all or nothing, each bad row with line and column);
// a responses upload from the page's script streams the import's progress back; templates and
// help for those who may import; request size limits; and the example departments removed by
// the first real import, or one by one on a department's page while nothing refers to them.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLines, type ProgressLine } from '$lib/import-progress';
import { m } from '$lib/paraglide/messages';
import { KINDS } from '$lib/server/imports/kinds';
import { megabytes } from '$lib/server/imports/limits';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { makeUser } from '../factories';
import { makeCampaign } from '../factories/records';

const PASSWORD = 'correct horse battery';
const zh = { locale: 'zh-CN' } as const;
const CAMPAIGN = 'imp-2026';

/** A multipart body with the file (and fields), as the page's form sends it. */
function form(name: string, text: string | Uint8Array, fields: Record<string, string> = {}) {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.append(k, v);
	body.append('file', new Blob([text as BlobPart]), name);
	return body;
}

const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const CASES_HEADER =
	'case_no,department_code,item_code,item_name,accepted_at,completed_at,promised_working_days';
const COMPLAINTS_HEADER =
	'complaint_no,department_code,received_at,channel,category,verdict,concluded_at,response_late,summary';
const RESPONSES_HEADER =
	'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer';
const QUESTIONS = ['transparency', 'service', 'integrity', 'attitude', 'quality', 'efficiency'];

/** `n` responses of six answers each about department fgj. */
function responsesFile(prefix: string, n: number, bad?: { at: number; answer: string }) {
	const lines = [RESPONSES_HEADER];
	for (let i = 0; i < n; i++)
		QUESTIONS.forEach((q, j) =>
			lines.push(
				`${prefix}-${i},${CAMPAIGN},phone,2026-05-12 10:30,fgj,${q},${
					bad && lines.length === bad.at - 1 ? bad.answer : String((i + j) % 6)
				}`
			)
		);
	return csv(...lines);
}

/** The rows a refused import page shows: `line:column` of each. */
function rowErrors(html: string): string[] {
	return [
		...html.matchAll(/data-testid="import-error" data-line="(\d+)" data-column="([^"]*)"/g)
	].map((x) => `${x[1]}:${x[2]}`);
}

describe('import pages', () => {
	let app: RunningApp;
	let admin: string;
	let supervisor: string;
	let leader: string;

	beforeAll(async () => {
		app = await startApp({
			// What `npm start` sets: the app limits bodies itself (body-limit.ts).
			env: { BODY_SIZE_LIMIT: 'Infinity' },
			seed: async (db) => {
				await makeUser(db, { username: 'sup-imports', role: 'supervisor' });
				await makeUser(db, { username: 'leader-imports', role: 'leader' });
				await makeCampaign(db, { code: CAMPAIGN, year: 2026, kind: 'public_evaluation' });
			}
		});
		admin = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
		supervisor = (await app.signIn('sup-imports', PASSWORD)).cookie!;
		leader = (await app.signIn('leader-imports', PASSWORD)).cookie!;
		for (const c of [admin, supervisor, leader]) expect(c).toBeTruthy();
	});
	afterAll(() => app?.dispose());

	const post = (
		path: string,
		body: FormData,
		cookie: string,
		headers: Record<string, string> = {}
	) => app.fetch(path, { method: 'POST', body, cookie, headers: { cookie, ...headers } });

	it.each([
		[
			'/cases/import',
			'/cases?q=SEC-C-1',
			csv(
				CASES_HEADER,
				'SEC-C-1,fgj,XK-1,登记,2026-03-02 09:00,,3',
				'SEC-C-2,czj,XK-1,登记,2026-03-03 09:00,2026-03-04 10:00,3'
			),
			csv(
				CASES_HEADER,
				'SEC-C-3,fgj,XK-1,登记,2026-03-02 09:00,,3',
				'SEC-C-4,no-such,XK-1,登记,2026-03-02 09:00,,3',
				'SEC-C-5,fgj,XK-1,登记,2026-13-02 09:00,,3'
			),
			['3:department_code', '4:accepted_at'],
			'SEC-C-3'
		],
		[
			'/complaints/import',
			'/complaints?q=SEC-K-1',
			csv(
				COMPLAINTS_HEADER,
				'SEC-K-1,fgj,2026-04-01 10:00,12345,效率,substantiated,2026-04-10 10:00,false,慢'
			),
			csv(
				COMPLAINTS_HEADER,
				'SEC-K-2,fgj,2026-04-01 10:00,12345,效率,,,false,',
				'SEC-K-3,fgj,2026-04-01 10:00,12345,效率,maybe,,false,'
			),
			['3:verdict'],
			'SEC-K-2'
		]
	])(
		'%s imports a good file and refuses a bad one',
		async (page, list, good, bad, errors, notStored) => {
			const ok = await post(page, form('good.csv', good), supervisor);
			expect(ok.status).toBe(303);
			const location = new URL(ok.headers.get('location')!, app.baseUrl);
			expect(location.pathname).toBe(page);
			expect(Object.fromEntries(location.searchParams)).toMatchObject({
				created: expect.any(String)
			});
			const summary = await app.fetch(location.pathname + location.search, { cookie: supervisor });
			expect(await summary.text()).toContain('data-testid="import-summary"');
			expect(await (await app.fetch(list, { cookie: supervisor })).text()).toContain(
				new URL(list, app.baseUrl).searchParams.get('q')!
			);

			const refused = await post(page, form('bad.csv', bad), supervisor);
			expect(refused.status).toBe(400);
			const html = await refused.text();
			expect(rowErrors(html)).toEqual(errors);
			expect(html).toContain('bad.csv');
			// All or nothing: the good row of the bad file is not stored.
			const q = `${new URL(list, app.baseUrl).pathname}?q=${notStored}`;
			expect(await (await app.fetch(q, { cookie: supervisor })).text()).not.toContain(
				`>${notStored}<`
			);
		}
	);

	it('refuses the pages, the uploads and the templates to a role that may not import', async () => {
		for (const page of ['/cases/import', '/complaints/import', '/responses/import']) {
			expect((await app.fetch(page, { cookie: leader })).status).toBe(403);
			const r = await post(page, form('x.csv', 'a\n'), leader);
			expect(r.status).toBe(403);
		}
		const upload = await post('/responses/import/upload', form('x.csv', 'a\n'), leader, {
			accept: 'application/x-ndjson'
		});
		expect(upload.status).toBe(403);
		expect((await app.fetch('/import-templates/cases', { cookie: leader })).status).toBe(403);
	});

	it('imports a responses file through the page form (no script) and refuses a bad one', async () => {
		const ok = await post('/responses/import', form('r.csv', responsesFile('FORM', 3)), supervisor);
		expect(ok.status).toBe(303);
		const location = new URL(ok.headers.get('location')!, app.baseUrl);
		expect(Object.fromEntries(location.searchParams)).toEqual({
			rows: '18',
			responses: '3',
			created: '3',
			existing: '0'
		});
		const summary = await (
			await app.fetch(location.pathname + location.search, { cookie: supervisor })
		).text();
		expect(summary).toContain(
			m.responses_import_summary({ rows: 18, responses: 3, created: 3, existing: 0 }, zh)
		);

		// Line 5 (the header is line 1) has an answer that is no level.
		const bad = await post(
			'/responses/import',
			form('rb.csv', responsesFile('FORMBAD', 2, { at: 5, answer: '9' })),
			supervisor
		);
		expect(bad.status).toBe(400);
		expect(rowErrors(await bad.text())).toEqual(['5:answer']);
		// Nothing of it was stored: the same file without the bad answer creates both responses.
		const again = await post(
			'/responses/import',
			form('r2.csv', responsesFile('FORMBAD', 2)),
			supervisor
		);
		expect(new URL(again.headers.get('location')!, app.baseUrl).searchParams.get('created')).toBe(
			'2'
		);
	});

	it('reads a responses workbook (.xlsx) as its first sheet, and refuses a picture', async () => {
		const wb = new ExcelJS.Workbook();
		const sheet = wb.addWorksheet('答卷');
		sheet.addRow(RESPONSES_HEADER.split(','));
		// A date cell, as Excel keeps a date-time typed into it (the wall-clock time).
		for (const [j, q] of QUESTIONS.entries())
			sheet.addRow([
				'XLSX-1',
				CAMPAIGN,
				'field',
				new Date(Date.UTC(2026, 4, 12, 10, 30)),
				'fgj',
				q,
				j % 6
			]);
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
		const ok = await post('/responses/import', form('答卷.xlsx', bytes), supervisor);
		expect(ok.status).toBe(303);
		expect(new URL(ok.headers.get('location')!, app.baseUrl).searchParams.get('created')).toBe('1');

		// A PNG's signature and some of its bytes.
		const png = new Uint8Array(
			Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)])
		);
		const refused = await post('/responses/import', form('photo.csv', png), supervisor);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain(m.imports_not_a_table({}, zh));
	});

	/** Posts to the upload endpoint and reads its NDJSON lines as they arrive. */
	async function streamed(body: FormData) {
		const r = await post('/responses/import/upload', body, supervisor, {
			accept: 'application/x-ndjson'
		});
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
		const reader = r.body!.getReader();
		const decoder = new TextDecoder();
		const lines: ProgressLine[] = [];
		let rest = '';
		let reads = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			reads++;
			const parsed = progressLines(rest + decoder.decode(value, { stream: true }));
			rest = parsed.rest;
			lines.push(...parsed.lines);
		}
		return { lines: lines.filter((l) => l.type !== 'working'), reads };
	}

	it('streams a large responses upload’s progress, then the summary’s address', async () => {
		// 2,500 responses of 6 answers: 15,000 rows, a progress line at 10,000.
		const file = responsesFile('STREAM', 2_500);
		const { lines, reads } = await streamed(form('big.csv', file));
		expect(lines[0]).toEqual({ type: 'received', bytes: new TextEncoder().encode(file).length });
		expect(lines.filter((l) => l.type === 'progress')).toEqual([
			{ type: 'progress', rows: 10_000 }
		]);
		const last = lines.at(-1)!;
		expect(last).toEqual({
			type: 'done',
			location: '/responses/import?rows=15000&responses=2500&created=2500&existing=0'
		});
		// The lines came as the import went, not all at the end.
		expect(reads).toBeGreaterThan(1);
		const page = await (
			await app.fetch(last.type === 'done' ? last.location : '', { cookie: supervisor })
		).text();
		expect(page).toContain(
			m.responses_import_summary({ rows: 15000, responses: 2500, created: 2500, existing: 0 }, zh)
		);
	});

	it('streams a refused responses file’s rows as the form’s failure', async () => {
		const { lines } = await streamed(
			form('bad.csv', responsesFile('STREAMBAD', 3, { at: 7, answer: 'x' }))
		);
		const last = lines.at(-1)!;
		expect(last.type).toBe('refused');
		if (last.type !== 'refused') return;
		expect(last.failure.values).toEqual({ file: 'bad.csv' });
		expect(last.failure.rowErrors?.map((e) => `${e.line}:${e.column}`)).toEqual(['7:answer']);
		expect(last.failure.moreErrors).toBe(0);

		// No file at all: the file field's message, nothing imported.
		const none = new FormData();
		const empty = await streamed(none);
		expect(empty.lines).toEqual([
			{
				type: 'refused',
				failure: { values: {}, errors: { file: m.imports_error_no_file({}, zh) } }
			}
		]);
	});

	it('takes a 200 MB responses file without holding it in memory', async () => {
		// The server's peak resident memory (Linux), before and after.
		const peak = () =>
			Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${app.pid}/status`, 'utf8'))![1]) / 1024;
		const before = peak();
		const line = new TextEncoder().encode('x'.repeat(1024 * 1024 - 1) + '\n');
		// A header the import refuses at once: what is measured is the upload.
		const parts: BlobPart[] = [new TextEncoder().encode('not,the,header\n')];
		for (let i = 0; i < 200; i++) parts.push(line);
		const body = new FormData();
		body.append('file', new Blob(parts), 'huge.csv');
		const { lines } = await streamed(body);
		expect(lines[0]).toEqual({ type: 'received', bytes: 200 * 1024 * 1024 + 15 });
		expect(lines.at(-1)?.type).toBe('refused');
		// Written to a temporary file as it came: the peak grew far less than the file.
		expect(peak() - before).toBeLessThan(64);
	});

	it('offers each template to those who may import it, UTF-8 with BOM', async () => {
		const r = await app.fetch('/import-templates/cases', { cookie: supervisor });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(r.headers.get('content-disposition')).toBe(
			'attachment; filename="pingyi-cases-template.csv"'
		);
		const bytes = new Uint8Array(await r.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		// (TextDecoder drops the BOM.)
		expect(new TextDecoder().decode(bytes).split('\r\n')[0]).toBe(
			'办件编号,部门代码,事项编码,事项名称,受理时间,办结时间,承诺时限（工作日）'
		);
		expect((await app.fetch('/import-templates/no-such', { cookie: supervisor })).status).toBe(404);
		// The page links the template and the formats.
		const page = await (await app.fetch('/cases/import', { cookie: supervisor })).text();
		expect(page).toMatch(/href="[./]*\/?import-templates\/cases"/);
		expect(page).toMatch(/href="[./]*\/?help\/formats#cases"/);
		const help = await app.fetch('/help/formats', { cookie: leader });
		expect(help.status).toBe(200);
		expect(await help.text()).toContain('<h2 id="cases">');
	});

	it('refuses what is no upload, and a file over the limit, with a clear answer', async () => {
		const plain = await app.fetch('/cases/import', {
			method: 'POST',
			cookie: supervisor,
			headers: { 'content-type': 'text/plain' },
			body: 'case_no\n'
		});
		expect(plain.status).toBe(415);
		// Just over the cases file's cap: refused before it is read, with the cap.
		const big = await post(
			'/cases/import',
			form('huge.csv', new Uint8Array(KINDS.cases.maxBytes + 1024 * 1024).fill(65)),
			supervisor
		);
		expect(big.status).toBe(413);
		const html = await big.text();
		expect(html).toContain(`${megabytes(KINDS.cases.maxBytes)} MB`);
		// Any other address: 16 MB.
		const other = await app.fetch('/sign-in', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'username=' + 'a'.repeat(17 * 1024 * 1024)
		});
		expect(other.status).toBe(413);
	});
});

describe('example departments on the pages', () => {
	let app: RunningApp;
	let admin: string;

	beforeAll(async () => {
		app = await startApp({
			env: { BODY_SIZE_LIMIT: 'Infinity' },
			// A liaison of fgj: something refers to that example.
			seed: (db) =>
				makeUser(db, { username: 'li-fgj', role: 'liaison', departmentCode: 'fgj' }).then(() => {})
		});
		admin = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	});
	afterAll(() => app?.dispose());

	const remove = (code: string, confirm: boolean) =>
		app.fetch(`/departments/${code}?/remove`, {
			method: 'POST',
			cookie: admin,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(confirm ? { confirm: 'yes' } : {})
		});

	it('deletes a department nothing refers to, after the confirmation box', async () => {
		const page = await (await app.fetch('/departments/jtj', { cookie: admin })).text();
		expect(page).toContain('data-testid="department-example"');
		expect(page).toContain('data-testid="department-remove-form"');
		expect((await remove('jtj', false)).status).toBe(400);
		expect((await app.fetch('/departments/jtj', { cookie: admin })).status).toBe(200);
		const r = await remove('jtj', true);
		expect(r.status).toBe(303);
		expect(r.headers.get('location')).toBe('/departments?removed=jtj');
		expect((await app.fetch('/departments/jtj', { cookie: admin })).status).toBe(404);
	});

	it('lets only those who manage departments delete one', async () => {
		const liaison = (await app.signIn('li-fgj', PASSWORD)).cookie!;
		const r = await app.fetch('/departments/fgj?/remove', {
			method: 'POST',
			cookie: liaison,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ confirm: 'yes' })
		});
		expect(r.status).toBe(403);
		const page = await (await app.fetch('/departments/fgj', { cookie: liaison })).text();
		expect(page).not.toContain('data-testid="department-remove-form"');
	});

	it('refuses to delete one something refers to, saying what', async () => {
		const r = await remove('fgj', true);
		expect(r.status).toBe(409);
		const html = await r.text();
		expect(html).toContain(m.departments_refs_users({ count: 1 }, zh));
		expect((await app.fetch('/departments/fgj', { cookie: admin })).status).toBe(200);
	});

	it('the first real import removes the unused examples when asked (the box is ticked)', async () => {
		const page = await (await app.fetch('/departments/import', { cookie: admin })).text();
		expect(page).toMatch(/name="removeExamples"[^>]*checked/);
		const file = csv(
			'code,name_zh,name_en,category,superior_authority,exempt_years',
			'czj,市财政局,Finance Bureau,municipal,,',
			'tjj,市统计局,Statistics Bureau,municipal,,'
		);
		const r = await app.fetch('/departments/import', {
			method: 'POST',
			cookie: admin,
			body: form('real.csv', file, { year: '2026', removeExamples: 'yes' })
		});
		expect(r.status).toBe(303);
		const location = new URL(r.headers.get('location')!, app.baseUrl);
		// 12 examples: jtj deleted before, czj named by the file, fgj referred to: 9 go.
		expect(Object.fromEntries(location.searchParams)).toEqual({
			rows: '2',
			created: '1',
			updated: '1',
			unchanged: '0',
			year: '2026',
			removed: '9'
		});
		const list = await (await app.fetch('/departments', { cookie: admin })).text();
		const codes = [...list.matchAll(/data-testid="department-row" data-code="([^"]+)"/g)].map(
			(x) => x[1]
		);
		expect(codes.sort()).toEqual(['czj', 'fgj', 'tjj']);
		// The box is gone with the examples but fgj.
		const after = await (await app.fetch('/departments/import', { cookie: admin })).text();
		expect(after).toContain('name="removeExamples"');
	});
});

// On PostgreSQL the import reads the uploaded file with COPY (its path can be read twice), the
// fast path a province's file takes in production.
describe.skipIf(!process.env.TEST_DATABASE_URL)('the responses upload on PostgreSQL', () => {
	let app: RunningApp;
	let cookie: string;

	beforeAll(async () => {
		app = await startApp({
			postgres: true,
			env: { BODY_SIZE_LIMIT: 'Infinity' },
			seed: async (db) => {
				await makeCampaign(db, { code: CAMPAIGN, year: 2026, kind: 'public_evaluation' });
			}
		});
		cookie = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	});
	afterAll(() => app?.dispose());

	it('streams the progress and imports every response', async () => {
		const body = form('pg.csv', responsesFile('PG', 2_000));
		const r = await app.fetch('/responses/import/upload', {
			method: 'POST',
			cookie,
			headers: { cookie, accept: 'application/x-ndjson' },
			body
		});
		const { lines } = progressLines((await r.text()) + '\n');
		const shown = lines.filter((l) => l.type !== 'working');
		expect(shown.map((l) => l.type)).toEqual(['received', 'progress', 'done']);
		expect(shown.at(-1)).toEqual({
			type: 'done',
			location: '/responses/import?rows=12000&responses=2000&created=2000&existing=0'
		});
	});
});
