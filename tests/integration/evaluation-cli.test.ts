// A small two-year data set (2022, 2023) written as the CSV files of spec/exchange.md and run
// through the CLI in-process, as scripts/cli.ts runs its commands: departments, holidays, cases,
// findings, complaints, campaigns, responses, year create, compute, publish (2022, then 2023),
// export results as CSV and JSON. Every exported figure is compared with the arithmetic below,
// done by hand from spec/scoring.md (weights 30/20/20/30, share 0.5, bonus cap 10, deductions
// 5/2/0 and 1 for a late response; `--commend 1,1 --bottom 1`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ResultRow } from '$lib/server/results';
import {
	CliError,
	execute,
	type Context,
	type OptionValues,
	type Outcome
} from '../../scripts/cli/command';
import { COMMANDS } from '../../scripts/cli/commands';
import { describeEachDatabase } from '../helpers/db';

// ── 2022 (Y − 1) ────────────────────────────────────────────────────────────────────────────
// work:       ma 100 − 4 = 96; mb 100 − 10 + min(15, 10) = 100; mc 100 − 20 = 80 (the −5 is
//             withdrawn); va 100; vb 100 − 6 = 94. (md is exempt in 2022.)
// cases:      ma, mb, va one instant item done the same day → 100; mc one on time, one late
//             (Tue → Thu = 2 > 1) → 50; vb one late (Tue → Wed = 1 > 0) → 0.
// survey:     campaign c22 (weight 1), one response each: ma all 5 → appraisal 100, efficiency
//             100; mb all 4 → 75 / 75; mc 3s → 50, efficiency "don't know" → no survey
//             indicator; va all 5 → 100 / 100; vb 2s → 25 / 25.
// convenience: ma ½·100 + ½·100 = 100; mb ½·100 + ½·75 = 87.5; mc case only 50; va 100;
//             vb ½·0 + ½·25 = 12.5.
// complaints: mc one substantiated → 95; vb one partial, answered late → 100 − 2 − 1 = 97.
// totals:     ma (30·96 + 20·100 + 20·100 + 30·100)/100 = 98.8
//             mb (3000 + 20·87.5 + 2000 + 30·75)/100 = 90
//             mc (30·80 + 20·50 + 20·95 + 30·50)/100 = 68
//             va 100;  vb (30·94 + 20·12.5 + 20·97 + 30·25)/100 = 57.6
// ranks:      municipal ma 1, mb 2, mc 3 (bottom: rectification + criticism);
//             vertical va 1, vb 2 (bottom: rectification + criticism).
// satisfaction: levels 3–5 share: 100 for all but vb (level 2) → 0.
const Y1_EXPECTED: ResultRow[] = [
	row('ma', '市甲局', 'municipal', 96, 100, 100, 100, 98.8, 1, 3, 1, 100, ['commended']),
	row('mb', '市乙局', 'municipal', 100, 87.5, 100, 75, 90, 2, 2, 1, 100, []),
	row('mc', '市丙局', 'municipal', 80, 50, 95, 50, 68, 3, 1, 1, 100, [
		'rectification',
		'criticism'
	]),
	row('va', '甲垂管局', 'vertical', 100, 100, 100, 100, 100, 1, 2, 1, 100, ['commended']),
	row('vb', '乙垂管局', 'vertical', 94, 12.5, 97, 25, 57.6, 2, 1, 1, 0, [
		'rectification',
		'criticism'
	])
];

