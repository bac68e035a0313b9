// One definition of a valid response: the same responses sent through `POST /api/v1/responses`
// (the TypeScript checks of `submitResponse`) and written as a responses file (the import's SQL
// checks) are refused with the same problem codes and the same messages, or stored by both.
// Also the rules of issue 7: keys without control characters or lone surrogates, submission
// times inside the campaign's dates and year, no response for a year whose results are
// published, and a stored key never taking another response. Questionnaires built in the UI:
// long texts alike; choice answers are the API's alone, the file refusing them with one code.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { createQuestionnaireSchema, versionSchema } from '$lib/schemas/questionnaires';
import { describeDetail, isDomainError, type DomainError } from '$lib/errors';
import { RESPONSE_COLUMNS, TRIMMED_CODE_POINTS } from '$lib/schemas/responses';
import { rows } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor, unique } from '../factories';
import { makeSnapshot, snapshotContent } from '../factories/snapshots';
import { describeEachDatabase } from '../helpers/db';

const en = { locale: 'en' } as const;
const RESPONSE_LEVEL = new Set(['response_key', 'campaign_code', 'channel', 'submitted_at']);

type Answer = { department_code: string; question_code: string; answer: unknown };
type Body = {
	response_key: string;
	campaign_code: string;
	channel: string;
	submitted_at: string;
	answers: Answer[];
};

/** A problem as both paths can say it: the answer it is about (or the response), column, code, text. */
type Said = { answer: number | null; column: string; code: string; message: string };

const cell = (v: unknown) => {
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	return `"${s.replace(/"/g, '""')}"`;
};

/** The body as a responses file: one row per answer, the response's fields on every row. */
function fileOf(b: Body): Uint8Array {
	const lines = [RESPONSE_COLUMNS.join(',')];
	for (const a of b.answers)
		lines.push(
			[
				b.response_key,
				b.campaign_code,
				b.channel,
				b.submitted_at,
				a.department_code,
				a.question_code,
				a.answer
			]
				.map(cell)
				.join(',')
		);
	return new TextEncoder().encode(lines.join('\n') + '\n');
}

const sorted = (said: Said[]) =>
	[...new Set(said.map((s) => JSON.stringify(s)))].sort().map((s) => JSON.parse(s) as Said);

