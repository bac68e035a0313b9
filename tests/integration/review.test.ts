// Reviewing a campaign's responses through the verbs the pages and the CLI call: the list with
// its filters and pages, voiding (audited, refused twice, and the voided response no longer
// counted by the next computation), and the export: exact CSV of a small fixture, identity only
// on request and only for an admin, XLSX read back with exceljs, and the CLI verb.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '$lib/server/db';
import {
	auditEntry,
	campaign,
	enterprise,
	question,
	questionnaire,
	questionOption,
	surveyChoiceAnswer,
	surveyRating,
	surveyResponse,
	surveyTextAnswer
} from '$lib/server/db/schema';
import * as evaluation from '$lib/server/evaluation';
import * as surveys from '$lib/server/surveys';
import { describeEachDatabase } from '../helpers/db';
import { cliRefusal, runCli } from '../helpers/cli';
import { refusal, refusalCode } from '../helpers/refusal';
import { makeDepartment, makeUser, testActor } from '../factories';
import { local, makeCampaign, makeResponse, retireAllDepartments } from '../factories/records';

const admin = { role: 'admin' } as const;
const supervisor = { role: 'supervisor' } as const;
const YEAR = 2041;

/** A questionnaire with every kind of question, and a campaign asking it. */
async function reviewFixture(db: Database) {
	const [qn] = await db
		.insert(questionnaire)
		.values({ code: 'rv-q', version: 1, titleZh: '评议', titleEn: 'Review' })
		.returning();
	const q = async (
		code: string,
		position: number,
		kind: 'rating' | 'single' | 'multiple' | 'text',
		slot?: number
	) => {
		const [row] = await db
			.insert(question)
			.values({
				questionnaireId: qn!.id,
				code,
				position,
				textZh: code,
				textEn: code,
				kind,
				...(kind === 'rating' ? { dimension: 'appraisal' as const, slot } : {})
			})
			.returning();
		return row!;
	};
	await q('attitude', 1, 'rating', 1);
	await q('speed', 2, 'rating', 2);
	const single = await q('channel_used', 3, 'single');
	const multi = await q('problems', 4, 'multiple');
	const text = await q('remarks', 5, 'text');
	const options = async (qid: number, codes: string[]) => {
		const made = await db
			.insert(questionOption)
			.values(
				codes.map((code, i) => ({
					questionId: qid,
					code,
					position: i + 1,
					textZh: code,
					textEn: code
				}))
			)
			.returning();
		return Object.fromEntries(made.map((o) => [o.code, o.id]));
	};
	const singleOpts = await options(single.id, ['window', 'online']);
	const multiOpts = await options(multi.id, ['slow', 'rude', 'unclear']);
	const [c] = await db
		.insert(campaign)
		.values({
			code: 'rv-2041',
			year: YEAR,
			kind: 'enterprise_visit',
			questionnaireId: qn!.id,
			weight: '1'
		})
		.returning();
	const d1 = await makeDepartment(db, { code: 'RV1', fromYear: YEAR });
	const d2 = await makeDepartment(db, { code: 'RV2', fromYear: YEAR });
	const [e] = await db
		.insert(enterprise)
		.values({ uscc: '91330100MA2RV0001X', name: '=评议企业, 有限公司' })
		.returning();
	const interviewer = await makeUser(db, { role: 'supervisor' });
	const response = async (
		key: string,
		values: Partial<typeof surveyResponse.$inferInsert> & { submitted: string }
	) => {
		const [r] = await db
			.insert(surveyResponse)
			.values({
				responseKey: key,
				campaignId: c!.id,
				channel: 'field',
				submittedAt: local(values.submitted),
				...values
			})
			.returning();
		return r!;
	};
	// k1: field, by the interviewer for the enterprise; about RV1 (everything) and RV2 (a rating).
	const k1 = await response('rv-k1', {
		submitted: '2041-03-01 10:00:05',
		enterpriseId: e!.id,
		interviewerId: interviewer.id,
		visitId: 'V-7'
	});
	await db.insert(surveyRating).values([
		{ responseId: k1.id, departmentId: d1.id, campaignId: c!.id, r1: 5, r2: 4 },
		{ responseId: k1.id, departmentId: d2.id, campaignId: c!.id, r1: 0 }
	]);
	await db.insert(surveyChoiceAnswer).values([
		{ responseId: k1.id, departmentId: d1.id, questionId: single.id, optionId: singleOpts.window! },
		{ responseId: k1.id, departmentId: d1.id, questionId: multi.id, optionId: multiOpts.unclear! },
		{ responseId: k1.id, departmentId: d1.id, questionId: multi.id, optionId: multiOpts.slow! }
	]);
	await db
		.insert(surveyTextAnswer)
		.values({ responseId: k1.id, departmentId: d1.id, questionId: text.id, body: '=1+1' });
	// k2: online, unverified, about RV2 with a text answer only (no rating row at all).
	const k2 = await response('rv-k2', {
		submitted: '2041-03-02 11:30:00',
		channel: 'online',
		unverified: true
	});
	await db.insert(surveyTextAnswer).values({
		responseId: k2.id,
		departmentId: d2.id,
		questionId: text.id,
		body: 'said "fine", then\nleft'
	});
	// k3: phone, a rating about RV1 only.
	const k3 = await response('rv-k3', {
		submitted: '2041-03-03 09:00:00',
		channel: 'phone',
		interviewerId: interviewer.id
	});
	await db
		.insert(surveyRating)
		.values({ responseId: k3.id, departmentId: d1.id, campaignId: c!.id, r2: 3 });
	return { campaign: c!, interviewer, enterprise: e! };
}