// ── 2023 (Y) ────────────────────────────────────────────────────────────────────────────────
// holidays:   Mon 2 Oct 2023 and Mon 1 Jan 2024 off; Sat 7 Oct 2023 worked.
// work:       ma 100; mb 100 − 3 = 97; mc 80; md: −1 disputed (not counted), +2 → 100;
//             va 100 − 2 = 98; vb 94.
// cases:      ma Fri 29 Sep → Tue 3 Oct, 1 promised: Sat, Sun, Mon (holiday) no, Tue = 1 → on
//             time; and 07:15 on Thu 2 Mar → Fri 3 Mar = 1 → on time → 100.
//             mb Fri 6 Oct → Mon 9 Oct: Sat (worked) + Mon = 2 > 1 late; an instant item on time
//             → 50. mc one on time, one open since 1 Dec with 5 promised (overdue at 31 Dec)
//             → 1 / (1 + 1) = 50. md Fri 29 Dec → Tue 2 Jan 2024: Sat, Sun, Mon (holiday) no,
//             Tue = 1 → on time → 100 (its case of 30 Dec 2022 belongs to 2022). va 100;
//             vb one on time, one late → 50.
// survey:     c23a weight 2, c23b weight 1.
//             ma: c23a all 5 → 100 / 100; c23b all 4 → 75 / 75
//                 → appraisal (2·100 + 75)/3 = 91.666…, survey indicator the same.
//             mb: c23a [4,4,2,2,4] → (75+75+25+25+75)/5 = 55, efficiency "don't know"; and
//                 all 5 → 100 / 100 → c23a mean (55 + 100)/2 = 77.5; survey 100.
//             mc and vb in one response of c23b: mc all 3 → 50 / 50; vb all 1 → 0 / 0; a
//                 c23a response about vb with only "don't know" counts for nothing.
//             md: c23a [5,5,5,5,5] efficiency 4 → 100 / 75.  va: c23a all 5 → 100 / 100.
// convenience: ma ½·100 + ½·91.666… = 95.8333…; mb ½·50 + ½·100 = 75; mc ½·50 + ½·50 = 50;
//             md ½·100 + ½·75 = 87.5; va 100; vb ½·50 + ½·0 = 25.
// complaints: ma one partial received 00:30 on 1 Jan 2023 (a 2023 complaint) → 98;
//             mb one substantiated, late → 100 − 5 − 1 = 94; mc one open → 100 (a warning);
//             vb one unfounded, late → 100 − 0 − 1 = 99.
// totals:     ma (3000 + 20·95.8333… + 20·98 + 30·91.666…)/100 = 96.2666… → 96.27
//             mb (30·97 + 20·75 + 20·94 + 30·77.5)/100 = 86.15
//             mc (2400 + 1000 + 2000 + 1500)/100 = 69
//             md (3000 + 20·87.5 + 2000 + 3000)/100 = 97.5
//             va (30·98 + 2000 + 2000 + 3000)/100 = 99.4
//             vb (30·94 + 20·25 + 20·99 + 0)/100 = 53
// ranks:      municipal md 1, ma 2, mb 3, mc 4 — mc criticised in 2022 too → reassignment;
//             vertical va 1, vb 2 — criticised in 2022 too → report to the superior authority.
// responses:  ma 2, mb 2, mc 1, md 1, va 1, vb 1; satisfaction mb 8 of 10 answers at 3–5 = 80,
//             vb 0, the others 100.
const Y2_EXPECTED: ResultRow[] = [
	row('md', '市丁局', 'municipal', 100, 87.5, 100, 100, 97.5, 1, 4, 1, 100, ['commended']),
	row('ma', '市甲局', 'municipal', 100, 95.83, 98, 91.67, 96.27, 2, 3, 2, 100, []),
	row('mb', '市乙局', 'municipal', 97, 75, 94, 77.5, 86.15, 3, 2, 2, 80, []),
	row('mc', '市丙局', 'municipal', 80, 50, 100, 50, 69, 4, 1, 1, 100, [
		'rectification',
		'criticism',
		'reassignment'
	]),
	row('va', '甲垂管局', 'vertical', 98, 100, 100, 100, 99.4, 1, 2, 1, 100, ['commended']),
	row('vb', '乙垂管局', 'vertical', 94, 25, 99, 0, 53, 2, 1, 1, 0, [
		'rectification',
		'criticism',
		'superior_report'
	])
];

function row(
	code: string,
	name_zh: string,
	category: 'municipal' | 'vertical',
	work: number,
	convenience: number,
	complaints: number,
	appraisal: number,
	total: number,
	rank: number,
	rank_from_bottom: number,
	responses: number,
	satisfaction_rate: number,
	outcomes: ResultRow['outcomes']
): ResultRow {
	return {
		code,
		name_zh,
		category,
		work,
		convenience,
		complaints,
		appraisal,
		total,
		rank,
		rank_from_bottom,
		responses,
		satisfaction_rate,
		outcomes
	};
}

const DEPARTMENTS = `code,name_zh,name_en,category,superior_authority,exempt_years
ma,市甲局,Bureau A,municipal,,
mb,市乙局,Bureau B,municipal,,
mc,市丙局,Bureau C,municipal,,
md,市丁局,Bureau D,municipal,,2022
va,甲垂管局,Vertical A,vertical,省甲局,
vb,乙垂管局,Vertical B,vertical,省乙局,
`;

