// The results module: what the rankings, "why this score" and public pages, the downloads, the
// API and the CLI read — the chosen snapshot only (latest draft, current or given published
// revision), redacted for the reader as roles.md says, and refused wherever its content no
// longer matches its digest.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RESULT_FORMATS } from '$lib/domain/result-formats';
import { messageOf } from '$lib/errors';
import * as results from '$lib/server/results';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';
import {
	departmentResult,
	digestOf,
	makeSnapshot,
	snapshotContent,
	tamperWithSnapshot
} from '../factories/snapshots';

const PUBLIC: results.Reader = null;
const ENTERPRISE: results.Reader = { role: 'enterprise', departmentCode: null };
const LIAISON: results.Reader = { role: 'liaison', departmentCode: 'aaa' };
const LEADER: results.Reader = { role: 'leader', departmentCode: null };
const SUPERVISOR: results.Reader = { role: 'supervisor', departmentCode: null };

/** aaa's appraisal: one campaign of 30 responses, one of 3 (under the liaison's threshold of 5). */
function withSmallGroup(code: string, overrides = {}) {
	const d = departmentResult(code, overrides);
	d.inputs.appraisal.campaigns = [
		{ code: 'C1', kind: 'enterprise_visit', weight: 2, responses: 30, mean: 80 },
		{ code: 'C2', kind: 'online', weight: 1, responses: 3, mean: 70 }
	];
	return d;
}

