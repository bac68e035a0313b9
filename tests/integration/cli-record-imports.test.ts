// `import findings|enterprises|holidays FILE` run in-process, as the CLI runner runs a command:
// what it prints, its JSON document, and a rejected file's error with every bad row.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import * as calendar from '$lib/server/calendar';
import * as enterprises from '$lib/server/enterprises';
import * as findings from '$lib/server/findings';
import { sha256Hex } from '$lib/server/imports/csv';
import { CliError, type Outcome } from '../../scripts/cli/command';
import { COMMANDS } from '../../scripts/cli/commands';
import { runCli } from '../helpers/cli';
import { describeEachDatabase } from '../helpers/db';
import { adminReader, makeDepartment } from '../factories';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const fixture = (name: string) => join(FIXTURES, name);

describeEachDatabase('cli record imports', (t) => {
	let dir: string;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'pingyi-cli-records-'));
		await makeDepartment(t.db, { code: 'fx-a' });
		await makeDepartment(t.db, { code: 'fx-b' });
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	/** Runs `import <kind> FILE` the way scripts/cli.ts does, after its migrations. */
	const runImport = (kind: string, file: string, locale: Locale = 'en'): Promise<Outcome> =>
		runCli(t.handle, ['import', kind, file], {}, locale);

	it('lists the three importers with their usage and a summary in both languages', () => {
		for (const kind of ['findings', 'enterprises', 'holidays']) {
			const c = COMMANDS.find((x) => x.name.join(' ') === `import ${kind}`)!;
			expect(c.usage).toBe(`import ${kind} FILE`);
			expect(c.summary('en')).not.toBe(c.summary('zh-CN'));
		}
	});

	it.each([
		['holidays', 'holidays-2025.csv', 23],
		['enterprises', 'enterprises-good.csv', 4],
		['findings', 'findings-good.csv', 5]
	])(
		'import %s %s: prints what it did, then changes nothing the second time',
		async (kind, name, rows) => {
			const file = fixture(name);
			const first = await runImport(kind, file);
			const sha256 = sha256Hex(new Uint8Array(readFileSync(file)));
			expect(first.json).toEqual({
				kind,
				file,
				rows,
				created: rows,
				updated: 0,
				unchanged: 0,
				sha256
			});
			expect(first.text).toEqual([
				m.cli_import_done(
					{ file, rows, created: rows, updated: 0, unchanged: 0, sha256 },
					{ locale: 'en' }
				)
			]);
			const second = await runImport(kind, file);
			expect(second.json).toMatchObject({ created: 0, updated: 0, unchanged: rows });
		}
	);

	it('wrote what the files hold', async () => {
		const january = (await calendar.listYear(t.db, 2025)).filter((d) => d.date < '2025-02-01');
		expect(january).toEqual([
			{ date: '2025-01-01', kind: 'holiday' },
			{ date: '2025-01-26', kind: 'workday' },
			...['28', '29', '30', '31'].map((d) => ({ date: `2025-01-${d}`, kind: 'holiday' }))
		]);
		expect((await enterprises.getByUscc(t.db, '92350481L12345678N'))?.name).toBe(
			'永安市小陶镇王记饭店'
		);
		expect((await findings.get(t.db, adminReader, 'F2025-000005'))?.status).toBe('withdrawn');
	});

	it('rejects a bad findings file with exit code 1 and a line per bad row, in the chosen language', async () => {
		const file = join(dir, 'bad-findings.csv');
		writeFileSync(
			file,
			[
				'finding_no,department_code,date,source,points,status,description',
				'F2025-000900,fx-a,2025-01-05,special_inspection,0,confirmed,x',
				'F2025-000901,ghost,2025-01-05,special_inspection,-1,confirmed,x'
			].join('\n')
		);
		let error: unknown;
		try {
			await runImport('findings', file, 'zh-CN');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(CliError);
		const e = error as CliError;
		expect(e.code).toBe('invalid_rows');
		expect(e.exitCode).toBe(1);
		expect(e.message).toBe(m.cli_import_rejected({ file, count: 2 }, { locale: 'zh-CN' }));
		expect(e.lines).toEqual([
			'  ' +
				m.cli_import_row_error(
					{
						line: 2,
						column: 'points',
						message: messageOf('finding_points_zero', {}, 'zh-CN')
					},
					{ locale: 'zh-CN' }
				),
			'  ' +
				m.cli_import_row_error(
					{
						line: 3,
						column: 'department_code',
						message: messageOf('department_unknown', { code: 'ghost' }, 'zh-CN')
					},
					{ locale: 'zh-CN' }
				)
		]);
		expect(e.details).toHaveLength(2);
		expect(await findings.get(t.db, adminReader, 'F2025-000900')).toBeNull();
	});

	it('rejects a bad enterprises file naming the expected check character', async () => {
		const file = join(dir, 'bad-enterprises.csv');
		writeFileSync(
			file,
			[
				'uscc,name,address,township,contact_name,contact_phone',
				'91350100M000100Y40,某公司,,,,'
			].join('\n')
		);
		await expect(runImport('enterprises', file)).rejects.toMatchObject({
			code: 'invalid_rows',
			details: [
				{
					line: 2,
					column: 'uscc',
					message: messageOf('uscc_checksum', { value: '91350100M000100Y40', expected: '3' }, 'en')
				}
			]
		});
	});

	it('says so when the file is missing', async () => {
		await expect(runImport('holidays', join(dir, 'nope.csv'))).rejects.toMatchObject({
			code: 'file_not_found'
		});
	});
});
