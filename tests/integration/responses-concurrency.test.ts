// Idempotency under concurrent writers, on PostgreSQL (PGlite runs one statement at a time, so
// it cannot race): 200 concurrent submissions of one response_key store exactly one response;
// two imports of overlapping files, and an import racing API posts of its keys, store each
// response exactly once, lose none, and report created/existing counts that add up. Where a
// race is only likely, a transaction holding one of the keys makes it certain: the import's
// first insert then waits for it and fails on the key, so the careful path (the one for keys
// stored meanwhile) is the one that runs.
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '$lib/errors';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { openDatabase, rows, type DatabaseHandle } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor, unique } from '../factories';
import { createPostgresDatabase } from '../helpers/db';

const HEADER =
	'response_key,campaign_code,channel,submitted_at,department_code,question_code,answer';
const en = { locale: 'en' } as const;

describe.skipIf(!process.env.TEST_DATABASE_URL)('responses under concurrency [postgres]', () => {
	let handle: DatabaseHandle;
	let url: string;
	let drop: () => Promise<void>;
	let department: string;
	let campaign: string;

	beforeAll(async () => {
		const created = await createPostgresDatabase();
		drop = created.drop;
		url = created.url;
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

	/** Every response of these keys, with its ratings: one row each, or the count shows it. */
	const stored = async (prefix: string) => {
		const [r] = await rows<{ responses: number; keys: number; ratings: number }>(
			handle.db,
			sql`select count(*)::int as responses, count(distinct response_key)::int as keys,
				(select count(*) from survey_rating sr join survey_response x on x.id = sr.response_id
					where x.response_key like ${prefix + '%'})::int as ratings
			from survey_response where response_key like ${prefix + '%'}`
		);
		return r!;
	};

	/** The level response `i` gives, the same in every file and post of it. */
	const level = (i: number) => i % 6;
	const row = (key: string, i: number) =>
		`${key},${campaign},phone,2025-07-02 10:00,${department},quality,${level(i)}`;
	const body = (key: string, i: number, answer = level(i)) => ({
		response_key: key,
		campaign_code: campaign,
		channel: 'phone',
		submitted_at: '2025-07-02 10:00',
		answers: [{ department_code: department, question_code: 'quality', answer }]
	});
	const file = (prefix: string, indexes: number[]) =>
		new TextEncoder().encode(
			[HEADER, ...indexes.map((i) => row(`${prefix}-${String(i).padStart(5, '0')}`, i))].join('\n')
		);
	const importFile = (prefix: string, indexes: number[]) =>
		surveys.importResponses(handle.db, file(prefix, indexes), en, testActor);
	const keyOf = (prefix: string, i: number) => `${prefix}-${String(i).padStart(5, '0')}`;
	const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

	/**
	 * A transaction on a connection of its own that stores response `i` and holds it uncommitted
	 * until `release()`: writers of that key wait for it.
	 */
	async function hold(prefix: string, i: number) {
		const client = postgres(url, { max: 1, onnotice: () => {} });
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		let ready!: () => void;
		const isReady = new Promise<void>((r) => (ready = r));
		const done = client.begin(async (tx) => {
			const [c] = await tx<{ id: number }[]>`select id from campaign where code = ${campaign}`;
			const [d] = await tx<{ id: number }[]>`select id from department where code = ${department}`;
			const [r] = await tx<{ id: number }[]>`insert into survey_response
				(response_key, campaign_id, channel, submitted_at)
				values (${keyOf(prefix, i)}, ${c!.id}, 'phone', '2025-07-02 10:00+08') returning id`;
			await tx`insert into survey_rating (response_id, department_id, campaign_id, r5)
				values (${r!.id}, ${d!.id}, ${c!.id}, ${level(i)})`;
			ready();
			await released;
		});
		await isReady;
		return {
			release: async () => {
				release();
				await done;
				await client.end();
			}
		};
	}

	/** Resolves once `n` statements of this database wait for a lock. */
	async function waiting(n: number) {
		for (let tries = 0; tries < 200; tries++) {
			const [r] = await rows<{ n: number }>(
				handle.db,
				sql`select count(*)::int as n from pg_stat_activity
					where datname = current_database() and wait_event_type = 'Lock'`
			);
			if (r!.n >= n) return;
			await new Promise((ok) => setTimeout(ok, 50));
		}
		throw new Error(`fewer than ${n} statements waited for a lock`);
	}

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
		const bytes = file(prefix, range(0, 2000));
		const [x, y] = await Promise.all([
			surveys.importResponses(handle.db, bytes, en, testActor),
			surveys.importResponses(handle.db, bytes, en, testActor)
		]);
		expect(x.ok && y.ok).toBe(true);
		if (!x.ok || !y.ok) return;
		expect(x.created + y.created).toBe(2000);
		expect(x.existing + y.existing).toBe(2000);
		expect(await stored(prefix)).toEqual({ responses: 2000, keys: 2000, ratings: 2000 });
	});

	it('imports two overlapping files at once, in opposite orders, through the careful path', async () => {
		const prefix = unique('overlap');
		// Keys 0–2999 and 2000–4999 (the second file backwards); response 2500 is held.
		const first = file(prefix, range(0, 3000));
		const second = file(prefix, range(2000, 5000).reverse());
		const held = await hold(prefix, 2500);
		const imports = Promise.all([
			surveys.importResponses(handle.db, first, en, testActor),
			surveys.importResponses(handle.db, second, en, testActor)
		]);
		await waiting(2);
		await held.release();
		const [x, y] = await imports;
		expect(x).toMatchObject({ ok: true, responses: 3000 });
		expect(y).toMatchObject({ ok: true, responses: 3000 });
		if (!x.ok || !y.ok) return;
		// 5,000 keys, one of them stored by the holder: each stored exactly once by someone.
		expect(x.created + y.created).toBe(4999);
		expect(x.created + x.existing).toBe(3000);
		expect(y.created + y.existing).toBe(3000);
		expect(await stored(prefix)).toEqual({ responses: 5000, keys: 5000, ratings: 5000 });
	});

	it('races API posts of the same keys: every key once, every report right', async () => {
		const prefix = unique('race');
		const held = await hold(prefix, 500);
		const importing = importFile(prefix, range(0, 1000));
		// The import waits at the held key; meanwhile the API stores keys after it, and waits for
		// the import's uncommitted keys before it.
		await waiting(1);
		const posts = Promise.all(
			[100, 200, 700, 800].map((i) => surveys.submitResponse(handle.db, body(keyOf(prefix, i), i)))
		);
		await waiting(3);
		await held.release();
		const [result, posted] = await Promise.all([importing, posts]);
		expect(result).toMatchObject({ ok: true, responses: 1000 });
		if (!result.ok) return;
		const byApi = posted.filter((p) => p.created).length;
		// The held key and what the API stored are the import's existing ones, nothing else.
		expect(result.existing).toBe(1 + byApi);
		expect(result.created).toBe(1000 - 1 - byApi);
		for (const p of posted) expect(p.response.answers).toHaveLength(1);
		expect(await stored(prefix)).toEqual({ responses: 1000, keys: 1000, ratings: 1000 });

		// Without a holder, 300 posts of keys the import also has, all at once.
		const free = unique('free');
		const [again, many] = await Promise.all([
			importFile(free, range(0, 600)),
			Promise.all(
				range(300, 600).map((i) => surveys.submitResponse(handle.db, body(keyOf(free, i), i)))
			)
		]);
		expect(again.ok).toBe(true);
		if (!again.ok) return;
		const created = many.filter((p) => p.created).length;
		expect(again.created + created).toBe(600);
		expect(again.existing).toBe(created);
		expect(await stored(free)).toEqual({ responses: 600, keys: 600, ratings: 600 });
	});

	it('never drops a post that gives a key another response while an import runs', async () => {
		const prefix = unique('differ');
		const held = await hold(prefix, 50);
		const importing = importFile(prefix, range(0, 100));
		await waiting(1);
		// Key 80 posted with another answer than the file's: stored, since the import waits.
		const posted = await surveys.submitResponse(
			handle.db,
			body(keyOf(prefix, 80), 80, 5 - level(80))
		);
		expect(posted.created).toBe(true);
		await held.release();
		const result = await importing;
		// The import is refused on that row, and writes nothing; the post's response stays.
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => [e.line, e.column, e.code])).toEqual([
			[82, 'response_key', 'response_key_conflict']
		]);
		expect(await stored(prefix)).toEqual({ responses: 2, keys: 2, ratings: 2 });
		const kept = await surveys.getResponse(handle.db, keyOf(prefix, 80));
		expect(kept!.answers[0]!.answer).toBe(5 - level(80));

		// The other way round: the import stored the key first, the post of another answer is 409.
		const ok = await importFile(prefix, range(0, 80));
		expect(ok).toMatchObject({ ok: true, created: 79, existing: 1 });
		const refused = await surveys
			.submitResponse(handle.db, body(keyOf(prefix, 10), 10, 5 - level(10)))
			.catch((e: unknown) => e);
		expect(isDomainError(refused, 'response_key_conflict')).toBe(true);
	});

	it('tells a client to come back when an import holds its key longer than a request waits', async () => {
		const prefix = unique('busy');
		const held = await hold(prefix, 1);
		try {
			const refused = await surveys
				.submitResponse(handle.db, body(keyOf(prefix, 1), 1))
				.catch((e: unknown) => e);
			expect(isDomainError(refused, 'response_key_busy')).toBe(true);
		} finally {
			await held.release();
		}
		// Once it is written, the same post is answered with the stored response.
		const again = await surveys.submitResponse(handle.db, body(keyOf(prefix, 1), 1));
		expect(again.created).toBe(false);
	}, 30_000);
});