describeEachDatabase('results', (t) => {
	const first = snapshotContent(2025, [
		withSmallGroup('aaa', { rank: 1, rankFromBottom: 2 }),
		departmentResult('bbb', {
			rank: 2,
			rankFromBottom: 1,
			outcomes: ['rectification', 'criticism']
		})
	]);
	const corrected = snapshotContent(
		2025,
		[
			departmentResult('bbb', { rank: 1, rankFromBottom: 2 }),
			withSmallGroup('aaa', { rank: 2, rankFromBottom: 1, outcomes: ['criticism'] })
		],
		{ warnings: [{ code: 'disputed_findings', departmentCode: 'bbb', count: 1 }] }
	);
	const draft = snapshotContent(
		2025,
		[withSmallGroup('aaa', { scores: { ...departmentResult('aaa').scores, total: 12.345 } })],
		{
			errors: [{ code: 'missing_dimension', departmentCode: 'ccc', dimension: 'appraisal' }],
			warnings: [{ code: 'open_complaints', departmentCode: 'aaa', count: 2 }]
		}
	);
	let ids: { r1: number; r2: number; draft: number };

	beforeAll(async () => {
		const r1 = await makeSnapshot(t.db, first, { revision: 1 });
		const r2 = await makeSnapshot(t.db, corrected, {
			revision: 2,
			replacesId: r1.id,
			note: 'data error'
		});
		const d = await makeSnapshot(t.db, draft);
		ids = { r1: r1.id, r2: r2.id, draft: d.id };
		await makeSnapshot(t.db, snapshotContent(2024, [departmentResult('aaa')]));
	});

	it('reads the current published revision, without the inputs and without problems', async () => {
		const r = await results.view(t.db, PUBLIC, 2025, { kind: 'published' });
		expect(r?.snapshot).toMatchObject({
			id: ids.r2,
			kind: 'published',
			revision: 2,
			note: 'data error',
			digest: digestOf(corrected)
		});
		expect(r).toMatchObject({ replacesRevision: 1, currentRevision: 2, problems: null });
		// No account names or problem counts on a results page, whoever reads.
		expect(r?.snapshot).not.toHaveProperty('publishedBy');
		expect(r?.snapshot).not.toHaveProperty('warningCount');
		expect(r?.departments.map((d) => [d.code, d.rank, d.outcomes])).toEqual([
			['bbb', 1, ['commended']],
			['aaa', 2, ['criticism']]
		]);
		expect(r?.departments[0]).not.toHaveProperty('inputs');
		// Full precision comes through the jsonb untouched.
		expect(r?.departments[0]!.scores.appraisal).toBe(230 / 3);
		expect(r?.settings.weights).toEqual({
			work: 30,
			convenience: 20,
			complaints: 20,
			appraisal: 30
		});
		expect(r?.cutoff).toBe('2025-12-31');
	});

	it('reads an older revision, which stays readable, and the latest draft', async () => {
		const old = await results.view(t.db, PUBLIC, 2025, { kind: 'published', revision: 1 });
		expect(old).toMatchObject({ snapshot: { id: ids.r1, revision: 1 }, currentRevision: 2 });
		expect(old?.departments.map((d) => d.code)).toEqual(['aaa', 'bbb']);
		const d = await results.view(t.db, SUPERVISOR, 2025, { kind: 'draft' });
		expect(d?.snapshot).toMatchObject({ id: ids.draft, kind: 'draft', revision: null });
		expect(d?.departments[0]!.scores.total).toBe(12.345);
		expect(d?.problems).toEqual({
			errors: [{ code: 'missing_dimension', departmentCode: 'ccc', dimension: 'appraisal' }],
			warnings: [{ code: 'open_complaints', departmentCode: 'aaa', count: 2 }]
		});
	});

	it('has nothing for a year never published; a revision that does not exist is refused', async () => {
		expect(
			await refusalCode(results.view(t.db, PUBLIC, 2025, { kind: 'published', revision: 3 }))
		).toBe('snapshot_not_found');
		expect(await results.view(t.db, PUBLIC, 2023, { kind: 'published' })).toBeNull();
		expect(await results.view(t.db, PUBLIC, 2024, { kind: 'published' })).toBeNull();
		expect(await results.view(t.db, LEADER, 2024, { kind: 'draft' })).not.toBeNull();
		expect(await results.view(t.db, LEADER, 2023, { kind: 'draft' })).toBeNull();
		// A file of nothing is refused, saying what is missing.
		expect(await refusalCode(results.exportResults(t.db, PUBLIC, 2024, { format: 'csv' }))).toBe(
			'not_published'
		);
		expect(
			await refusalCode(results.exportResults(t.db, LEADER, 2023, { format: 'json', draft: true }))
		).toBe('draft_not_found');
	});

	it('reads the view parameters of an address', () => {
		const q = (s: string) => new URLSearchParams(s);
		expect(results.choiceOf(q(''))).toEqual({ kind: 'published' });
		expect(results.choiceOf(q('draft'))).toEqual({ kind: 'draft' });
		expect(results.choiceOf(q('draft'), false)).toEqual({ kind: 'published' });
		expect(results.choiceOf(q('revision=2'))).toEqual({ kind: 'published', revision: 2 });
		for (const bad of ['revision=0', 'revision=x', 'revision=12345', 'revision='])
			expect(() => results.choiceOf(q(bad))).toThrow('snapshot_not_found');
	});

	describe('what each reader sees (roles.md, "rankings")', () => {
		it.each([
			['the public', PUBLIC, false, []],
			['an enterprise', ENTERPRISE, false, []],
			['a liaison', LIAISON, false, ['aaa']],
			['a leader', LEADER, true, ['bbb', 'aaa']],
			['a supervisor', SUPERVISOR, true, ['bbb', 'aaa']]
		] as const)('%s', async (_, reader, drafts, explainable) => {
			const published = await results.view(t.db, reader, 2025, { kind: 'published' });
			// Published for everyone, with the problems left out even for those who see drafts.
			expect(published?.problems).toBeNull();
			expect(JSON.stringify(published)).not.toContain('disputed_findings');
			expect(published?.explainable).toEqual(explainable);
			const draftView = results.view(t.db, reader, 2025, { kind: 'draft' });
			if (drafts) expect((await draftView)?.problems?.errors).toHaveLength(1);
			else expect(await refusalCode(draftView)).toBe('results_forbidden');
			expect((await results.years(t.db, reader)).map((y) => [y.year, y.hasDraft])).toEqual(
				drafts
					? [
							[2025, true],
							[2024, true]
						]
					: [[2025, false]]
			);
		});

		it("explains to a liaison its own department's published result, small groups withheld", async () => {
			const own = await results.explain(t.db, LIAISON, 2025, 'aaa', { kind: 'published' });
			expect(own?.department.inputs.appraisal.campaigns.map((c) => [c.code, c.mean])).toEqual([
				['C1', 80],
				['C2', null]
			]);
			// Every other figure is there.
			expect(own?.department.scores).toEqual(corrected.departments[1]!.scores);
			for (const [code, choice] of [
				['bbb', { kind: 'published' }],
				['zzz', { kind: 'published' }],
				['aaa', { kind: 'draft' }]
			] as const)
				expect(await refusalCode(results.explain(t.db, LIAISON, 2025, code, choice))).toBe(
					'results_forbidden'
				);
		});

		it.each([
			['the public', PUBLIC],
			['an enterprise', ENTERPRISE]
		] as const)('explains nothing to %s', async (_, reader) => {
			expect(
				await refusalCode(results.explain(t.db, reader, 2025, 'aaa', { kind: 'published' }))
			).toBe('results_forbidden');
		});

		it.each([
			['a leader', LEADER],
			['a supervisor', SUPERVISOR]
		] as const)('explains every department to %s, small groups shown', async (_, reader) => {
			const e = await results.explain(t.db, reader, 2025, 'aaa', { kind: 'published' });
			expect(e?.department).toEqual(corrected.departments[1]);
			expect(e?.department.inputs.appraisal.campaigns[1]!.mean).toBe(70);
			expect(await results.explain(t.db, reader, 2025, 'bbb', { kind: 'draft' })).toBeNull();
		});
	});

	it('explains one department with its inputs, from the chosen snapshot', async () => {
		const e = await results.explain(t.db, SUPERVISOR, 2025, 'aaa', { kind: 'published' });
		expect(e?.snapshot.revision).toBe(2);
		expect(e?.department.inputs.work.findings.map((f) => [f.findingNo, f.counted])).toEqual([
			['aaa-F1', true],
			['aaa-F2', true],
			['aaa-F3', false]
		]);
		const fromDraft = await results.explain(t.db, SUPERVISOR, 2025, 'aaa', { kind: 'draft' });
		expect(fromDraft?.department.scores.total).toBe(12.345);
		expect(await results.explain(t.db, SUPERVISOR, 2025, 'zzz', { kind: 'published' })).toBeNull();
		// A code is data, never SQL.
		expect(
			await results.explain(t.db, SUPERVISOR, 2025, "aaa' or '1'='1", { kind: 'published' })
		).toBeNull();
	});

	describe('integrity', () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		afterEach(() => logged.mockClear());

		/** Each read refused the same way, each with one error log line naming the snapshot. */
		async function refusedEverywhere(
			year: number,
			revision: number,
			digest: string,
			actual: string
		) {
			const reads: [string, () => Promise<unknown>][] = [
				['rankings', () => results.view(t.db, PUBLIC, year, { kind: 'published' })],
				['why', () => results.explain(t.db, LEADER, year, 'aaa', { kind: 'published' })],
				['revision', () => results.view(t.db, PUBLIC, year, { kind: 'published', revision })],
				...RESULT_FORMATS.map(
					(format) =>
						[
							`export ${format}`,
							() => results.exportResults(t.db, LIAISON, year, { format, wording: 'en' })
						] as [string, () => Promise<unknown>]
				),
				['latest', () => results.latestPublished(t.db, year)]
			];
			for (const [name, read] of reads) {
				logged.mockClear();
				expect(await refusalCode(read()), name).toBe('digest_mismatch');
				expect(logged, name).toHaveBeenCalledTimes(1);
				const line = String(logged.mock.calls[0]![0]);
				for (const part of [String(year), `revision ${revision}`, digest, actual])
					expect(line, name).toContain(part);
			}
		}

		it('refuses a published revision whose content was changed, on every read', async () => {
			const content = snapshotContent(2030, [withSmallGroup('aaa')]);
			const row = await makeSnapshot(t.db, content, { revision: 1 });
			// Read (and verified) once while intact: a later read must not trust that.
			expect(await results.view(t.db, PUBLIC, 2030, { kind: 'published' })).toMatchObject({
				currentRevision: 1
			});
			await tamperWithSnapshot(t.db, row.id);
			const actual = digestOf({ ...content, cutoff: '2000-01-01' });
			await refusedEverywhere(2030, 1, row.digest, actual);
			expect(await refusalCode(results.getSnapshot(t.db, row.id))).toBe('digest_mismatch');
			// Summaries carry no content, and the year still lists it.
			expect((await results.listRevisions(t.db, 2030)).map((r) => r.id)).toEqual([row.id]);
			expect(messageOf('digest_mismatch', {}, 'en')).toBe(
				'These results fail their integrity check and cannot be shown; an administrator has been told.'
			);
		});

		it('verifies every new version of a row in full: a change to any part refuses every read', async () => {
			const content = snapshotContent(2032, [
				withSmallGroup('aaa', { rank: 1, rankFromBottom: 2 }),
				departmentResult('bbb', { rank: 2, rankFromBottom: 1 })
			]);
			const row = await makeSnapshot(t.db, content, { revision: 1 });
			const published = { kind: 'published' } as const;
			const rankings = await results.view(t.db, PUBLIC, 2032, published);
			const why = await results.explain(t.db, LEADER, 2032, 'aaa', published);
			// Read again from the version verified: the same.
			expect(await results.view(t.db, PUBLIC, 2032, published)).toEqual(rankings);
			// bbb's inputs, which neither the rankings nor aaa's "why" show.
			await tamperWithSnapshot(t.db, row.id, { tampered: true }, ['departments', 1, 'inputs']);
			for (const read of [
				() => results.view(t.db, PUBLIC, 2032, published),
				() => results.explain(t.db, LEADER, 2032, 'aaa', published),
				() => results.publishedTrend(t.db, [2032]),
				() => results.publishedSnapshotFile(t.db, 2032, null)
			]) {
				logged.mockClear();
				expect(await refusalCode(read())).toBe('digest_mismatch');
				expect(logged).toHaveBeenCalledTimes(1);
			}
			// Put back as it was: a new version again, verified in full, and served.
			await tamperWithSnapshot(t.db, row.id, content.departments[1]!.inputs, [
				'departments',
				1,
				'inputs'
			]);
			expect(await results.view(t.db, PUBLIC, 2032, published)).toEqual(rankings);
			expect(await results.explain(t.db, LEADER, 2032, 'aaa', published)).toEqual(why);
		});

		it('refuses a draft whose content was changed on its views, and flags it for its year', async () => {
			const content = snapshotContent(2031, [withSmallGroup('aaa')]);
			const row = await makeSnapshot(t.db, content);
			await tamperWithSnapshot(t.db, row.id);
			// One read at a time: a read started early would reject unheard while another is awaited.
			for (const read of [
				() => results.view(t.db, SUPERVISOR, 2031, { kind: 'draft' }),
				() => results.explain(t.db, SUPERVISOR, 2031, 'aaa', { kind: 'draft' }),
				() => results.exportResults(t.db, SUPERVISOR, 2031, { format: 'csv', draft: true })
			])
				expect(await refusalCode(read())).toBe('digest_mismatch');
			expect(String(logged.mock.calls[0]![0])).toContain('2031 draft');
			// The year page shows it flagged (publication refuses it: tests/integration/evaluation).
			expect(await results.latestDraft(t.db, 2031)).toMatchObject({ digestOk: false });
		});
	});
});
