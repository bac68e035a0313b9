// `campaign create` and `import responses` as a person runs them: a child process against a
// PGlite folder and, when TEST_DATABASE_URL is set, a fresh PostgreSQL database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '$lib/server/db';
import { makeDepartment } from '../factories';
import { spawnCli } from '../helpers/cli-process';
import { createPostgresDatabase, DRIVERS } from '../helpers/db';

const HEADER =
	'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer';

const run = (args: string[], env: NodeJS.ProcessEnv) => spawnCli(args, env);

for (const driver of DRIVERS) {
	describe(`campaign and responses commands [${driver}]`, () => {
		let work: string;
		let env: NodeJS.ProcessEnv;
		let open: () => ReturnType<typeof openDatabase>;
		let drop: (() => Promise<void>) | undefined;
		let department: string;

		beforeAll(async () => {
			work = mkdtempSync(join(tmpdir(), 'pingyi-responses-cli-'));
			const base: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8' };
			for (const k of ['DATABASE_URL', 'PGLITE_DIR', 'PINGYI_LANG']) delete base[k];
			if (driver === 'pglite') {
				const dir = join(work, 'db');
				env = { ...base, PGLITE_DIR: dir };
				open = () => openDatabase({ pgliteDir: dir });
			} else {
				const created = await createPostgresDatabase();
				drop = created.drop;
				env = { ...base, DATABASE_URL: created.url };
				open = () => openDatabase({ url: created.url, max: 1 });
			}
			// The CLI migrates on start; a department to answer about comes from the verb.
			const handle = await open();
			try {
				await handle.migrate();
				department = (await makeDepartment(handle.db, { code: 'cli-dept' })).code;
			} finally {
				await handle.close();
			}
		});
		afterAll(async () => {
			rmSync(work, { recursive: true, force: true });
			await drop?.();
		});

		it('creates a campaign, refuses bad options in the language asked for', async () => {
			const created = await run(
				[
					'campaign',
					'create',
					'--code',
					'visit-2025',
					'--year',
					'2025',
					'--kind',
					'enterprise_visit',
					'--weight',
					'2',
					'--json'
				],
				env
			);
			expect(created.code).toBe(0);
			expect(JSON.parse(created.stdout)).toMatchObject({
				campaign: {
					code: 'visit-2025',
					year: 2025,
					kind: 'enterprise_visit',
					questionnaire: { code: 'standard-appraisal', version: 1 },
					weight: 2
				}
			});
			const bad = await run(
				['campaign', 'create', '--code', 'x', '--year', '2025', '--kind', 'survey', '--lang', 'en'],
				env
			);
			expect(bad.code).toBe(1);
			expect(bad.stderr).toContain(
				'--kind: The kind must be enterprise_visit, public_evaluation or online.'
			);
			const taken = await run(
				['campaign', 'create', '--code', 'visit-2025', '--year', '2025', '--kind', 'online'],
				env
			);
			expect(taken.code).toBe(1);
			expect(taken.stderr).toContain('该编码已被另一个测评活动使用。');
		});

		it('imports a responses file, and the second time stores nothing new', async () => {
			const lines = [HEADER];
			for (let i = 0; i < 40; i++)
				for (const q of ['service', 'quality', 'efficiency'])
					lines.push(`cli-${i},visit-2025,field,2025-05-01 10:00,${department},${q},${i % 6}`);
			const file = join(work, 'responses.csv');
			writeFileSync(file, lines.join('\n'));
			const first = await run(['import', 'responses', file, '--lang', 'en'], env);
			expect(first.code).toBe(0);
			expect(first.stdout).toContain('120 rows, 40 responses, 40 new, 0 already stored');
			const second = await run(['import', 'responses', file, '--json'], env);
			expect(second.code).toBe(0);
			expect(JSON.parse(second.stdout)).toMatchObject({
				kind: 'responses',
				rows: 120,
				responses: 40,
				created: 0,
				existing: 40,
				encoding: 'utf-8'
			});

			const bad = join(work, 'bad.csv');
			writeFileSync(
				bad,
				`${HEADER}\nz,visit-2025,field,2025-05-01 10:00,${department},service,9\n`
			);
			const refused = await run(['import', 'responses', bad, '--lang', 'en', '--json'], env);
			expect(refused.code).toBe(1);
			expect(JSON.parse(refused.stdout).error).toMatchObject({
				code: 'invalid_rows',
				details: [{ line: 2, column: 'answer' }]
			});
			// A workbook is read as its first sheet, as on the upload page; a picture is no table.
			const wb = new ExcelJS.Workbook();
			const sheet = wb.addWorksheet('answers');
			sheet.addRow(HEADER.split(','));
			for (const q of ['service', 'efficiency'])
				sheet.addRow(['xl-1', 'visit-2025', 'phone', '2025-05-02 09:30', department, q, 4]);
			const workbook = join(work, 'responses.xlsx');
			writeFileSync(workbook, new Uint8Array(await wb.xlsx.writeBuffer()));
			const fromExcel = await run(['import', 'responses', workbook, '--json'], env);
			expect(fromExcel.code).toBe(0);
			expect(JSON.parse(fromExcel.stdout)).toMatchObject({ rows: 2, responses: 1, created: 1 });
			const picture = join(work, 'photo.png');
			writeFileSync(picture, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
			const notATable = await run(['import', 'responses', picture, '--json'], env);
			expect(notATable.code).toBe(1);
			expect(JSON.parse(notATable.stdout).error.code).toBe('file_not_a_table');

			const missing = await run(
				['import', 'responses', join(work, 'nope.csv'), '--lang', 'en'],
				env
			);
			expect(missing.code).toBe(1);
			expect(missing.stderr).toContain('File not found');

			const handle = await open();
			try {
				const [r] = await rows<{ n: number }>(
					handle.db,
					sql`select count(*)::int as n from survey_response where response_key like 'cli-%'`
				);
				expect(r!.n).toBe(40);
				const [x] = await rows<{ n: number }>(
					handle.db,
					sql`select count(*)::int as n from survey_response where response_key = 'xl-1'`
				);
				expect(x!.n).toBe(1);
			} finally {
				await handle.close();
			}
		});

		it('reports bad bytes by line and column, and how many problems are not listed', async () => {
			// Bad bytes: a NUL and a byte that is no UTF-8, each with its line and column on the
			// terminal (not PostgreSQL's message), nothing written.
			const bytes = join(work, 'bytes.csv');
			writeFileSync(
				bytes,
				Buffer.concat([
					Buffer.from(
						`${HEADER}\nn1,visit-2025,field,2025-05-01 10:00,${department},difficulty,慢\u0000\n`
					),
					Buffer.from(`n2,visit-2025,field,2025-05-01 10:00,${department},difficulty,慢`),
					Buffer.from([0xff]),
					Buffer.from('\n')
				])
			);
			const broken = await run(['import', 'responses', bytes, '--lang', 'en'], env);
			expect(broken.code).toBe(1);
			expect(broken.stderr).toContain(
				'bytes.csv was not imported: 2 problems, nothing was written.'
			);
			expect(broken.stderr).toContain(
				'Line 2, column answer: The text must not contain a NUL character.'
			);
			expect(broken.stderr).toContain('Line 3, column answer: These bytes are not valid UTF-8');
			expect(broken.stderr).not.toContain('invalid byte sequence');

			// Past the first problems, how many more there are.
			const many = join(work, 'many.csv');
			writeFileSync(
				many,
				[
					HEADER,
					...Array.from(
						{ length: 1003 },
						(_, i) => `m${i},visit-2025,fax,2025-05-01 10:00,${department},service,3`
					)
				].join('\n')
			);
			const capped = await run(['import', 'responses', many, '--lang', 'en'], env);
			expect(capped.code).toBe(1);
			expect(capped.stderr).toContain(
				'many.csv was not imported: 1003 problems, nothing was written.'
			);
			expect(capped.stderr).toContain('and 3 more problems not listed.');
			const one = join(work, 'one-more.csv');
			writeFileSync(
				one,
				[
					HEADER,
					...Array.from(
						{ length: 1001 },
						(_, i) => `o${i},visit-2025,fax,2025-05-01 10:00,${department},service,3`
					)
				].join('\n')
			);
			expect((await run(['import', 'responses', one, '--lang', 'en'], env)).stderr).toContain(
				'and 1 more problem not listed.'
			);
		}, 120_000);
	});
}