describeEachDatabase('response rules: the API and the import agree', (t) => {
	let a: string;
	let b: string;
	let campaign: string;
	let dated: string;
	let published: string;
	let narrow: string;

	beforeAll(async () => {
		a = (await makeDepartment(t.db)).code;
		b = (await makeDepartment(t.db)).code;
		const make = async (year: number) => {
			const input = createCampaignSchema.parse({ code: unique('c'), year, kind: 'online' });
			return (await t.db.transaction((tx) => surveys.createCampaign(tx, input, testActor))).code;
		};
		campaign = await make(2025);
		dated = await make(2025);
		await t.db.execute(
			sql`update campaign set opens_on = '2025-03-01', closes_on = '2025-06-30' where code = ${dated}`
		);
		narrow = await make(2025);
		await t.db.execute(sql`update campaign set channels = '{field,paper}' where code = ${narrow}`);
		published = await make(2019);
		await makeSnapshot(t.db, snapshotContent(2019, []), { revision: 1 });
	});

	const body = (over: Partial<Body> = {}): Body => ({
		response_key: unique('k'),
		campaign_code: campaign,
		channel: 'phone',
		submitted_at: '2025-05-06 09:30',
		answers: [
			{ department_code: a, question_code: 'service', answer: 4 },
			{ department_code: a, question_code: 'difficulty', answer: '排队太久' }
		],
		...over,
		...(over.answers ? { answers: over.answers.map(real) } : {})
	});
	/** Cases name the departments A and B: made in `beforeAll`, after the cases are listed. */
	const real = (x: Answer): Answer => ({
		...x,
		department_code:
			x.department_code === 'A' ? a : x.department_code === 'B' ? b : x.department_code
	});

	/** What the API says about a body: its problems, or that it stored it. */
	async function viaApi(x: Body): Promise<Said[] | 'stored'> {
		try {
			await surveys.submitResponse(t.db, x);
			return 'stored';
		} catch (e) {
			if (!isDomainError(e)) throw e;
			const details = e.details.map((d) => describeDetail(d, 'en'));
			return sorted(
				details.map((d) => {
					const [, i, field] = /^answers\.(\d+)(?:\.(\w+))?$/.exec(d.path ?? '') ?? [];
					// A repeated answer is about the answer as a whole: the file names its question.
					if (i !== undefined)
						return {
							answer: Number(i),
							column: field ?? 'question_code',
							code: d.code,
							message: d.message
						};
					return { answer: null, column: d.path!, code: d.code, message: d.message };
				})
			);
		}
	}

	/** What the import says about the same body as a file (line 2 is answer 0). */
	async function viaFile(x: Body): Promise<Said[] | 'stored'> {
		const result = await surveys.importResponses(t.db, fileOf(x), en, testActor);
		if (result.ok) return 'stored';
		return sorted(
			result.errors.map((e) => ({
				answer: RESPONSE_LEVEL.has(e.column) ? null : e.line - 2,
				column: e.column,
				code: e.code,
				message: e.message
			}))
		);
	}

	const emoji = '😀'.repeat(150);
	const cases: [string, Partial<Body>, string[]][] = [
		['a valid response', {}, []],
		['a key of 150 characters outside the BMP (300 UTF-16 units)', { response_key: emoji }, []],
		['a key with a control character', { response_key: 'k\u0001x' }, ['response_key_characters']],
		['a key with DEL', { response_key: `k\u007f${unique('x')}` }, ['response_key_characters']],
		['a key of C1 control', { response_key: `k\u0085${unique('x')}` }, ['response_key_characters']],
		['a key too long', { response_key: 'k'.repeat(201) }, ['too_long']],
		['no such campaign', { campaign_code: 'no-such' }, ['response_campaign_unknown']],
		['a campaign code too long', { campaign_code: 'c'.repeat(65) }, ['too_long']],
		['an unknown channel', { channel: 'fax' }, ['response_channel']],
		[
			'a channel the campaign does not take',
			{ campaign_code: 'NARROW', channel: 'phone' },
			['response_channel_not_allowed']
		],
		['a channel the campaign takes', { campaign_code: 'NARROW', channel: 'paper' }, []],
		['no real time', { submitted_at: '2025-02-30 10:00' }, ['response_submitted_at']],
		['a time outside the year', { submitted_at: '2026-01-01 00:00:00' }, ['response_outside_year']],
		[
			'the first second of the next year, Beijing time, written in UTC',
			{ submitted_at: '2025-12-31T16:00:00Z' },
			['response_outside_year']
		],
		[
			'the last second of the year, Beijing time, written in UTC',
			{ submitted_at: '2025-12-31T15:59:59Z' },
			[]
		],
		[
			'a time before the campaign opens',
			{ campaign_code: 'DATED', submitted_at: '2025-02-28 23:59:59' },
			['response_outside_campaign']
		],
		[
			'a time after the campaign closes',
			{ campaign_code: 'DATED', submitted_at: '2025-07-01T00:00:00+08:00' },
			['response_outside_campaign']
		],
		['the campaign closing day', { campaign_code: 'DATED', submitted_at: '2025-06-30 23:59' }, []],
		[
			'a year whose results are published',
			{ campaign_code: 'PUBLISHED', submitted_at: '2019-05-06 09:30' },
			['response_year_published']
		],
		[
			'answers with problems of their own',
			{
				answers: [
					{ department_code: 'nobody', question_code: 'service', answer: 4 },
					{ department_code: 'A', question_code: 'q1', answer: 4 },
					{ department_code: 'A', question_code: 'quality', answer: 6 },
					{ department_code: 'A', question_code: 'integrity', answer: 'x' },
					{ department_code: 'A', question_code: 'attitude', answer: '' },
					{ department_code: 'A', question_code: 'difficulty', answer: '' },
					{ department_code: 'B', question_code: 'difficulty', answer: '长'.repeat(4001) },
					{ department_code: 'd'.repeat(65), question_code: 'efficiency', answer: 1 },
					{ department_code: 'A', question_code: 'transparency', answer: 3 },
					{ department_code: 'A', question_code: 'transparency', answer: 3 },
					{ department_code: 'B', question_code: 'efficiency', answer: 'a\u0000b' }
				]
			},
			[
				'department_unknown',
				'response_question_unknown',
				'response_rating',
				'response_rating',
				'response_rating',
				'response_text',
				'response_text',
				'too_long',
				'response_answer_repeated',
				'response_nul'
			]
		],
		[
			'a lone rating that is no level',
			{ answers: [{ department_code: 'A', question_code: 'service', answer: '9' }] },
			['response_rating']
		],
		[
			'a lone answer to no question',
			{ answers: [{ department_code: 'A', question_code: 'nope', answer: '3' }] },
			['response_question_unknown']
		],
		[
			'a repeated answer in a response with a bad channel (not counted, as in the file)',
			{
				channel: 'fax',
				answers: [
					{ department_code: 'A', question_code: 'service', answer: 3 },
					{ department_code: 'A', question_code: 'service', answer: 3 }
				]
			},
			['response_channel']
		]
	];

	it.each(cases)('%s', async (_, over, codes) => {
		const x = body({
			...over,
			campaign_code:
				over.campaign_code === 'DATED'
					? dated
					: over.campaign_code === 'NARROW'
						? narrow
						: over.campaign_code === 'PUBLISHED'
							? published
							: (over.campaign_code ?? campaign)
		});
		const file = await viaFile({ ...x, response_key: `${x.response_key}` });
		// The API second, under another key when the file stored it.
		const api = await viaApi(
			file === 'stored' ? { ...x, response_key: `${x.response_key}-api` } : x
		);
		if (codes.length === 0) {
			expect(file).toBe('stored');
			expect(api).toBe('stored');
			return;
		}
		expect(api).not.toBe('stored');
		expect(file).not.toBe('stored');
		const apiSaid = api as Said[];
		const fileSaid = file as Said[];
		expect(apiSaid.map((s) => s.code).sort()).toEqual([...codes].sort());
		// Where the message names the earlier answer, the API names its path, the file its line.
		const same = (s: Said[]) => s.filter((p) => p.code !== 'response_answer_repeated');
		expect(same(fileSaid)).toEqual(same(apiSaid));
		const repeated = (s: Said[]) => s.filter((p) => p.code === 'response_answer_repeated');
		expect(repeated(fileSaid).map((p) => [p.answer, p.column])).toEqual(
			repeated(apiSaid).map((p) => [p.answer, p.column])
		);
		for (const p of repeated(apiSaid)) expect(p.message).toContain('at answers.8');
		for (const p of repeated(fileSaid)) expect(p.message).toContain('at line 10');
	});

	describe('a questionnaire built in the UI', () => {
		let built: string;
		beforeAll(async () => {
			const code = unique('q');
			await surveys.createQuestionnaire(
				t.db,
				createQuestionnaireSchema.parse({ code, titleZh: '问卷', titleEn: 'Q' }),
				testActor
			);
			const question = (i: number, code: string, kind: string) => ({
				[`q.${i}.code`]: code,
				[`q.${i}.kind`]: kind,
				[`q.${i}.textZh`]: code,
				[`q.${i}.textEn`]: code
			});
			await surveys.saveQuestionnaireVersion(
				t.db,
				code,
				1,
				versionSchema.parse({
					titleZh: '问卷',
					titleEn: 'Q',
					...question(0, 'speed', 'rating'),
					...question(1, 'story', 'long_text'),
					...question(2, 'via', 'single'),
					'q.2.o.0.code': 'online',
					'q.2.o.0.textZh': '网上',
					'q.2.o.0.textEn': 'Online',
					'q.2.o.1.code': 'window',
					'q.2.o.1.textZh': '窗口',
					'q.2.o.1.textEn': 'Counter'
				}),
				testActor
			);
			const input = createCampaignSchema.parse({
				code: unique('c'),
				year: 2025,
				kind: 'online',
				questionnaire: code
			});
			built = (await surveys.createCampaign(t.db, input, testActor)).code;
		});

		it.each<[string, Answer[], string[]]>([
			[
				'a rating and a long text',
				[
					{ department_code: 'A', question_code: 'speed', answer: 2 },
					{ department_code: 'A', question_code: 'story', answer: '长'.repeat(4000) }
				],
				[]
			],
			[
				'a long text too long',
				[{ department_code: 'A', question_code: 'story', answer: '长'.repeat(4001) }],
				['response_text']
			]
		])('%s: both paths agree', async (_, answers, codes) => {
			const x = body({ campaign_code: built, answers });
			const file = await viaFile(x);
			const api = await viaApi({ ...x, response_key: `${x.response_key}-api` });
			if (codes.length === 0) {
				expect([file, api]).toEqual(['stored', 'stored']);
				return;
			}
			expect(api).toEqual(file);
			expect((api as Said[]).map((p) => p.code)).toEqual(codes);
		});

		// The one difference, on purpose: a file's answer cell holds one value, so a choice
		// answer is the API's alone; the file refuses it with one code (docs/questionnaires.md).
		it('a choice answer: the API stores it, the file refuses it with response_choice_import', async () => {
			const x = body({
				campaign_code: built,
				answers: [{ department_code: 'A', question_code: 'via', answer: 'online' }]
			});
			expect(await viaFile(x)).toEqual([
				{
					answer: 0,
					column: 'answer',
					code: 'response_choice_import',
					message:
						'A responses file cannot carry answers to the choice question “via”; send them through the API.'
				}
			]);
			expect(await viaApi(x)).toBe('stored');
		});
	});

	it('names the valid question codes when a question is unknown', async () => {
		const said = await viaFile(
			body({ answers: [{ department_code: 'A', question_code: 'q1', answer: 4 }] })
		);
		expect(said).toEqual([
			{
				answer: 0,
				column: 'question_code',
				code: 'response_question_unknown',
				message:
					'The questionnaire standard-appraisal@1 has no question with the code q1 (its questions: transparency, service, integrity, attitude, quality, efficiency, difficulty).'
			}
		]);
	});

	it('keeps keys apart that differ only in a lone surrogate or U+FFFD, refusing the surrogates', async () => {
		const suffix = unique('x');
		const refused = [];
		for (const key of [`\ud800${suffix}`, `\udc00${suffix}`, `x\udbff`]) {
			const e = await surveys
				.submitResponse(t.db, body({ response_key: key }))
				.catch((x: unknown) => x);
			expect(isDomainError(e, 'response_invalid')).toBe(true);
			refused.push(...(e as DomainError).details.map((d) => describeDetail(d, 'en')));
		}
		expect(refused.map((d) => [d.path, d.code])).toEqual([
			['response_key', 'response_key_characters'],
			['response_key', 'response_key_characters'],
			['response_key', 'response_key_characters']
		]);
		expect(refused[0]!.message).toBe(
			'A response_key must not contain control characters or unpaired surrogates.'
		);
		// U+FFFD is a character like any other: stored under exactly that key.
		const replacement = `\ufffd${suffix}`;
		const stored = await surveys.submitResponse(t.db, body({ response_key: replacement }));
		expect(stored.created).toBe(true);
		const keys = await rows<{ response_key: string }>(
			t.db,
			sql`select response_key from survey_response where response_key like ${'%' + suffix}`
		);
		expect(keys.map((k) => k.response_key)).toEqual([replacement]);
		// A paired surrogate (an emoji) is fine.
		expect(
			(await surveys.submitResponse(t.db, body({ response_key: `😀${suffix}` }))).created
		).toBe(true);
	});

	it('trims what JavaScript trims, in SQL too', async () => {
		// The declared list is exactly what String.prototype.trim removes.
		const trimmedByJs = [];
		for (let c = 0; c <= 0xffff; c++)
			if (String.fromCharCode(c).trim() === '' && !(c >= 0xd800 && c <= 0xdfff))
				trimmedByJs.push(c);
		expect(trimmedByJs).toEqual(TRIMMED_CODE_POINTS);
		// A key with every such character around it is the same key in the API and the file.
		const pad = String.fromCodePoint(
			...TRIMMED_CODE_POINTS.filter((c) => c !== 0x0a && c !== 0x0d)
		);
		const key = unique('trim');
		const x = body({ response_key: `${pad}${key}${pad}` });
		expect(await viaFile(x)).toBe('stored');
		const again = await surveys.submitResponse(t.db, x);
		expect(again.created).toBe(false);
		expect(again.response.response_key).toBe(key);
	});

	it('gives a stored key only its own response back, whichever path stored it', async () => {
		const x = body();
		const other = body({
			response_key: x.response_key,
			answers: [{ department_code: 'A', question_code: 'service', answer: 3 }]
		});
		expect(await viaFile(x)).toBe('stored');
		// The same response again, through both: nothing new.
		const replay = await surveys.importResponses(t.db, fileOf(x), en, testActor);
		expect(replay).toMatchObject({ ok: true, created: 0, existing: 1 });
		expect((await surveys.submitResponse(t.db, x)).created).toBe(false);
		// Another under the same key: the same refusal from both.
		const conflict: Said = {
			answer: null,
			column: 'response_key',
			code: 'response_key_conflict',
			message: `A different response with the response_key ${x.response_key} is already stored; a stored response cannot be changed (send a new response under a new key).`
		};
		expect(await viaApi(other)).toEqual([conflict]);
		expect(await viaFile(other)).toEqual([conflict]);

		// Stored by the API first, the file is compared the same way: the same body is existing,
		// any difference (a text, a level, another department, the time) a conflict.
		const y = body({
			answers: [
				{ department_code: 'A', question_code: 'service', answer: 4 },
				{ department_code: 'B', question_code: 'quality', answer: 0 },
				{ department_code: 'B', question_code: 'difficulty', answer: '排队太久' }
			]
		});
		expect(await viaApi(y)).toBe('stored');
		const yAgain = await surveys.importResponses(t.db, fileOf(y), en, testActor);
		expect(yAgain).toMatchObject({ ok: true, created: 0, existing: 1 });
		const changes: Partial<Body>[] = [
			{ submitted_at: '2025-05-06 09:31' },
			{ channel: 'paper' },
			{ answers: y.answers.slice(0, 2) },
			{ answers: [...y.answers, { department_code: 'A', question_code: 'quality', answer: 2 }] },
			{ answers: [y.answers[0]!, { ...y.answers[1]!, answer: 1 }, y.answers[2]!] },
			{ answers: [y.answers[0]!, y.answers[1]!, { ...y.answers[2]!, answer: '排队' }] },
			{ answers: [{ ...y.answers[0]!, department_code: b }, y.answers[1]!, y.answers[2]!] }
		];
		for (const change of changes) {
			const said = await viaFile({
				...y,
				...change,
				answers: (change.answers ?? y.answers).map(real)
			});
			expect(said, JSON.stringify(change)).toEqual([
				{ ...conflict, message: conflict.message.replace(x.response_key, y.response_key) }
			]);
		}
		const [n] = await rows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from survey_response
				where response_key in (${x.response_key}, ${y.response_key})`
		);
		expect(n!.n).toBe(2);
	});
});
