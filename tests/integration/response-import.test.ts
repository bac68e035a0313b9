// The streamed responses import (spec/exchange.md): all or nothing, every bad row reported by
// line and column, a second import of the same file changing nothing, GBK and UTF-8 both read,
// and the rows of one response found wherever they are in the file.
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { rows, type Database } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor, unique } from '../factories';
import { describeEachDatabase } from '../helpers/db';

const HEADER =
	'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer';
const RATINGS = ['transparency', 'service', 'integrity', 'attitude', 'quality', 'efficiency'];

const utf8 = (text: string) => new TextEncoder().encode(text);

async function count(db: Database, query: ReturnType<typeof sql>): Promise<number> {
	const [r] = await rows<{ n: number }>(db, query);
	return Number(r!.n);
}

/** Every stored rating of the campaign as `key/department: r1..r6`, sorted. */
async function ratingsOf(db: Database, campaign: string): Promise<string[]> {
	const found = await rows<{ line: string }>(
		db,
		sql`select r.response_key || '/' || d.code || ': ' ||
				concat_ws(' ', coalesce(sr.r1::text, '-'), coalesce(sr.r2::text, '-'),
					coalesce(sr.r3::text, '-'), coalesce(sr.r4::text, '-'), coalesce(sr.r5::text, '-'),
					coalesce(sr.r6::text, '-')) as line
			from survey_rating sr
			join survey_response r on r.id = sr.response_id
			join campaign c on c.id = sr.campaign_id
			join department d on d.id = sr.department_id
			where c.code = ${campaign}`
	);
	return found.map((r) => r.line).sort();
}

