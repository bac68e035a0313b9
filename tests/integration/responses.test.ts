// Campaigns and single responses (`surveys.createCampaign`, `surveys.submitResponse`, what
// `POST /api/v1/responses` calls): idempotent by response_key, every problem reported, ratings
// pivoted into their slots, text answers kept, and the stored rows append-only.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { parseSubmittedAt } from '$lib/schemas/responses';
import { DomainError, describeDetail, messageOf } from '$lib/errors';
import { rows, type Database } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor, unique } from '../factories';
import { describeEachDatabase } from '../helpers/db';

/** A refusal's details as the API gives them, in English. */
const detailsOf = (e: unknown) => (e as DomainError).details.map((d) => describeDetail(d, 'en'));

async function makeCampaign(db: Database, overrides: Record<string, unknown> = {}) {
	const input = createCampaignSchema.parse({
		code: unique('c'),
		year: 2025,
		kind: 'enterprise_visit',
		...overrides
	});
	return db.transaction((tx) => surveys.createCampaign(tx, input, testActor));
}

async function count(db: Database, query: ReturnType<typeof sql>): Promise<number> {
	const [r] = await rows<{ n: number }>(db, query);
	return Number(r!.n);
}

describe('parseSubmittedAt', () => {
	it.each([
		['2025-03-02 07:15', '2025-03-01T23:15:00.000Z'],
		['2025-03-02 07:15:30', '2025-03-01T23:15:30.000Z'],
		['2025-03-02T07:15:30+08:00', '2025-03-01T23:15:30.000Z'],
		['2025-03-01T23:15:30Z', '2025-03-01T23:15:30.000Z'],
		['2025-03-01T23:15:30.250Z', '2025-03-01T23:15:30.250Z'],
		['2025-03-02T01:15:30+0200', '2025-03-01T23:15:30.000Z'],
		// A bare date is its midnight, Beijing time (spec/exchange.md, as in every date-time column).
		['2025-03-02', '2025-03-01T16:00:00.000Z']
	])('reads %s', (raw, iso) => {
		expect(parseSubmittedAt(raw)?.toISOString()).toBe(iso);
	});

	it.each(['2025-02-30 10:00', '2025-03-02 24:00', '2025-02-30', 'yesterday', '1800-01-01 10:00'])(
		'refuses %s',
		(raw) => {
			expect(parseSubmittedAt(raw)).toBeNull();
		}
	);
});