const HOLIDAYS = `date,kind
2023-10-02,holiday
2023-10-07,workday
2024-01-01,holiday
`;

const CASES = `case_no,department_code,item_code,item_name,accepted_at,completed_at,promised_working_days
C22-1,ma,i1,事项,2022-03-01 09:00,2022-03-01 15:00,0
C22-2,mb,i1,事项,2022-03-01 09:00,2022-03-01 15:00,0
C22-3,mc,i1,事项,2022-03-01 09:00,2022-03-01 15:00,0
C22-4,mc,i2,事项,2022-03-01 09:00,2022-03-03 09:00,1
C22-5,va,i1,事项,2022-03-01 09:00,2022-03-01 15:00,0
C22-6,vb,i1,事项,2022-03-01 09:00,2022-03-02 10:00,0
C23-1,ma,i2,事项,2023-09-29 09:00,2023-10-03 09:00,1
C23-2,ma,i2,事项,2023-03-02 07:15,2023-03-03 09:00,1
C23-3,mb,i2,事项,2023-10-06 09:00,2023-10-09 09:00,1
C23-4,mb,i1,事项,2023-03-01 09:00,2023-03-01 11:00,0
C23-5,mc,i1,事项,2023-03-01 09:00,2023-03-01 11:00,0
C23-6,mc,i3,事项,2023-12-01 09:00,,5
C23-7,md,i2,事项,2023-12-29 09:00,2024-01-02 09:00,1
C23-8,md,i1,事项,2022-12-30 09:00,2023-01-05 09:00,0
C23-9,va,i1,事项,2023-03-01 09:00,2023-03-01 11:00,0
C23-10,vb,i1,事项,2023-03-01 09:00,2023-03-01 11:00,0
C23-11,vb,i1,事项,2023-03-01 09:00,2023-03-02 09:00,0
`;

const FINDINGS = `finding_no,department_code,date,source,points,status,description
F22-1,ma,2022-04-01,special_inspection,-4,confirmed,窗口无人
F22-2,mb,2022-04-01,undercover_visit,-10,confirmed,推诿
F22-3,mb,2022-08-01,task_supervision,15,confirmed,督办事项提前完成
F22-4,mc,2022-04-01,onsite_measurement,-20,confirmed,超时办结
F22-5,mc,2022-05-01,special_inspection,-5,withdrawn,误报
F22-6,vb,2022-04-01,special_inspection,-6,confirmed,制度未上墙
F23-1,mb,2023-04-01,special_inspection,-3,confirmed,窗口无人
F23-2,mc,2023-04-01,undercover_visit,-20,confirmed,推诿
F23-3,md,2023-04-01,special_inspection,-1,disputed,有异议
F23-4,md,2023-06-01,task_supervision,2,confirmed,表扬
F23-5,va,2023-04-01,special_inspection,-2,confirmed,迟到
F23-6,vb,2023-04-01,special_inspection,-6,confirmed,制度未上墙
`;

const COMPLAINTS = `complaint_no,department_code,received_at,channel,category,verdict,concluded_at,response_late,summary
K22-1,mc,2022-05-01 10:00,hotline,效能,substantiated,2022-05-10 10:00,false,办事拖拉
K22-2,vb,2022-06-01 10:00,hotline,效能,partial,2022-06-10 10:00,true,态度差
K23-1,mb,2023-05-01 10:00,hotline,效能,substantiated,2023-05-10 10:00,true,办事拖拉
K23-2,mc,2023-06-01 10:00,letter,效能,,,false,待查
K23-3,vb,2023-07-01 10:00,hotline,效能,unfounded,2023-07-10 10:00,true,不属实
K23-4,ma,2023-01-01 00:30,online,效能,partial,2023-01-09 10:00,false,元旦投诉
`;

const QUESTIONS = ['transparency', 'service', 'integrity', 'attitude', 'quality', 'efficiency'];

/** The rows of one response: [department, six levels] per department it answers about. */
function response(key: string, campaign: string, about: [string, number[]][]): string[] {
	return about.flatMap(([department, levels]) =>
		levels.map(
			(level, i) =>
				`${key},${campaign},paper,2023-06-01 10:00,${department},${QUESTIONS[i]},${level}`
		)
	);
}