/** Everything a sink was given, as one buffer. */
function collector() {
	const chunks: Uint8Array[] = [];
	return {
		sink: (chunk: Uint8Array) => void chunks.push(chunk),
		bytes: () => Buffer.concat(chunks),
		text: () => Buffer.concat(chunks).toString('utf8')
	};
}

describeEachDatabase('reviewing responses', (t) => {
	let fx: Awaited<ReturnType<typeof reviewFixture>>;
	let dir: string;
	beforeAll(async () => {
		await retireAllDepartments(t.db);
		fx = await reviewFixture(t.db);
		dir = await mkdtemp(join(tmpdir(), 'pingyi-review-'));
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	const list = (
		filters: surveys.ReviewFilters = {},
		page = 1,
		pageSize = 50,
		reader: surveys.ReviewReader = supervisor
	) => surveys.listResponses(t.db, reader, 'rv-2041', { page, pageSize, ...filters });
	const keys = async (filters: surveys.ReviewFilters = {}) =>
		(await list(filters))!.rows.map((r) => r.key);

	const exportFile = async (reader: surveys.ReviewReader, opts: surveys.ResponseExportOptions) => {
		const out = collector();
		const result = await surveys.exportResponses(
			t.db,
			reader,
			'rv-2041',
			opts,
			testActor,
			out.sink
		);
		return { ...out, result };
	};

	it('lists the responses newest first, with channel, time, interviewer, flags and departments', async () => {
		const page = await list();
		expect(page!.total).toBe(3);
		expect(page!.rows).toEqual([
			{
				key: 'rv-k3',
				channel: 'phone',
				submittedAt: '2041-03-03 09:00:00',
				interviewer: 'Test User',
				visitId: null,
				unverified: false,
				voided: null,
				departments: ['RV1']
			},
			{
				key: 'rv-k2',
				channel: 'online',
				submittedAt: '2041-03-02 11:30:00',
				interviewer: null,
				visitId: null,
				unverified: true,
				voided: null,
				departments: ['RV2']
			},
			{
				key: 'rv-k1',
				channel: 'field',
				submittedAt: '2041-03-01 10:00:05',
				interviewer: 'Test User',
				visitId: 'V-7',
				unverified: false,
				voided: null,
				departments: ['RV1', 'RV2']
			}
		]);
		// Who answered: for an admin only.
		expect((await list({}, 1, 50, admin))!.rows.map((r) => r.enterprise)).toEqual([
			null,
			null,
			{ uscc: '91330100MA2RV0001X', name: '=评议企业, 有限公司' }
		]);
	});

	it('filters by channel, department, flag and interviewer, and pages', async () => {
		expect(await keys({ channel: 'online' })).toEqual(['rv-k2']);
		expect(await keys({ department: 'RV2' })).toEqual(['rv-k2', 'rv-k1']);
		expect(await keys({ department: 'RV1' })).toEqual(['rv-k3', 'rv-k1']);
		expect(await keys({ department: 'NOPE' })).toEqual([]);
		expect(await keys({ flag: 'unverified' })).toEqual(['rv-k2']);
		expect(await keys({ interviewer: fx.interviewer.id })).toEqual(['rv-k3', 'rv-k1']);
		expect(await keys({ channel: 'field', department: 'RV2' })).toEqual(['rv-k1']);
		const p1 = await list({}, 1, 2);
		const p2 = await list({}, 2, 2);
		expect(p1!.total).toBe(3);
		expect(p1!.rows.map((r) => r.key)).toEqual(['rv-k3', 'rv-k2']);
		expect(p2!.rows.map((r) => r.key)).toEqual(['rv-k1']);
		expect(await list({}, 1, 50)).not.toBeNull();
		expect(
			await surveys.listResponses(t.db, supervisor, 'nope', { page: 1, pageSize: 5 })
		).toBeNull();
	});

	it('shows nothing to a leader, a liaison or an enterprise', async () => {
		for (const role of ['leader', 'liaison', 'enterprise'] as const) {
			expect(await refusalCode(list({}, 1, 50, { role } as never))).toBe('review_forbidden');
			expect(await refusalCode(surveys.reviewResponse(t.db, { role }, 'rv-2041', 'rv-k1'))).toBe(
				'review_forbidden'
			);
			expect(await refusalCode(surveys.voidResponse(t.db, { role }, 'rv-k1', 'x', testActor))).toBe(
				'review_forbidden'
			);
			expect(
				await refusalCode(
					surveys.exportResponses(
						t.db,
						{ role },
						'rv-2041',
						{ format: 'csv', withIdentity: false },
						testActor,
						() => {}
					)
				)
			).toBe('review_forbidden');
		}
	});

	it('shows one response with its answers; another campaign’s key is not found', async () => {
		const r = await surveys.reviewResponse(t.db, supervisor, 'rv-2041', 'rv-k1');
		expect(r).toMatchObject({ key: 'rv-k1', departments: ['RV1', 'RV2'], visitId: 'V-7' });
		expect(r).not.toHaveProperty('enterprise');
		expect(r!.answers).toContainEqual({
			department_code: 'RV1',
			question_code: 'attitude',
			answer: 5
		});
		expect((await surveys.reviewResponse(t.db, admin, 'rv-2041', 'rv-k1'))!.enterprise).toEqual({
			uscc: '91330100MA2RV0001X',
			name: '=评议企业, 有限公司'
		});
		expect(await surveys.reviewResponse(t.db, supervisor, 'other', 'rv-k1')).toBeNull();
	});

	const HEADER =
		'response_key,channel,submitted_at,department_code,attitude,speed,channel_used,problems,remarks,voided';

	it('exports one CSV row per response and department, exactly', async () => {
		const { result, ...out } = await exportFile(supervisor, {
			format: 'csv',
			withIdentity: false,
			batchSize: 2
		});
		expect(result.rows).toBe(4);
		expect(out.text()).toBe(
			'\uFEFF' +
				[
					HEADER,
					"rv-k1,field,2041-03-01 10:00:05,RV1,5,4,window,slow;unclear,'=1+1,false",
					'rv-k1,field,2041-03-01 10:00:05,RV2,0,,,,,false',
					'rv-k2,online,2041-03-02 11:30:00,RV2,,,,,"said ""fine"", then\nleft",false',
					'rv-k3,phone,2041-03-03 09:00:00,RV1,,3,,,,false'
				].join('\r\n') +
				'\r\n'
		);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'response.export'), eq(auditEntry.entityId, 'rv-2041')));
		expect(entry!.changes).toEqual({ format: 'csv', withIdentity: false });
	});

	it('adds who answered only on request and only for an admin', async () => {
		expect(
			await refusalCode(
				surveys.exportResponses(
					t.db,
					supervisor,
					'rv-2041',
					{ format: 'csv', withIdentity: true },
					testActor,
					() => {}
				)
			)
		).toBe('review_identity_forbidden');
		const out = await exportFile(admin, { format: 'csv', withIdentity: true });
		const lines = out.text().replace('\uFEFF', '').split('\r\n');
		expect(lines[0]).toBe(`${HEADER},uscc,enterprise_name,interviewer`);
		expect(lines[1]).toBe(
			'rv-k1,field,2041-03-01 10:00:05,RV1,5,4,window,slow;unclear,\'=1+1,false,91330100MA2RV0001X,"\'=评议企业, 有限公司",Test User'
		);
		expect(lines[4]).toBe('rv-k3,phone,2041-03-03 09:00:00,RV1,,3,,,,false,,,Test User');
		const audited = await t.db
			.select({ changes: auditEntry.changes })
			.from(auditEntry)
			.where(eq(auditEntry.action, 'response.export'));
		expect(audited.map((a) => a.changes)).toContainEqual({ format: 'csv', withIdentity: true });
	});

	it('exports an XLSX workbook that reads back with exceljs', async () => {
		const out = await exportFile(supervisor, { format: 'xlsx', withIdentity: false, batchSize: 1 });
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(out.bytes() as never);
		const sheet = book.worksheets[0]!;
		expect(sheet.name).toBe('rv-2041');
		const values = sheet
			.getSheetValues()
			.slice(1)
			.map((r) => (r as unknown[]).slice(1));
		expect(values[0]).toEqual(HEADER.split(','));
		expect(values[1]).toEqual([
			'rv-k1',
			'field',
			'2041-03-01 10:00:05',
			'RV1',
			5,
			4,
			'window',
			'slow;unclear',
			"'=1+1",
			'false'
		]);
		expect(values[3]![8]).toBe('said "fine", then\nleft');
		expect(values).toHaveLength(5);
	});

	it('exports from the command line, with identity (the CLI is the operator)', async () => {
		const file = join(dir, 'responses.csv');
		const outcome = await runCli(t.handle, ['export', 'responses', 'rv-2041'], {
			format: 'csv',
			'with-identity': true,
			output: file
		});
		expect(outcome.json).toMatchObject({ campaign: 'rv-2041', rows: 4, withIdentity: true });
		const text = await readFile(file, 'utf8');
		expect(text.split('\r\n')[0]).toBe(`\uFEFF${HEADER},uscc,enterprise_name,interviewer`);
		const xlsx = join(dir, 'responses.xlsx');
		await runCli(t.handle, ['export', 'responses', 'rv-2041'], { format: 'xlsx', output: xlsx });
		const book = new ExcelJS.Workbook();
		await book.xlsx.readFile(xlsx);
		expect(book.worksheets[0]!.rowCount).toBe(5);
		expect(
			(await cliRefusal(runCli(t.handle, ['export', 'responses', 'rv-2041'], { format: 'pdf' })))
				.code
		).toBe('invalid_format');
		expect(
			(await cliRefusal(runCli(t.handle, ['export', 'responses', 'rv-2041'], { format: 'xlsx' })))
				.code
		).toBe('output_required');
		expect(
			(await cliRefusal(runCli(t.handle, ['export', 'responses', 'nope'], { output: file }))).code
		).toBe('campaign_not_found');
	});

	it('voids a response with a reason, audited; a second time is refused; it stays in the file', async () => {
		expect(await refusal(surveys.voidResponse(t.db, supervisor, 'rv-k2', '  ', testActor))).toEqual(
			{
				code: 'required',
				field: 'reason'
			}
		);
		expect(await refusalCode(surveys.voidResponse(t.db, supervisor, 'nope', 'x', testActor))).toBe(
			'review_response_not_found'
		);
		const done = await surveys.voidResponse(
			t.db,
			supervisor,
			'rv-k2',
			' duplicate of rv-k1 ',
			testActor
		);
		expect(done).toEqual({ key: 'rv-k2', campaignCode: 'rv-2041' });
		expect(await refusalCode(surveys.voidResponse(t.db, admin, 'rv-k2', 'again', testActor))).toBe(
			'review_already_voided'
		);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'response.void'), eq(auditEntry.entityId, 'rv-k2')));
		expect(entry).toMatchObject({
			entity: 'survey_response',
			changes: { campaign: 'rv-2041', reason: 'duplicate of rv-k1' }
		});
		const [row] = (await list({ flag: 'voided' }))!.rows;
		expect(row).toMatchObject({ key: 'rv-k2', voided: { reason: 'duplicate of rv-k1', by: null } });
		expect(await keys({ flag: 'valid' })).toEqual(['rv-k3', 'rv-k1']);
		const out = await exportFile(supervisor, { format: 'csv', withIdentity: false });
		expect(out.text()).toContain('"said ""fine"", then\nleft",true\r\n');
	});

	it('a voided response stops counting at the next computation', async () => {
		const Y = 2042;
		await evaluation.createYear(t.db, { year: Y }, testActor);
		await makeDepartment(t.db, { code: 'RVC', fromYear: Y });
		const c = await makeCampaign(t.db, { year: Y, code: 'rv-2042' });
		const kept = await makeResponse(t.db, {
			campaignId: c.id,
			answers: { RVC: [5, 5, 5, 5, 5, 5] }
		});
		const bad = await makeResponse(t.db, {
			campaignId: c.id,
			answers: { RVC: [1, 1, 1, 1, 1, 1] }
		});
		expect(kept.id).toBeLessThan(bad.id);
		const now = local(`${Y + 1}-01-20 10:00`);
		const rvc = async () => {
			const { content } = await evaluation.compute(t.db, Y, testActor, { now });
			return content.departments.find((d) => d.code === 'RVC')!;
		};
		const before = await rvc();
		expect(before.responses).toBe(2);
		expect(before.scores.appraisal).toBe(50);
		await surveys.voidResponse(
			t.db,
			supervisor,
			bad.responseKey,
			'interviewer made it up',
			testActor
		);
		const after = await rvc();
		expect(after.responses).toBe(1);
		expect(after.scores.appraisal).toBe(100);
	});
});
