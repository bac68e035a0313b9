// What the rankings, "why this score" and public results pages read: the chosen snapshot only
// (latest draft, current or given published revision), without the inputs for the rankings,
// with one department's inputs for the explanation.
import { beforeAll, expect, it } from 'vitest';
import * as reporting from '$lib/server/reporting';
import { describeEachDatabase } from '../helpers/db';
import { departmentResult, digestOf, makeSnapshot, snapshotContent } from '../factories/snapshots';

describeEachDatabase('rankings pages (reporting)', (t) => {
	const first = snapshotContent(2025, [
		departmentResult('aaa', { rank: 1, rankFromBottom: 2 }),
		departmentResult('bbb', {
			rank: 2,
			rankFromBottom: 1,
			outcomes: ['rectification', 'criticism']
		})
	]);
	const corrected = snapshotContent(2025, [
		departmentResult('bbb', { rank: 1, rankFromBottom: 2 }),
		departmentResult('aaa', { rank: 2, rankFromBottom: 1, outcomes: ['criticism'] })
	]);
	const draft = snapshotContent(
		2025,
		[departmentResult('aaa', { scores: { ...departmentResult('aaa').scores, total: 12.345 } })],
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

	it('reads the current published revision, without the inputs', async () => {
		const r = await reporting.rankings(t.db, 2025, { kind: 'published' });
		expect(r?.snapshot).toMatchObject({
			id: ids.r2,
			kind: 'published',
			revision: 2,
			replacesRevision: 1,
			latestRevision: 2,
			note: 'data error',
			digest: digestOf(corrected)
		});
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
		const old = await reporting.rankings(t.db, 2025, { kind: 'published', revision: 1 });
		expect(old?.snapshot).toMatchObject({ id: ids.r1, revision: 1, latestRevision: 2 });
		expect(old?.departments.map((d) => d.code)).toEqual(['aaa', 'bbb']);
		const d = await reporting.rankings(t.db, 2025, { kind: 'draft' });
		expect(d?.snapshot).toMatchObject({ id: ids.draft, kind: 'draft', revision: null });
		expect(d?.departments[0]!.scores.total).toBe(12.345);
		expect(d?.errors).toEqual([
			{ code: 'missing_dimension', departmentCode: 'ccc', dimension: 'appraisal' }
		]);
		expect(d?.warnings).toEqual([{ code: 'open_complaints', departmentCode: 'aaa', count: 2 }]);
		// A published view carries no problems list (it names open complaints and findings).
		const shown = reporting.withoutProblems(d!);
		expect([shown.errors, shown.warnings]).toEqual([[], []]);
		expect(shown.departments).toEqual(d!.departments);
	});

	it('has nothing for a revision or year that does not exist, or a year never published', async () => {
		expect(await reporting.rankings(t.db, 2025, { kind: 'published', revision: 3 })).toBeNull();
		expect(await reporting.rankings(t.db, 2023, { kind: 'published' })).toBeNull();
		expect(await reporting.rankings(t.db, 2024, { kind: 'published' })).toBeNull();
		expect(await reporting.rankings(t.db, 2024, { kind: 'draft' })).not.toBeNull();
	});

	it('explains one department with its inputs, from the chosen snapshot', async () => {
		const e = await reporting.explanation(t.db, 2025, 'aaa', { kind: 'published' });
		expect(e?.snapshot.revision).toBe(2);
		expect(e?.department).toEqual(corrected.departments[1]);
		expect(e?.department.inputs.work.findings.map((f) => [f.findingNo, f.counted])).toEqual([
			['aaa-F1', true],
			['aaa-F2', true],
			['aaa-F3', false]
		]);
		const fromDraft = await reporting.explanation(t.db, 2025, 'aaa', { kind: 'draft' });
		expect(fromDraft?.department.scores.total).toBe(12.345);
		expect(await reporting.explanation(t.db, 2025, 'bbb', { kind: 'draft' })).toBeNull();
		expect(await reporting.explanation(t.db, 2025, 'zzz', { kind: 'published' })).toBeNull();
		// A code is data, never SQL.
		expect(
			await reporting.explanation(t.db, 2025, "aaa' or '1'='1", { kind: 'published' })
		).toBeNull();
	});

	it('lists the years: published ones for the public, drafts too for staff', async () => {
		expect(await reporting.years(t.db, false)).toEqual([
			{ year: 2025, revision: 2, publishedAt: expect.any(Date), hasDraft: false }
		]);
		expect(await reporting.years(t.db, true)).toEqual([
			{ year: 2025, revision: 2, publishedAt: expect.any(Date), hasDraft: true },
			{ year: 2024, revision: null, publishedAt: null, hasDraft: true }
		]);
	});
});