const RESPONSES = [
	'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer',
	...response('R22-1', 'c22', [['ma', [5, 5, 5, 5, 5, 5]]]),
	...response('R22-2', 'c22', [['mb', [4, 4, 4, 4, 4, 4]]]),
	...response('R22-3', 'c22', [['mc', [3, 3, 3, 3, 3, 0]]]),
	...response('R22-4', 'c22', [['va', [5, 5, 5, 5, 5, 5]]]),
	...response('R22-5', 'c22', [['vb', [2, 2, 2, 2, 2, 2]]]),
	...response('R23-1', 'c23a', [['ma', [5, 5, 5, 5, 5, 5]]]),
	...response('R23-2', 'c23b', [['ma', [4, 4, 4, 4, 4, 4]]]),
	...response('R23-3', 'c23a', [['mb', [4, 4, 2, 2, 4, 0]]]),
	...response('R23-4', 'c23a', [['mb', [5, 5, 5, 5, 5, 5]]]),
	...response('R23-5', 'c23b', [
		['mc', [3, 3, 3, 3, 3, 3]],
		['vb', [1, 1, 1, 1, 1, 1]]
	]),
	...response('R23-6', 'c23a', [['vb', [0, 0, 0, 0, 0, 0]]]),
	...response('R23-7', 'c23a', [['md', [5, 5, 5, 5, 5, 4]]]),
	...response('R23-8', 'c23a', [['va', [5, 5, 5, 5, 5, 5]]])
].join('\n');

