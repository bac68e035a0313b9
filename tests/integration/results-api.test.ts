// GET /api/v1/results/Y: public, the current published revision as the export's rows, with its
// revision and digest; 404 in the API's error shape before publication or for a bad year; the
// error document, never the rows, when the stored content fails its integrity check.
import { beforeAll, expect, it, vi } from 'vitest';
import { messageOf } from '$lib/errors';
import type { Database } from '$lib/server/db';
import * as evaluation from '$lib/server/evaluation';
import * as results from '$lib/server/results';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor } from '../factories';
import { makeCampaign, makeCase, makeResponse, retireAllDepartments } from '../factories/records';
import { tamperWithSnapshot } from '../factories/snapshots';
import { match as matchYear } from '../../src/params/year';

let current: Database | undefined;
vi.mock('$lib/server/db/app-db', () => ({ db: () => current }));
const { GET } = await import('../../src/routes/api/v1/results/[year=year]/+server');

function get(year: string) {
	const url = new URL(`http://localhost/api/v1/results/${year}`);
	return GET({
		request: new Request(url),
		url,
		params: { year },
		locals: { principal: null },
		getClientAddress: () => '127.0.0.1'
	} as never);
}

describeEachDatabase('results API', (t) => {
	beforeAll(async () => {
		current = t.db;
		await retireAllDepartments(t.db);
		await evaluation.createYear(
			t.db,
			{
				year: 2048,
				settings: { commended: { municipal: 1, vertical: 0 }, rectificationBottom: 1 }
			},
			testActor
		);
		const camp = await makeCampaign(t.db, { year: 2048 });
		for (const [code, level] of [
			['apiA', 5],
			['apiB', 4]
		] as const) {
			await makeDepartment(t.db, { code, fromYear: 2048 });
			await makeCase(t.db, {
				department: code,
				accepted: '2048-03-02 09:00',
				completed: '2048-03-02 10:00',
				promised: 0
			});
			await makeResponse(t.db, { campaignId: camp.id, answers: { [code]: Array(6).fill(level) } });
		}
	});

	it('answers 404 before publication; a year that is not one does not reach it', async () => {
		const res = await get('2048');
		expect(res.status).toBe(404);
		expect((await res.json()).error).toMatchObject({ code: 'not_published' });
		// The route's matcher: other addresses get the API's JSON 404 (tests/security/api.test.ts).
		for (const year of ['1800', 'abc', '20480']) expect(matchYear(year)).toBe(false);
	});

	it('serves the published revision to anyone', async () => {
		await evaluation.compute(t.db, 2048, testActor);
		// A draft alone is not public.
		expect((await get('2048')).status).toBe(404);
		const published = await evaluation.publish(t.db, 2048, {}, testActor);
		const res = await get('2048');
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(res.headers.get('x-pingyi-revision')).toBe('1');
		expect(res.headers.get('x-pingyi-digest')).toBe(published.digest);
		expect(res.headers.has('x-pingyi-digest-ok')).toBe(false);
		expect(res.headers.get('etag')).toBe(`"${published.digest}"`);
		// apiA: 100 everywhere; apiB: appraisal and survey 75 → convenience ½·100 + ½·75 = 87.5,
		// total (3000 + 20·87.5 + 2000 + 30·75)/100 = 90.
		expect(body).toEqual([
			expect.objectContaining({ code: 'apiA', total: 100, rank: 1, outcomes: ['commended'] }),
			expect.objectContaining({
				code: 'apiB',
				convenience: 87.5,
				appraisal: 75,
				total: 90,
				rank: 2,
				rank_from_bottom: 1,
				responses: 1,
				satisfaction_rate: 100,
				outcomes: ['rectification', 'criticism']
			})
		]);
		// Exactly what `export results --format json` writes.
		const exported = await results.exportResults(t.db, results.OPERATOR, 2048, { format: 'json' });
		expect(body).toEqual(JSON.parse(String(exported.body)));
	});

	it('refuses results whose stored content no longer matches their digest', async () => {
		const published = (await results.currentRevision(t.db, 2048))!;
		await tamperWithSnapshot(t.db, published.id);
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			const res = await get('2048');
			expect(res.status).toBe(500);
			expect((await res.json()).error).toEqual({
				code: 'digest_mismatch',
				message: messageOf('digest_mismatch'),
				details: []
			});
			expect(logged).toHaveBeenCalledTimes(1);
			expect(String(logged.mock.calls[0]![0])).toContain(`2048 revision 1`);
		} finally {
			logged.mockRestore();
		}
	});
});