/** Deterministic shuffle, so a failure can be reproduced. */
function shuffled<T>(items: T[], seed = 7): T[] {
	const out = [...items];
	let s = seed;
	for (let i = out.length - 1; i > 0; i--) {
		s = (s * 1103515245 + 12345) % 2147483648;
		const j = s % (i + 1);
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

describeEachDatabase('responses import', (t) => {
	let a: string;
	let b: string;

	beforeAll(async () => {
		a = (await makeDepartment(t.db)).code;
		b = (await makeDepartment(t.db)).code;
	});

	async function campaign(): Promise<string> {
		const input = createCampaignSchema.parse({
			code: unique('c'),
			year: 2025,
			kind: 'public_evaluation'
		});
		return (await t.db.transaction((tx) => surveys.createCampaign(tx, input, testActor))).code;
	}

	const run = (bytes: Uint8Array | string, options: Partial<surveys.ResponseImportOptions> = {}) =>
		surveys.importResponses(
			t.db,
			typeof bytes === 'string' ? utf8(bytes) : bytes,
			{ locale: 'en', ...options },
			testActor
		);

	it('imports responses about several departments, text answers included, then changes nothing the second time', async () => {
		const c = await campaign();
		const k1 = unique('k');
		const k2 = unique('k');
		const file = [
			HEADER,
			`${k1},${c},field,2025-04-01 09:00,${a},transparency,5`,
			`${k1},${c},field,2025-04-01 09:00,${a},service,0`,
			`${k1},${c},field,2025-04-01 09:00,${b},efficiency,2`,
			`${k1},${c},field,2025-04-01 09:00,${b},difficulty,"排队两小时,""窗口""只开一个`,
			`第二行"`,
			'',
			`${k2},${c},paper,2025-04-02 10:30:15,${b},quality,4`
		].join('\r\n');
		const first = await run(file);
		expect(first).toMatchObject({ ok: true, rows: 5, responses: 2, created: 2, existing: 0 });
		expect(await ratingsOf(t.db, c)).toEqual(
			[`${k1}/${a}: 5 0 - - - -`, `${k1}/${b}: - - - - - 2`, `${k2}/${b}: - - - - 4 -`].sort()
		);
		const [text] = await rows<{ body: string; code: string }>(
			t.db,
			sql`select t.body, d.code from survey_text_answer t
				join survey_response r on r.id = t.response_id
				join department d on d.id = t.department_id
				where r.response_key = ${k1}`
		);
		expect(text).toEqual({ body: '排队两小时,"窗口"只开一个\n第二行', code: b });
		const [stored] = await rows<{ channel: string; at: string }>(
			t.db,
			sql`select channel::text as channel,
					to_char(submitted_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') as at
				from survey_response where response_key = ${k2}`
		);
		expect(stored).toEqual({ channel: 'paper', at: '2025-04-02 10:30:15' });
		const audits = () =>
			count(t.db, sql`select count(*) as n from audit_entry where action = 'responses.import'`);
		const auditsAfterFirst = await audits();

		const second = await run(file);
		expect(second).toMatchObject({ ok: true, rows: 5, responses: 2, created: 0, existing: 2 });
		expect(second.sha256).toBe(first.sha256);
		expect(await ratingsOf(t.db, c)).toHaveLength(3);
		expect(
			await count(
				t.db,
				sql`select count(*) as n from survey_response r join campaign c on c.id = r.campaign_id
					where c.code = ${c}`
			)
		).toBe(2);
		expect(await audits()).toBe(auditsAfterFirst);
	});

	it('reports every bad row by line and column and writes nothing', async () => {
		const c = await campaign();
		const k = unique('k');
		const file = [
			HEADER,
			`${k},${c},field,2025-04-01 09:00,${a},transparency,5`,
			`${k},no-such,field,2025-04-01 09:00,${a},service,3`,
			`${k},${c},fax,2025-04-01 09:00,${a},service,3`,
			`${k},${c},field,2025-13-01 09:00,${a},service,3`,
			`${k},${c},field,2025-04-01 09:00,nobody,service,3`,
			`${k},${c},field,2025-04-01 09:00,${a},colour,3`,
			`${k},${c},field,2025-04-01 09:00,${a},integrity,6`,
			`${k},${c},field,2025-04-01 09:00,${a},difficulty,`,
			`,${c},field,2025-04-01 09:00,${a},quality`,
			`${k},${c},field,2025-04-01 09:00,${a},quality,3,extra`,
			`${k},${c},field,2025-04-01 09:00,${a},"quality"x,3`
		].join('\n');
		const result = await run(file);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.rows).toBe(11);
		expect(result.moreErrors).toBe(0);
		expect(result.errors.map((e) => `${e.line} ${e.column}`)).toEqual([
			'3 campaign_code',
			'4 channel',
			'5 submitted_at',
			'6 department_code',
			'7 question_code',
			'8 answer',
			'9 answer',
			'10 response_key',
			'10 answer',
			'11 #8',
			'12 '
		]);
		expect(result.errors[0]!.message).toBe('There is no campaign with the code no-such.');
		expect(result.errors[1]!.message).toContain('fax');
		expect(result.errors[10]!.message).toBe('Unexpected characters after a closing quote.');
		expect(
			await count(t.db, sql`select count(*) as n from survey_response where response_key = ${k}`)
		).toBe(0);
	});

	it('reports in Chinese by default', async () => {
		const result = await run(`${HEADER}\nk,nope,field,2025-04-01 09:00,${a},service,3\n`, {
			locale: 'zh-CN'
		});
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors[0]!.message).toBe('没有编码为 nope 的测评活动。');
	});

	it('finds the rows of one response wherever they are, and checks them together', async () => {
		const c = await campaign();
		const k1 = unique('k');
		const k2 = unique('k');
		const adjacent = [
			`${k1},${c},phone,2025-04-01 09:00,${a},transparency,5`,
			`${k1},${c},phone,2025-04-01 09:00,${a},service,4`,
			`${k1},${c},phone,2025-04-01 09:00,${b},service,1`,
			`${k2},${c},phone,2025-04-03 09:00,${a},service,3`,
			`${k2},${c},phone,2025-04-03 09:00,${a},integrity,2`
		];
		// k1's rows about `a` are split by k2's: the same responses as when adjacent.
		const scattered = [adjacent[0], adjacent[3], adjacent[2], adjacent[4], adjacent[1]];
		const result = await run([HEADER, ...scattered].join('\n'));
		expect(result).toMatchObject({ ok: true, responses: 2, created: 2 });
		expect(await ratingsOf(t.db, c)).toEqual(
			[`${k1}/${a}: 5 4 - - - -`, `${k1}/${b}: - 1 - - - -`, `${k2}/${a}: - 3 2 - - -`].sort()
		);

		// Apart, a row that disagrees with its response, and answers given twice.
		const k3 = unique('k');
		const bad = [
			HEADER,
			`${k3},${c},field,2025-04-01 09:00,${a},transparency,5`,
			`${k2}x,${c},field,2025-04-01 09:00,${a},service,4`,
			`${k3},${c},paper,2025-04-01 09:30,${a},service,4`,
			`${k3},${c},field,2025-04-01 09:00,${b},service,4`,
			`${k3},${c},field,2025-04-01 09:00,${b},service,2`,
			`${k3},${c},field,2025-04-01 09:00,${a},difficulty,慢`,
			`${k2}x,${c},field,2025-04-01 09:00,${b},quality,4`,
			`${k3},${c},field,2025-04-01 09:00,${a},transparency,3`,
			`${k3},${c},field,2025-04-01 09:00,${a},difficulty,还是慢`
		].join('\n');
		const refused = await run(bad);
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(refused.errors.map((e) => `${e.line} ${e.column}`)).toEqual([
			'4 channel',
			'4 submitted_at',
			'6 question_code',
			'9 question_code',
			'10 question_code'
		]);
		expect(refused.errors[0]!.message).toBe(
			`Differs from line 2 of the same response (${k3}); every row of a response has the same campaign, channel and submission time.`
		);
		expect(refused.errors[2]!.message).toBe(
			`The question service about the department ${b} is already answered at line 5.`
		);
		expect(refused.errors[3]!.message).toBe(
			`The question transparency about the department ${a} is already answered at line 2.`
		);
		expect(refused.errors[4]!.message).toBe(
			`The question difficulty about the department ${a} is already answered at line 7.`
		);
		expect(
			await count(
				t.db,
				sql`select count(*) as n from survey_response where response_key in (${k3}, ${k2 + 'x'})`
			)
		).toBe(0);
	});

	it('reads GBK (as Excel on a Chinese Windows saves) and UTF-8 with a BOM', async () => {
		const c = await campaign();
		const k = unique('k');
		const text = '窗口工作人员态度冷淡';
		const file = [
			HEADER,
			`${k},${c},field,2025-04-01 09:00,${a},attitude,2`,
			`${k},${c},field,2025-04-01 09:00,${a},difficulty,${text}`
		].join('\r\n');
		const gbk = await run(new Uint8Array(iconv.encode(file, 'gbk')));
		expect(gbk).toMatchObject({ ok: true, created: 1, encoding: 'gb18030' });
		const [stored] = await rows<{ body: string }>(
			t.db,
			sql`select t.body from survey_text_answer t join survey_response r on r.id = t.response_id
				where r.response_key = ${k}`
		);
		expect(stored!.body).toBe(text);

		const k2 = unique('k');
		const bom = await run(
			new Uint8Array([
				0xef,
				0xbb,
				0xbf,
				...utf8(`${HEADER}\n${k2},${c},field,2025-04-01 09:00,${a},difficulty,${text}\n`)
			])
		);
		expect(bom).toMatchObject({ ok: true, created: 1, encoding: 'utf-8' });

		// A GBK character split between two chunks of the stream is still read whole.
		const k3 = unique('k');
		const bytes = new Uint8Array(
			iconv.encode(`${HEADER}\n${k3},${c},field,2025-04-01 09:00,${a},difficulty,${text}\n`, 'gbk')
		);
		const split = bytes.indexOf(0xb4) + 1; // inside 窗 (B4 B0)
		const stream = (async function* () {
			yield bytes.subarray(0, split);
			yield bytes.subarray(split);
		})();
		const chunked = await surveys.importResponses(t.db, stream, { locale: 'en' }, testActor);
		expect(chunked).toMatchObject({ ok: true, created: 1, encoding: 'gb18030' });
	});

	it('checks the header', async () => {
		const result = await run(
			'response_key,campaign,channel,submitted_at,department_code,question_code,answer\n'
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => `${e.line} ${e.column}`)).toEqual([
			'1 campaign_code',
			'1 campaign'
		]);
		const empty = await run('');
		expect(empty.ok).toBe(false);
		if (!empty.ok) expect(empty.errors[0]!.message).toBe('The file is empty or has no header row.');
	});

	it('lists the first errors and counts the rest', async () => {
		const c = await campaign();
		const lines = [HEADER];
		for (let i = 0; i < 30; i++) lines.push(`k${i},${c},field,2025-04-01 09:00,nobody,service,3`);
		const result = await run(lines.join('\n'), { errorLimit: 10 });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toHaveLength(10);
		expect(result.moreErrors).toBe(20);
		expect(result.errors.at(-1)!.line).toBe(11);
	});

	it('imports a file of 50,000 answers in batches, scattered, exactly', async () => {
		const c = await campaign();
		const prefix = unique('bulk');
		const responses = 50_000 / 6;
		const answers: string[] = [];
		const expected = new Map<string, number[]>();
		for (let i = 0; i < Math.ceil(responses); i++) {
			const department = i % 3 === 0 ? b : a;
			const levels = RATINGS.map((_, j) => (i * 7 + j * 3) % 6);
			expected.set(`${prefix}-${i}/${department}`, levels);
			RATINGS.forEach((q, j) =>
				answers.push(
					`${prefix}-${i},${c},online,2025-06-${String(1 + (i % 28)).padStart(2, '0')} 12:00,${department},${q},${levels[j]}`
				)
			);
		}
		let progress = 0;
		const result = await run([HEADER, ...shuffled(answers)].join('\n'), {
			progressEvery: 10_000,
			onProgress: (n) => (progress = n)
		});
		expect(result).toMatchObject({
			ok: true,
			rows: answers.length,
			responses: expected.size,
			created: expected.size
		});
		expect(progress).toBe(50_000);
		const stored = await ratingsOf(t.db, c);
		expect(stored).toEqual([...expected].map(([k, levels]) => `${k}: ${levels.join(' ')}`).sort());
		// The sums the year computation will take, straight from the typed columns.
		const [sums] = await rows<{ r1: number; r6: number; zeros: number }>(
			t.db,
			sql`select sum(r1)::int as r1, sum(r6)::int as r6,
					count(*) filter (where r3 = 0)::int as zeros
				from survey_rating sr join campaign c on c.id = sr.campaign_id where c.code = ${c}`
		);
		const all = [...expected.values()];
		expect(sums).toEqual({
			r1: all.reduce((s, l) => s + l[0]!, 0),
			r6: all.reduce((s, l) => s + l[5]!, 0),
			zeros: all.filter((l) => l[2] === 0).length
		});
	}, 120_000);

	it('refuses bytes that are not UTF-8 in a UTF-8 file, with their line and column, storing nothing', async () => {
		const c = await campaign();
		const k = unique('k');
		const good = (i: number, text = '排队太久') =>
			utf8(`${k}-${i},${c},field,2025-04-01 09:00,${a},difficulty,${text}\n`);
		const bad = new Uint8Array([
			...utf8(`${k}-9,${c},field,2025-04-01 09:00,${a},difficulty,排`),
			0xff,
			0xfe,
			...utf8('队\n')
		]);
		const join = (...parts: Uint8Array[]) => {
			const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
			let at = 0;
			for (const p of parts) {
				out.set(p, at);
				at += p.length;
			}
			return out;
		};
		const header = utf8(`${HEADER}\n`);
		const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
		// Declared by a BOM; told from the first non-ASCII bytes; a bad byte far into the file
		// (its own chunk, long after UTF-8 was decided).
		const many = Array.from({ length: 3000 }, (_, i) => good(i));
		const files: [Uint8Array, number][] = [
			[join(bom, header, good(1), bad), 3],
			[join(header, good(1), good(2), bad, good(3)), 4],
			[join(header, ...many, bad), 3002]
		];
		for (const [file, line] of files) {
			const result = await run(file);
			expect(result.ok).toBe(false);
			if (result.ok) continue;
			expect(result.errors.map((e) => [e.line, e.column, e.code, e.message])).toEqual([
				[
					line,
					'answer',
					'invalid_utf8',
					'These bytes are not valid UTF-8 (the file is read as UTF-8); in Excel use Save As → CSV UTF-8.'
				]
			]);
		}
		// Nothing of these files was stored, and no U+FFFD anywhere.
		expect(
			await count(
				t.db,
				sql`select count(*) as n from survey_response where response_key like ${k + '%'}`
			)
		).toBe(0);
		expect(
			await count(
				t.db,
				sql`select count(*) as n from survey_text_answer where strpos(body, U&'\FFFD') > 0`
			)
		).toBe(0);
	});

	it('refuses NUL bytes with their line and column, storing nothing', async () => {
		const c = await campaign();
		const k = unique('k');
		const file = [
			HEADER,
			`${k},${c},field,2025-04-01 09:00,${a},service,4`,
			`${k},${c},field,2025-04-01 09:00,${a},difficulty,慢\u0000慢`,
			`${k}\u0000x,${c},field,2025-04-01 09:00,${a},quality,4`
		].join('\n');
		const result = await run(file);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => [e.line, e.column, e.code, e.message])).toEqual([
			[3, 'answer', 'response_nul', 'The text must not contain a NUL character.'],
			[4, 'response_key', 'response_nul', 'The text must not contain a NUL character.']
		]);
		expect(
			await count(
				t.db,
				sql`select count(*) as n from survey_response where response_key like ${k + '%'}`
			)
		).toBe(0);
	});
});