describeEachDatabase('evaluation through the CLI', (t) => {
	let dir: string;
	const file = (name: string) => join(dir, name);

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'pingyi-eval-cli-'));
		const files: Record<string, string> = {
			'departments.csv': DEPARTMENTS,
			'holidays.csv': HOLIDAYS,
			'cases.csv': CASES,
			'findings.csv': FINDINGS,
			'complaints.csv': COMPLAINTS,
			// Answers may arrive before or after the campaign's own year has ended.
			'responses.csv': RESPONSES.replace(/R22-(\d),c22,paper,2023/g, 'R22-$1,c22,paper,2022')
		};
		for (const [name, text] of Object.entries(files)) writeFileSync(file(name), text);
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	/** Runs a command line the way scripts/cli.ts does after parsing it. */
	async function cli(words: string, values: OptionValues = {}): Promise<Outcome> {
		const parts = words.split(' ');
		const command = [...COMMANDS]
			.sort((a, b) => b.name.length - a.name.length)
			.find((c) => c.name.every((w, i) => parts[i] === w));
		if (!command) throw new Error(`no command ${words}`);
		const ctx: Context = {
			locale: 'en',
			db: t.db,
			handle: t.handle,
			actor: { kind: 'cli', id: null, label: 'cli:test', address: null },
			migrations: { applied: 0, total: 0 },
			readStdin: async () => ''
		};
		return execute(command, ctx, { values, args: parts.slice(command.name.length) });
	}

	it('runs two years from the files to the exported results', async () => {
		await cli(`import departments ${file('departments.csv')}`, { year: '2022' });
		await cli(`import holidays ${file('holidays.csv')}`);
		await cli(`import cases ${file('cases.csv')}`);
		await cli(`import findings ${file('findings.csv')}`);
		await cli(`import complaints ${file('complaints.csv')}`);
		await cli('campaign create', { code: 'c22', year: '2022', kind: 'public_evaluation' });
		await cli('campaign create', {
			code: 'c23a',
			year: '2023',
			kind: 'enterprise_visit',
			weight: '2'
		});
		await cli('campaign create', { code: 'c23b', year: '2023', kind: 'online', weight: '1' });
		await cli(`import responses ${file('responses.csv')}`);

		for (const year of ['2022', '2023'])
			expect(
				(await cli(`year create ${year}`, { commend: '1,1', bottom: '1' })).json
			).toMatchObject({
				settings: { commended: { municipal: 1, vertical: 1 }, rectificationBottom: 1 }
			});

		// 2022: computed, published, exported.
		const c22 = await cli('year compute 2022');
		expect(c22.json).toMatchObject({ year: 2022, departments: 5, ranked: 5, errors: [] });
		await expect(cli('export results 2022')).rejects.toMatchObject({ code: 'not_published' });
		await cli('year publish 2022', { note: '2022 年度' });
		const csv22 = await cli(`export results 2022`, { output: file('r22.csv') });
		expect(csv22.json).toMatchObject({ rows: 5, revision: 1 });
		expect(readCsv(file('r22.csv'))).toEqual(Y1_EXPECTED);
		// To the terminal: the same bytes as the file, every record (the last too) ended by CRLF.
		const printed = await cli('export results 2022');
		expect(printed.raw).toBe(readFileSync(file('r22.csv'), 'utf8'));
		expect(printed.raw!.split('\r\n')).toHaveLength(Y1_EXPECTED.length + 2);
		expect(printed.raw!.replaceAll('\r\n', '')).not.toContain('\n');

		// 2023: the warnings name the open complaint, the disputed finding, the small samples.
		const c23 = await cli('year compute 2023');
		const computed = c23.json as { errors: unknown[]; warnings: { code: string }[] };
		expect(computed.errors).toEqual([]);
		expect(computed.warnings).toEqual(
			expect.arrayContaining([
				{ code: 'open_complaints', departmentCode: 'mc', count: 1 },
				{ code: 'disputed_findings', departmentCode: 'md', count: 1 },
				{ code: 'insufficient_sample', departmentCode: 'ma', count: 2 }
			])
		);
		expect(c23.text.join('\n')).toContain('still open');
		// The draft can be exported before publication, and equals what is then published.
		const draft = await cli('export results 2023', { format: 'json', draft: true });
		expect((draft.json as { results: ResultRow[] }).results).toEqual(Y2_EXPECTED);
		const published = await cli('year publish 2023');
		expect(published.json).toMatchObject({ revision: 1, replaces: null });

		await cli('export results 2023', { output: file('r23.csv') });
		expect(readCsv(file('r23.csv'))).toEqual(Y2_EXPECTED);
		await cli('export results 2023', { format: 'json', output: file('r23.json') });
		expect(JSON.parse(readFileSync(file('r23.json'), 'utf8'))).toEqual(Y2_EXPECTED);
		await cli('export results 2023', { format: 'xlsx', output: file('r23.xlsx') });
		expect(readFileSync(file('r23.xlsx')).subarray(0, 2).toString()).toBe('PK');

		// A second publication of 2023 is a correction: it needs a new draft and a reason.
		await expect(cli('year publish 2023', { reason: 'x' })).rejects.toMatchObject({
			code: 'draft_already_published'
		});
		await cli('year compute 2023');
		const refused = await cli('year publish 2023').catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(CliError);
		expect((refused as CliError).code).toBe('reason_required');
		const corrected = await cli('year publish 2023', { reason: '复核无变化' });
		expect(corrected.json).toMatchObject({ revision: 2, replaces: 1 });
		expect(corrected.text[1]).toContain('复核无变化');
	});

	it('rejects bad command lines with clear errors', async () => {
		await expect(cli('year create 1800')).rejects.toMatchObject({ code: 'invalid_year' });
		await expect(cli('year create 2030', { weights: '30,20,20' })).rejects.toMatchObject({
			code: 'invalid_option',
			exitCode: 2
		});
		const e = await cli('year create 2030', { weights: '40,20,20,30' }).catch((x: unknown) => x);
		expect(e).toMatchObject({ code: 'settings_invalid', exitCode: 1 });
		expect((e as CliError).lines.join('\n')).toContain('sum to 100');
		await expect(cli('year compute 2031')).rejects.toMatchObject({ code: 'year_not_found' });
		await expect(cli('export results 2022', { format: 'pdf' })).rejects.toMatchObject({
			code: 'invalid_format'
		});
		await expect(cli('export results 2022', { format: 'xlsx' })).rejects.toMatchObject({
			code: 'output_required'
		});
	});
});

/** An exported CSV read back as typed rows (numbers as numbers, outcomes as a list). */
function readCsv(path: string): ResultRow[] {
	const text = readFileSync(path, 'utf8');
	expect(text.startsWith('\uFEFF')).toBe(true);
	const records = parse(text.slice(1), { columns: true }) as Record<string, string>[];
	const numbers = new Set([
		'work',
		'convenience',
		'complaints',
		'appraisal',
		'total',
		'rank',
		'rank_from_bottom',
		'responses',
		'satisfaction_rate'
	]);
	return records.map(
		(r) =>
			Object.fromEntries(
				Object.entries(r).map(([k, v]) => [
					k,
					k === 'outcomes' ? (v ? v.split(';') : []) : numbers.has(k) ? Number(v) : v
				])
			) as unknown as ResultRow
	);
}
