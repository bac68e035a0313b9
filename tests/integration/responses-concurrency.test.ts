// Idempotency under load, on PostgreSQL (PGlite runs one statement at a time, so it cannot race):
// 200 concurrent submissions of one response_key through a connection pool store exactly one
// response; two imports of one file at once store each response once.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { openDatabase, rows, type DatabaseHandle } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor, unique } from '../factories';
import { createPostgresDatabase } from '../helpers/db';

describe.skipIf(!process.env.TEST_DATABASE_URL)('responses under concurrency [postgres]', () => {
	let handle: DatabaseHandle;
	let drop: () => Promise<void>;
	let department: string;
	let campaign: string;

	beforeAll(async () => {
		const created = await createPostgresDatabase();
		drop = created.drop;
		handle = await openDatabase({ url: created.url, max: 20 });
		await handle.migrate();
		department = (await makeDepartment(handle.db)).code;
		const input = createCampaignSchema.parse({ code: unique('c'), year: 2025, kind: 'online' });
		campaign = (await handle.db.transaction((tx) => surveys.createCampaign(tx, input, testActor)))
			.code;
	});
	afterAll(async () => {
		await handle?.close();
		await drop?.();
	});

	const count = async (key: string) => {
		const [r] = await rows<{ responses: number; ratings: number; texts: number }>(
			handle.db,
			sql`select
				(select count(*) from survey_response where response_key = ${key})::int as responses,
				(select count(*) from survey_rating sr join survey_response r on r.id = sr.response_id
					where r.response_key = ${key})::int as ratings,
				(select count(*) from survey_text_answer t join survey_response r on r.id = t.response_id
					where r.response_key = ${key})::int as texts`
		);
		return r!;
	};

	it('stores one response for 200 parallel submissions of one key', async () => {
		const key = unique('same');
		const body = {
			response_key: key,
			campaign_code: campaign,
			channel: 'online',
			submitted_at: '2025-07-01T10:00:00+08:00',
			answers: [
				{ department_code: department, question_code: 'service', answer: 4 },
				{ department_code: department, question_code: 'difficulty', answer: '太慢' }
			]
		};
		const results = await Promise.all(
			Array.from({ length: 200 }, () => surveys.submitResponse(handle.db, body))
		);
		expect(results.filter((r) => r.created)).toHaveLength(1);
		expect(results.filter((r) => !r.created)).toHaveLength(199);
		const ids = new Set(results.map((r) => r.response.id));
		expect(ids.size).toBe(1);
		for (const r of results) expect(r.response.answers).toHaveLength(2);
		expect(await count(key)).toEqual({ responses: 1, ratings: 1, texts: 1 });
	});

	it('stores each response once when one file is imported twice at the same time', async () => {
		const prefix = unique('twice');
		const lines = [
			'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer'
		];
		for (let i = 0; i < 2000; i++)
			lines.push(
				`${prefix}-${i},${campaign},phone,2025-07-02 10:00,${department},quality,${i % 6}`
			);
		const bytes = new TextEncoder().encode(lines.join('\n'));
		const [x, y] = await Promise.all([
			surveys.importResponses(handle.db, bytes, { locale: 'en' }, testActor),
			surveys.importResponses(handle.db, bytes, { locale: 'en' }, testActor)
		]);
		expect(x.ok && y.ok).toBe(true);
		if (!x.ok || !y.ok) return;
		expect(x.created + y.created).toBe(2000);
		expect(x.existing + y.existing).toBe(2000);
		const [r] = await rows<{ n: number }>(
			handle.db,
			sql`select count(*)::int as n from survey_rating sr join survey_response r on r.id = sr.response_id
				where r.response_key like ${prefix + '-%'}`
		);
		expect(r!.n).toBe(2000);
	});
});