describeEachDatabase('responses', (t) => {
	let a: string;
	let b: string;
	let campaign: string;

	beforeAll(async () => {
		a = (await makeDepartment(t.db)).code;
		b = (await makeDepartment(t.db)).code;
		campaign = (await makeCampaign(t.db, { weight: '2.5' })).code;
	});

	const body = (key: string, answers: unknown[], extra: Record<string, unknown> = {}) => ({
		response_key: key,
		campaign_code: campaign,
		channel: 'phone',
		submitted_at: '2025-05-06 09:30',
		answers,
		...extra
	});

	it('creates a campaign on the newest standard questionnaire, audited, and refuses its code twice', async () => {
		const code = unique('visit');
		const created = await makeCampaign(t.db, { code, kind: 'public_evaluation', weight: '1.50' });
		expect(created).toMatchObject({
			code,
			year: 2025,
			kind: 'public_evaluation',
			questionnaireCode: 'standard-appraisal',
			questionnaireVersion: 1
		});
		expect(Number(created.weight)).toBe(1.5);
		expect(
			await count(
				t.db,
				sql`select count(*) as n from audit_entry
					where action = 'campaign.create' and entity_id = ${code}`
			)
		).toBe(1);
		await expect(makeCampaign(t.db, { code })).rejects.toMatchObject({
			code: 'campaign_code_taken'
		});
		await expect(makeCampaign(t.db, { questionnaire: 'no-such' })).rejects.toMatchObject({
			code: 'questionnaire_not_found'
		});
	});

	it('lists campaigns by year with their response counts, a page at a time', async () => {
		const year = 2031;
		const codes: string[] = [];
		for (let i = 0; i < 3; i++) codes.push((await makeCampaign(t.db, { year })).code);
		await surveys.submitResponse(t.db, {
			...body(unique('k'), [{ department_code: a, question_code: 'service', answer: 4 }]),
			campaign_code: codes[0],
			submitted_at: '2031-05-06 09:30'
		});
		const page1 = await surveys.listCampaigns(t.db, { year, page: 1, pageSize: 2 });
		expect(page1.total).toBe(3);
		expect(page1.rows.map((r) => r.code)).toEqual([...codes].sort().slice(0, 2));
		const page2 = await surveys.listCampaigns(t.db, { year, page: 2, pageSize: 2 });
		expect(page2.rows).toHaveLength(1);
		const all = [...page1.rows, ...page2.rows];
		expect(all.find((r) => r.code === codes[0])!.responses).toBe(1);
		expect(all.find((r) => r.code === codes[1])!.responses).toBe(0);
		expect(await surveys.campaignYears(t.db)).toContain(year);
	});

	it('stores a response once: 201 the first time, 200 with the stored one for the same body, 409 for another', async () => {
		const key = unique('key');
		const answers = [
			{ department_code: a, question_code: 'transparency', answer: 5 },
			{ department_code: a, question_code: 'efficiency', answer: 2 },
			{ department_code: b, question_code: 'difficulty', answer: '窗口少' }
		];
		const first = await surveys.submitResponse(t.db, body(key, answers));
		expect(first.created).toBe(true);
		expect(first.response).toMatchObject({
			response_key: key,
			campaign_code: campaign,
			channel: 'phone',
			submitted_at: '2025-05-06 09:30:00',
			answers: [
				{ department_code: a, question_code: 'transparency', answer: 5 },
				{ department_code: a, question_code: 'efficiency', answer: 2 },
				{ department_code: b, question_code: 'difficulty', answer: '窗口少' }
			]
		});
		// The same body: the same answers in another order, a level as text, a text untrimmed,
		// the same instant written with an offset. The stored response, nothing written.
		const again = await surveys.submitResponse(
			t.db,
			body(
				key,
				[
					{ department_code: b, question_code: 'difficulty', answer: ' 窗口少 ' },
					{ department_code: a, question_code: 'efficiency', answer: '2' },
					{ department_code: a, question_code: 'transparency', answer: 5 }
				],
				{ submitted_at: '2025-05-06T01:30:00Z' }
			)
		);
		expect(again.created).toBe(false);
		expect(again.response).toEqual(first.response);

		// Anything else under that key is refused, and nothing is written.
		const other = [
			{ submitted_at: '2025-05-06 09:31' },
			{ channel: 'field' },
			{ answers: answers.slice(0, 2) },
			{ answers: [...answers, { department_code: b, question_code: 'service', answer: 3 }] },
			{ answers: [{ ...answers[0], answer: 4 }, answers[1], answers[2]] },
			{ answers: [answers[0], answers[1], { ...answers[2], answer: '窗口多' }] },
			{ answers: [answers[0], { ...answers[1], department_code: b }, answers[2]] }
		];
		for (const extra of other) {
			const e = await surveys
				.submitResponse(t.db, { ...body(key, answers), ...extra })
				.catch((x: unknown) => x);
			expect(e, JSON.stringify(extra)).toBeInstanceOf(DomainError);
			expect((e as DomainError).code).toBe('response_key_conflict');
			expect(messageOf((e as DomainError).code, (e as DomainError).params, 'en')).toBe(
				`A different response with the response_key ${key} is already stored; a stored response cannot be changed (send a new response under a new key).`
			);
		}
		const otherCampaign = (await makeCampaign(t.db)).code;
		const moved = await surveys
			.submitResponse(t.db, { ...body(key, answers), campaign_code: otherCampaign })
			.catch((x: unknown) => x);
		expect((moved as DomainError).code).toBe('response_key_conflict');
		expect(
			await count(t.db, sql`select count(*) as n from survey_response where response_key = ${key}`)
		).toBe(1);
		expect(
			await count(
				t.db,
				sql`select count(*) as n from survey_rating sr join survey_response r on r.id = sr.response_id
					where r.response_key = ${key}`
			)
		).toBe(1);
		expect((await surveys.getResponse(t.db, key))!.answers).toEqual(first.response.answers);
	});

	it("pivots the answers about several departments into one typed row each, 0 kept for don't know", async () => {
		const key = unique('key');
		const { response } = await surveys.submitResponse(
			t.db,
			body(key, [
				{ department_code: a, question_code: 'transparency', answer: 5 },
				{ department_code: a, question_code: 'service', answer: 0 },
				{ department_code: b, question_code: 'quality', answer: 3 },
				{ department_code: b, question_code: 'efficiency', answer: '4' }
			])
		);
		const stored = await rows<{
			code: string;
			campaign_id: number;
			r1: number | null;
			r2: number | null;
			r5: number | null;
			r6: number | null;
		}>(
			t.db,
			sql`select d.code, sr.campaign_id, sr.r1, sr.r2, sr.r5, sr.r6
				from survey_rating sr join department d on d.id = sr.department_id
				where sr.response_id = ${response.id} order by d.code`
		);
		const byCode = Object.fromEntries(stored.map((r) => [r.code, r]));
		expect(stored).toHaveLength(2);
		expect(byCode[a]).toMatchObject({ r1: 5, r2: 0, r5: null, r6: null });
		expect(byCode[b]).toMatchObject({ r1: null, r2: null, r5: 3, r6: 4 });
		const [c] = await rows<{ id: number }>(
			t.db,
			sql`select id from campaign where code = ${campaign}`
		);
		expect(stored.every((r) => Number(r.campaign_id) === Number(c!.id))).toBe(true);
	});

	it('stores a text answer about a department', async () => {
		const key = unique('key');
		const text = '办事要跑三趟，材料反复提交。';
		const { response } = await surveys.submitResponse(
			t.db,
			body(key, [
				{ department_code: b, question_code: 'difficulty', answer: `  ${text} ` },
				{ department_code: b, question_code: 'attitude', answer: 4 }
			])
		);
		expect(response.answers).toEqual([
			{ department_code: b, question_code: 'attitude', answer: 4 },
			{ department_code: b, question_code: 'difficulty', answer: text }
		]);
		const [stored] = await rows<{ body: string }>(
			t.db,
			sql`select body from survey_text_answer where response_id = ${response.id}`
		);
		expect(stored!.body).toBe(text);
		expect((await surveys.getResponse(t.db, key))!.answers).toEqual(response.answers);
	});

	it('reports every problem with its path, in the language asked for, and writes nothing', async () => {
		const key = unique('key');
		const attempt = surveys.submitResponse(
			t.db,
			body(
				key,
				[
					{ department_code: 'nope', question_code: 'service', answer: 3 },
					{ department_code: a, question_code: 'nope', answer: 3 },
					{ department_code: a, question_code: 'service', answer: 6 },
					{ department_code: a, question_code: 'quality', answer: 2.5 },
					{ department_code: a, question_code: 'difficulty', answer: 7 },
					{ department_code: a, question_code: 'service', answer: 4 }
				],
				{ channel: 'fax', submitted_at: '2025-02-30 10:00', colour: 'red' }
			)
		);
		const error = await attempt.catch((e: unknown) => e);
		expect((error as DomainError).code).toBe('response_invalid');
		const details = detailsOf(error);
		// Every problem at once, as the import reports a file's (the repeated answer is not
		// counted in a response with problems of its own, as the import does not count it).
		expect(details.map((d) => d.path).sort()).toEqual(
			[
				'answers.0.department_code',
				'answers.1.question_code',
				'answers.2.answer',
				'answers.3.answer',
				'answers.4.answer',
				'channel',
				'colour',
				'submitted_at'
			].sort()
		);
		expect(details.find((d) => d.path === 'channel')!.message).toContain('fax');
		expect(details.find((d) => d.path === 'colour')!.message).toBe('Unknown field.');

		// Each answer's problem named by its path.
		const content = await surveys
			.submitResponse(
				t.db,
				body(key, [
					{ department_code: 'nope', question_code: 'service', answer: 3 },
					{ department_code: a, question_code: 'nope', answer: 3 },
					{ department_code: a, question_code: 'service', answer: 6 },
					{ department_code: a, question_code: 'quality', answer: 2.5 },
					{ department_code: a, question_code: 'difficulty', answer: 7 },
					{ department_code: a, question_code: 'transparency', answer: 4 },
					{ department_code: a, question_code: 'transparency', answer: 4 }
				])
			)
			.catch((e: unknown) => e);
		expect((content as DomainError).code).toBe('response_invalid');
		expect(detailsOf(content)).toEqual([
			{
				path: 'answers.0.department_code',
				code: 'department_unknown',
				message: 'No department has the code “nope”'
			},
			{
				path: 'answers.1.question_code',
				code: 'response_question_unknown',
				message:
					'The questionnaire standard-appraisal@1 has no question with the code nope (its questions: transparency, service, integrity, attitude, quality, efficiency, difficulty).'
			},
			{
				path: 'answers.2.answer',
				code: 'response_rating',
				message: "A rating answer must be a whole number from 0 to 5 (0 = don't know), not 6."
			},
			{
				path: 'answers.3.answer',
				code: 'response_rating',
				message: "A rating answer must be a whole number from 0 to 5 (0 = don't know), not 2.5."
			},
			{
				path: 'answers.4.answer',
				code: 'response_text',
				message: 'A text answer must be non-empty text of at most 4000 characters.'
			},
			{
				path: 'answers.6',
				code: 'response_answer_repeated',
				message: `The question transparency about the department ${a} is already answered at answers.5.`
			}
		]);

		const unknown = await surveys
			.submitResponse(t.db, { ...body(key, []), campaign_code: 'no-such-campaign' })
			.catch((e: unknown) => e);
		expect(detailsOf(unknown).map((d) => d.path)).toEqual(['answers']);
		const noCampaign = await surveys
			.submitResponse(t.db, {
				...body(key, [{ department_code: a, question_code: 'service', answer: 3 }]),
				campaign_code: 'no-such-campaign'
			})
			.catch((e: unknown) => e);
		expect(detailsOf(noCampaign)).toEqual([
			{
				path: 'campaign_code',
				code: 'response_campaign_unknown',
				message: 'There is no campaign with the code no-such-campaign.'
			}
		]);
		expect(
			await count(t.db, sql`select count(*) as n from survey_response where response_key = ${key}`)
		).toBe(0);
	});

	it('refuses a body that is not an object, or misses fields', async () => {
		for (const bad of [null, [], 'text', {}]) {
			const e = await surveys.submitResponse(t.db, bad).catch((x: unknown) => x);
			expect((e as DomainError).code).toBe('response_invalid');
			expect((e as DomainError).details.length).toBeGreaterThan(0);
		}
		const e = detailsOf(await surveys.submitResponse(t.db, {}).catch((x: unknown) => x));
		expect(e.map((d) => d.path).sort()).toEqual(
			['answers', 'campaign_code', 'channel', 'response_key', 'submitted_at'].sort()
		);
		expect(new Set(e.map((d) => d.message))).toEqual(new Set(['Required.']));
	});

	it('keeps responses append-only: the database refuses UPDATE and DELETE', async () => {
		const key = unique('key');
		await surveys.submitResponse(
			t.db,
			body(key, [{ department_code: a, question_code: 'service', answer: 2 }])
		);
		await expect(
			t.db.execute(sql`update survey_response set channel = 'paper' where response_key = ${key}`)
		).rejects.toThrow();
		await expect(
			t.db.execute(
				sql`update survey_rating set r2 = 5 where response_id =
					(select id from survey_response where response_key = ${key})`
			)
		).rejects.toThrow();
		await expect(
			t.db.execute(sql`delete from survey_response where response_key = ${key}`)
		).rejects.toThrow();
		const stored = await surveys.getResponse(t.db, key);
		expect(stored!.channel).toBe('phone');
		expect(stored!.answers).toEqual([{ department_code: a, question_code: 'service', answer: 2 }]);
	});
});
