// The evaluation pages' data end to end, without a browser: the example year the browser and
// security tests use is computed without errors and published; the rankings, the "why this
// score" formulas and the rectification list then read what publication stored.
import { beforeAll, expect, it } from 'vitest';
import { totalFormula, workFormula } from '$lib/domain/explain';
import { rectificationDeadline } from '$lib/domain/scoring';
import { formatDate } from '$lib/domain/time';
import { bootstrap } from '$lib/server/bootstrap';
import { removeExamples } from '$lib/server/complaints/examples';
import * as evaluation from '$lib/server/evaluation';
import * as rectifications from '$lib/server/rectification';
import * as results from '$lib/server/results';
import { describeEachDatabase } from '../helpers/db';
import { testActor } from '../factories';
import { EXAMPLE_SETTINGS, seedExampleYear } from '../factories/evaluation-data';

const YEAR = 2025;
const PUBLISHED_AT = new Date('2026-02-10T09:00:00+08:00');

describeEachDatabase('evaluation pages over the example year', (t) => {
	beforeAll(async () => {
		await bootstrap(t.db, { ADMIN_PASSWORD: 'adminpass123' }, () => {});
		// The example year's own complaints only, as in the browser tests (tests/helpers/app.ts).
		await t.db.transaction((tx) => removeExamples(tx, testActor));
		await seedExampleYear(t.db, YEAR);
		await evaluation.createYear(t.db, { year: YEAR, settings: EXAMPLE_SETTINGS }, testActor);
	});

	it('computes a draft without errors, shown as a draft with every department', async () => {
		const draft = await evaluation.compute(t.db, YEAR, testActor);
		expect(draft.content.errors).toEqual([]);
		const r = await results.view(t.db, results.OPERATOR, YEAR, { kind: 'draft' });
		expect(r?.snapshot.kind).toBe('draft');
		expect(r?.departments).toHaveLength(12);
		expect(await results.view(t.db, null, YEAR, { kind: 'published' })).toBeNull();
	});

	it('publishes; the rankings and explanations read the published revision', async () => {
		const draft = await results.latestDraft(t.db, YEAR);
		await evaluation.publish(t.db, YEAR, { draftId: draft!.id }, testActor, { now: PUBLISHED_AT });
		const r = await results.view(t.db, null, YEAR, { kind: 'published' });
		expect(r).toMatchObject({ snapshot: { kind: 'published', revision: 1 }, currentRevision: 1 });
		const municipal = r!.departments.filter((d) => d.category === 'municipal');
		expect(municipal.map((d) => d.code)).toEqual(['gaj', 'czj', 'ldj', 'jtj', 'jyj', 'fgj', 'jsj']);
		expect(municipal[0]!.outcomes).toEqual(['commended']);
		expect(municipal.at(-1)!.outcomes).toEqual(['rectification', 'criticism']);

		// Education Bureau: level 2 ratings (25), a 2-point deduction, one case on time, speed 4.
		const e = await results.explain(t.db, results.OPERATOR, YEAR, 'jyj', { kind: 'published' });
		const d = e!.department;
		expect(d.scores).toEqual({
			work: 98,
			convenience: 87.5,
			complaints: 100,
			appraisal: 25,
			total: 74.4
		});
		expect(totalFormula(d.scores, e!.settings)?.arithmetic).toBe(
			'(30 × 98 + 20 × 87.5 + 20 × 100 + 30 × 25) ÷ 100 = 74.4'
		);
		expect(workFormula(d.inputs.work, d.scores.work)).toEqual({
			arithmetic: '100 − 2 + 0 = 98',
			kept: { min: '0', max: '100', result: '98' }
		});
		expect(d.inputs.work.findings).toMatchObject([{ findingNo: `jyj-${YEAR}-F1`, counted: true }]);
		expect(d.inputs.convenience.cases).toMatchObject({ onTime: 1, late: 0, openOverdue: 0 });
	});

	it('lists the rectifications publication opened, due 90 days after it', async () => {
		const { rows, total } = await rectifications.list(t.db, {
			year: YEAR,
			page: 1,
			pageSize: 10,
			now: PUBLISHED_AT
		});
		expect(total).toBe(4);
		expect(rows.map((r) => r.departmentCode).sort()).toEqual(['fgj', 'gsj', 'jsj', 'ycj']);
		const due = rectificationDeadline(formatDate(PUBLISHED_AT), 90);
		expect(rows.every((r) => r.deadline === due && r.state === 'open')).toBe(true);
	});
});
